/**
 * Configuration, read once from the environment, validated (every bad
 * variable listed at once) and frozen. Nothing else reads `process.env`.
 *
 * @example
 *   const config = loadConfig({ PORT: '8080' });
 *   config.port; // 8080
 */
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { message: 'must be one of on/off, true/false, 1/0' })
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

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
  PAGE_CACHE: bool.default(true),
  PAGE_CACHE_MAX_MB: z.coerce.number().min(1).max(4096).default(64),
  SHARED_CACHE_SECONDS: z.coerce.number().int().min(0).max(86400).default(30),
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
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, { message: 'must be lowercase letters, digits and _ (a schema name)' })
    .default('pgboss'),
});

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
  readonly pageCache: { readonly enabled: boolean; readonly maxBytes: number };
  /** How long shared caches in front (nginx, a CDN) may keep a page: `s-maxage`. */
  readonly sharedCacheSeconds: number;
  readonly demoContent: boolean;
  readonly logLevel: string;
  readonly logRequests: boolean;
  readonly trustProxy: boolean;
  /** Redis for cache invalidation across instances. */
  readonly redisUrl: string | undefined;
  /** The pub/sub channel (Redis) or NOTIFY channel (PostgreSQL) the instances of one site share. */
  readonly cacheChannel: string;
  /**
   * Background jobs: whether the server runs workers (jobs are queued either
   * way), and, on PostgreSQL, pg-boss's schema (one per site sharing a database).
   */
  readonly jobs: { readonly enabled: boolean; readonly schema: string };
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
    pageCache: Object.freeze({ enabled: e.PAGE_CACHE, maxBytes: e.PAGE_CACHE_MAX_MB * 1024 * 1024 }),
    sharedCacheSeconds: e.SHARED_CACHE_SECONDS,
    demoContent: e.DEMO_CONTENT,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS,
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL,
    cacheChannel: e.CACHE_CHANNEL,
    jobs: Object.freeze({ enabled: e.JOBS, schema: e.JOBS_SCHEMA }),
  });
}
