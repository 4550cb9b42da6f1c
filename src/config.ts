/**
 * Configuration, read once from the environment, validated (every bad
 * variable listed at once) and frozen. Nothing else reads `process.env`.
 *
 * @example
 *   const config = loadConfig({ PORT: '8080' });
 *   config.port; // 8080
 */
import { z } from 'zod';
import { isTimeZone } from './lib/time.js';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { message: 'must be one of on/off, true/false, 1/0' })
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const WEATHER_PROVIDERS = ['open-meteo', 'met-norway'] as const;
export type WeatherProviderName = (typeof WEATHER_PROVIDERS)[number];

/** `none`, or one or two providers in failover order: `open-meteo,met-norway`. */
const weatherProviders = z
  .string()
  .transform((v) => v.split(',').map((p) => p.trim().toLowerCase()))
  .refine(
    (list) =>
      (list.length === 1 && list[0] === 'none') ||
      (list.every((p) => (WEATHER_PROVIDERS as readonly string[]).includes(p)) && new Set(list).size === list.length),
    { message: 'must be none, or open-meteo and/or met-norway, comma-separated in failover order' },
  )
  .transform((list) => (list[0] === 'none' ? [] : (list as WeatherProviderName[])));

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { message: 'must be an HTTP header name' })
  .transform((v) => v.toLowerCase());

/** Host names separated by commas (the operator's hosts that may be private), lower-cased. */
const hostList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.every((h) => /^[a-z0-9.:[\]-]{1,253}$/.test(h)), {
    message: 'must be host names separated by commas',
  });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('sqlite:./data/dateline.db')
    .refine(
      (v) =>
        !v.startsWith('~') && (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? /^(sqlite|file|postgres(ql)?):\/\//.test(v) : true),
      {
        message: 'must be a file path (no ~), sqlite:PATH or postgres://… (other databases are not supported)',
      },
    ),
  SITE_URL: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).optional(),
  SITE_NAME: z.string().min(1).max(100).default('Dateline'),
  SITE_DESCRIPTION: z.string().max(300).default('Independent news, updated around the clock.'),
  SITE_TIMEZONE: z.string().default('America/New_York').refine(isTimeZone, { message: 'must be an IANA time zone' }),
  SITE_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language tag such as en or en-GB' })
    .default('en'),
  MEDIA_DIR: z.string().min(1).default('./data/media'),
  UPLOAD_MAX_MB: z.coerce.number().min(1).max(1024).default(20),
  PAGE_CACHE: bool.default(true),
  PAGE_CACHE_MAX_MB: z.coerce.number().min(1).max(4096).default(64),
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(25),
  SHARED_CACHE_SECONDS: z.coerce.number().int().min(0).max(86400).default(30),
  LIVE_STREAMS: z.enum(['inline', 'process']).default('inline'),
  DEMO_CONTENT: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_REQUESTS: bool.default(false),
  TRUST_PROXY: bool.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  CACHE_CHANNEL: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, { message: 'must be lowercase letters, digits and _ (a channel name)' })
    .default('dateline'),
  JOBS: bool.default(true),
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  RELATED_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, { message: 'must be lowercase letters, digits and _ (a schema name)' })
    .default('pgboss'),
  WEATHER_PROVIDER: weatherProviders.default(['open-meteo', 'met-norway']),
  OPEN_METEO_URL: httpUrl.optional(),
  OPEN_METEO_GEOCODING_URL: httpUrl.optional(),
  MET_NORWAY_URL: httpUrl.optional(),
  WEATHER_USER_AGENT: z.string().min(1).max(300).optional(),
  WEATHER_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  WEATHER_DEFAULT_CITY: z.string().trim().min(2).max(100).default('New York'),
  WEATHER_UNITS: z.enum(['celsius', 'fahrenheit']).default('celsius'),
  WEATHER_CITY_HEADER: headerName.default('cf-ipcity'),
  WEATHER_LAT_HEADER: headerName.default('cf-iplatitude'),
  WEATHER_LON_HEADER: headerName.default('cf-iplongitude'),
  CONTENT_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, { message: 'must be 16 to 200 printable characters without spaces' })
    .optional(),
  API_CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length === 1 || !list.some((o) => o === '*' || o === 'off'), {
      message: 'must be *, off, or origins separated by commas',
    })
    .refine((list) => list.every((o) => o === '*' || o === 'off' || /^https?:\/\/[^/\s]+$/.test(o)), {
      message: 'each origin must be scheme://host[:port], without a path',
    }),
  API_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  SOURCES_ALLOW_HOSTS: hostList,
  SOURCES_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(20 * 1024 * 1024),
  SOURCES_PER_HOST: z.coerce.number().int().min(1).max(100).default(2),
  WEBHOOK_ALLOW_HOSTS: hostList,
  WEBSUB_HUB: httpUrl.optional(),
  SITEMAP_PAGE_SIZE: z.coerce.number().int().min(1).max(50_000).default(2_000),
});

