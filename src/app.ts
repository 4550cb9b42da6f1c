/**
 * The composition root: builds the whole application from a config. The
 * server, the CLI and the tests all come through here.
 *
 * @example
 *   const app = await buildApp(loadConfig({ DATABASE_URL: ':memory:' }));
 *   const res = await app.inject('/');
 *   await app.close();
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Dispatcher } from 'undici';
import { type ArticleService, createArticleService } from './articles/article.service.js';
import type { Config } from './config.js';
import { connect, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { createInvalidator, EVERYTHING, type Invalidator, type Transport } from './instances/invalidation.js';
import { createJobQueue, type JobQueue } from './jobs/jobs.js';
import { registerJobs } from './jobs/jobs.service.js';
import { createClock } from './lib/time.js';
import { createHttpClient, type HttpClient } from './net/http-client.js';
import { registerHealthRoutes } from './ops/health.routes.js';
import { createRelatedService, type RelatedService } from './related/related.service.js';
import { loadAssets } from './site/assets.js';
import { registerContentInvalidation } from './site/content-invalidation.js';
import { PageCache } from './site/page-cache.js';
import { createPageSender, createServerFactory } from './site/page-response.js';
import { registerRelatedRoutes } from './site/related.routes.js';
import { securityHeaders } from './site/security-headers.js';
import { registerErrorHandlers } from './site/site.errors.js';
import { createPresenter } from './site/site.presenter.js';
import { registerSiteRoutes } from './site/site.routes.js';
import { createSiteService } from './site/site.service.js';
import { createWeatherPresenter } from './weather/weather.presenter.js';
import { registerFormParser, registerWeatherRoutes } from './weather/weather.routes.js';
import { createWeatherService, type WeatherService } from './weather/weather.service.js';

/** The page-cache tag of every page whose header shows the default city's weather. */
export const WEATHER_TAG = 'weather';

export interface Services {
  config: Config;
  database: Database;
  events: EventBus;
  articles: ArticleService;
  related: RelatedService;
  pageCache: PageCache | undefined;
  /** Drops cached pages and data on every instance. */
  invalidator: Invalidator;
  /** Background jobs: handlers registered, workers started only by `jobs.start()` (the server, when JOBS is on). */
  jobs: JobQueue;
  /** The one outbound HTTP client, shared by everything that calls out. */
  http: HttpClient;
  /** Migrations applied while building (empty on an up-to-date database). */
  migrated: string[];
  /** The weather widget's service; undefined when WEATHER_PROVIDER=none. Its timer starts with `weather.start()` (the server). */
  weather: WeatherService | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    dateline: Services;
  }
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Use this database instead of opening `config.databaseUrl` (it is still closed with the app). */
  database?: Database;
  /** Outbound HTTP goes here instead of the network (tests: an undici MockAgent). */
  httpDispatcher?: Dispatcher;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const pageCache = config.pageCache.enabled ? new PageCache(config.pageCache.maxBytes) : undefined;
  const security = securityHeaders(config.siteUrl);
  const app = Fastify({
    serverFactory: createServerFactory(pageCache, security),
    logger: options.logger ?? { level: config.logLevel },
    // Per-request log lines cost a fifth of a cached page's time; on only when asked for.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });

  const database = options.database ?? (await connect(config.databaseUrl));
  app.addHook('onClose', () => database.close());
  const migrated = await migrate(database);
  if (migrated.length) app.log.info({ migrated }, 'database migrated');

  const invalidator = createInvalidator({ transport: await createTransport(config, database), log: app.log });
  app.addHook('onClose', () => invalidator.close());
  if (pageCache)
    invalidator.subscribe((tags) => (tags.includes(EVERYTHING) ? pageCache.clear() : pageCache.invalidate(tags)));
  await invalidator.start();

  const events = createEventBus(app.log);
  const related = createRelatedService({ database });
  const articles = createArticleService({ database, events });
  registerContentInvalidation(events, related, invalidator);

  const jobs = await createJobQueue(config, database, app.log);
  // Added after the database's hook, so it runs before it (Fastify runs onClose hooks last-added first).
  app.addHook('onClose', () => jobs.stop());
  registerJobs({ jobs, events, articles, database, log: app.log });

  // The operator's explicitly configured service hosts may be private; each caller sets its own budget.
  const http = createHttpClient({
    userAgent: config.weather.userAgent,
    allowPrivateHosts: config.weather.allowPrivateHosts,
    ...(options.httpDispatcher ? { dispatcher: options.httpDispatcher } : {}),
  });
  // Added before the weather's hook, so it runs after it.
  app.addHook('onClose', () => http.close());

  const weather = config.weather.providers.length
    ? createWeatherService({ config: config.weather, language: config.language, database, log: app.log, http })
    : undefined;
  if (weather) {
    app.addHook('onClose', () => weather.close());
    // Each instance keeps its own weather and its own pages: a local invalidation, not a broadcast one.
    if (pageCache) weather.onDefaultChange(() => pageCache.invalidate([WEATHER_TAG]));
  }

  app.decorate('dateline', {
    config,
    database,
    events,
    articles,
    related,
    pageCache,
    invalidator,
    jobs,
    http,
    migrated,
    weather,
  });

  registerHealthRoutes(app, { database, invalidator });

  const mediaDir = resolve(config.mediaDir);
  mkdirSync(mediaDir, { recursive: true });
  await app.register(fastifyStatic, { root: mediaDir, prefix: '/media/', maxAge: '7d', index: false, wildcard: true });

  const clock = createClock(config.timeZone, config.language);
  const assets = loadAssets();
  const weatherPresenter = createWeatherPresenter({ iconsHref: assets.weatherIconsHref });
  const presenter = createPresenter({
    config,
    clock,
    assets,
    ...(weather
      ? {
          weather: {
            // Shared pages show the default city, read from memory only: rendering never waits for a provider.
            widget: () => weatherPresenter.widget(weather.defaultReport(), weather.units),
            scriptHref: assets.weatherScriptHref,
          },
        }
      : {}),
  });
  const pages = createPageSender(app, pageCache, security, config.sharedCacheSeconds, weather ? [WEATHER_TAG] : []);
  const site = createSiteService({ database, related, invalidator });
  if (weather) {
    registerFormParser(app);
    registerWeatherRoutes(app, {
      weather,
      weatherPresenter,
      config: config.weather,
      siteUrl: config.siteUrl,
      site,
      presenter,
      pages,
    });
  }
  registerSiteRoutes(app, { site, presenter, pages, clock, assets });
  registerRelatedRoutes(app, { site, presenter, pages, clock, siteUrl: config.siteUrl });
  registerErrorHandlers(app, { site, presenter, pages });
  return app;
}

/**
 * Redis when configured; else PostgreSQL LISTEN/NOTIFY on PostgreSQL; else
 * none (one SQLite process). Loaded on demand: a SQLite site pays neither
 * client's memory.
 */
async function createTransport(config: Config, database: Database): Promise<Transport | undefined> {
  if (config.redisUrl) {
    const { redisTransport } = await import('./instances/redis.transport.js');
    return redisTransport(config.redisUrl, config.cacheChannel);
  }
  if (database.dialect === 'postgres') {
    const { postgresTransport } = await import('./instances/postgres.transport.js');
    return postgresTransport(config.databaseUrl, config.cacheChannel);
  }
  return undefined;
}