const WEATHER_URLS = {
  openMeteo: 'https://api.open-meteo.com',
  openMeteoGeocoding: 'https://geocoding-api.open-meteo.com',
  metNorway: 'https://api.met.no/weatherapi/locationforecast/2.0',
} as const;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly siteUrl: string;
  readonly siteName: string;
  readonly siteDescription: string;
  readonly timeZone: string;
  readonly language: string;
  readonly mediaDir: string;
  /** The largest upload accepted (an image, before processing): `UPLOAD_MAX_MB` in bytes. */
  readonly uploads: { readonly maxBytes: number };
  readonly pageCache: { readonly enabled: boolean; readonly maxBytes: number };
  /** How far `serve`'s heap grows past its live size before a full collection (`src/lib/heap.ts`); 0: V8's own. */
  readonly heapGrowthPercent: number;
  /** How long shared caches in front (nginx, a CDN) may keep a page: `s-maxage`. */
  readonly sharedCacheSeconds: number;
  /** Where live coverage's event streams are served: in the web process, or in a child process at a lower priority. */
  readonly liveStreams: 'inline' | 'process';
  readonly demoContent: boolean;
  readonly logLevel: string;
  readonly logRequests: boolean;
  readonly trustProxy: boolean;
  /** Redis for cache invalidation across instances. */
  readonly redisUrl: string | undefined;
  /** The pub/sub channel (Redis) or NOTIFY channel (PostgreSQL) the instances of one site share. */
  readonly cacheChannel: string;
  /**
   * Background jobs: whether `dateline serve` runs workers (jobs are queued
   * either way; `dateline worker` always runs them), on PostgreSQL pg-boss's
   * schema (one per site sharing a database), and the niceness `dateline
   * worker` gives itself (0 to 19; higher yields the CPU to the web server).
   */
  readonly jobs: { readonly enabled: boolean; readonly schema: string; readonly workerNice: number };
  /** Worker threads of the related engine's bulk pass (imports, rebuilds); undefined: one per core, at most 4. */
  readonly relatedThreads: number | undefined;
  readonly weather: WeatherConfig;
  /** The content API under `/api/v1/`. */
  readonly contentApi: ContentApiConfig;
  /** Webhook deliveries: hosts that may be private or loopback (a receiver on the operator's network). */
  readonly webhooks: { readonly allowPrivateHosts: readonly string[] };
  readonly feeds: FeedsConfig;
  /** Feed sources: hosts that may be private or loopback, the largest feed read, polls at once per host. */
  readonly sources: {
    readonly allowPrivateHosts: readonly string[];
    readonly maxBytes: number;
    readonly perHost: number;
  };
}

export interface FeedsConfig {
  /** The WebSub hub feeds name and publishing pings (WEBSUB_HUB); none by default. Named by the operator: may be private. */
  readonly websubHub: string | undefined;
  /**
   * URLs per sitemap file (SITEMAP_PAGE_SIZE, at most the protocol's 50,000; 2,000 by default, as WordPress):
   * a publish drops the file of its block, written again on the next crawl, so a small block is a cheap one.
   */
  readonly sitemapPageSize: number;
}

export interface ContentApiConfig {
  /** When set, every request needs it (`Authorization: Bearer KEY` or `?key=KEY`). */
  readonly key: string | undefined;
  /** Origins allowed to read from a browser: `*`, a list, or none (`off`). */
  readonly corsOrigins: '*' | readonly string[];
  /** Requests a minute per client; 0 turns the limit off. Shared across instances through REDIS_URL. */
  readonly rateLimitPerMinute: number;
}

export interface WeatherConfig {
  /** Providers in failover order; empty when WEATHER_PROVIDER=none (no widget, no outbound calls). */
  readonly providers: readonly WeatherProviderName[];
  readonly openMeteoUrl: string;
  readonly openMeteoGeocodingUrl: string;
  readonly metNorwayUrl: string;
  /** Identifies the site to providers (MET Norway refuses anonymous clients). */
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly defaultCity: string;
  readonly units: 'celsius' | 'fahrenheit';
  /** Request headers a CDN or proxy in front sets with the reader's city and coordinates (lower case). */
  readonly cityHeader: string;
  readonly latHeader: string;
  readonly lonHeader: string;
  /**
   * Hosts of the provider URLs set explicitly: the only ones outbound calls
   * may make on private or loopback addresses (a self-hosted Open-Meteo).
   */
  readonly allowPrivateHosts: readonly string[];
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const siteUrl = (e.SITE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    siteUrl,
    siteName: e.SITE_NAME,
    siteDescription: e.SITE_DESCRIPTION,
    timeZone: e.SITE_TIMEZONE,
    language: e.SITE_LANGUAGE,
    mediaDir: e.MEDIA_DIR,
    uploads: Object.freeze({ maxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024) }),
    pageCache: Object.freeze({ enabled: e.PAGE_CACHE, maxBytes: e.PAGE_CACHE_MAX_MB * 1024 * 1024 }),
    heapGrowthPercent: e.HEAP_GROWTH_PERCENT,
    sharedCacheSeconds: e.SHARED_CACHE_SECONDS,
    liveStreams: e.LIVE_STREAMS,
    demoContent: e.DEMO_CONTENT,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS,
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL,
    cacheChannel: e.CACHE_CHANNEL,
    jobs: Object.freeze({ enabled: e.JOBS, schema: e.JOBS_SCHEMA, workerNice: e.WORKER_NICE }),
    relatedThreads: e.RELATED_THREADS,
    weather: weatherConfig(e, siteUrl),
    contentApi: Object.freeze({
      key: e.CONTENT_API_KEY,
      corsOrigins: e.API_CORS_ORIGINS[0] === '*' ? '*' : Object.freeze(e.API_CORS_ORIGINS.filter((o) => o !== 'off')),
      rateLimitPerMinute: e.API_RATE_LIMIT,
    }),
    webhooks: Object.freeze({ allowPrivateHosts: Object.freeze(e.WEBHOOK_ALLOW_HOSTS) }),
    feeds: Object.freeze({ websubHub: e.WEBSUB_HUB, sitemapPageSize: e.SITEMAP_PAGE_SIZE }),
    sources: Object.freeze({
      allowPrivateHosts: Object.freeze(e.SOURCES_ALLOW_HOSTS),
      maxBytes: e.SOURCES_MAX_BYTES,
      perHost: e.SOURCES_PER_HOST,
    }),
  });
}

function weatherConfig(e: z.infer<typeof schema>, siteUrl: string): WeatherConfig {
  const explicit = [e.OPEN_METEO_URL, e.OPEN_METEO_GEOCODING_URL, e.MET_NORWAY_URL].filter(
    (u): u is string => u !== undefined,
  );
  return Object.freeze({
    providers: Object.freeze([...e.WEATHER_PROVIDER]),
    openMeteoUrl: e.OPEN_METEO_URL ?? WEATHER_URLS.openMeteo,
    openMeteoGeocodingUrl: e.OPEN_METEO_GEOCODING_URL ?? WEATHER_URLS.openMeteoGeocoding,
    metNorwayUrl: e.MET_NORWAY_URL ?? WEATHER_URLS.metNorway,
    userAgent: e.WEATHER_USER_AGENT ?? `Dateline/0.1 (+${siteUrl})`,
    timeoutMs: e.WEATHER_TIMEOUT_MS,
    defaultCity: e.WEATHER_DEFAULT_CITY,
    units: e.WEATHER_UNITS,
    cityHeader: e.WEATHER_CITY_HEADER,
    latHeader: e.WEATHER_LAT_HEADER,
    lonHeader: e.WEATHER_LON_HEADER,
    allowPrivateHosts: Object.freeze([...new Set(explicit.map((u) => new URL(u).hostname.replace(/^\[|\]$/g, '')))]),
  });
}
