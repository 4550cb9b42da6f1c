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
import { type ArticleService, createArticleService } from './articles/article.service.js';
import type { Config } from './config.js';
import { connect, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { type ArticleEvent, createEventBus, type EventBus } from './events/event-bus.js';
import { createClock } from './lib/time.js';
import { createRelatedService, type RelatedService } from './related/related.service.js';
import { loadAssets } from './site/assets.js';
import { registerPageCacheInvalidation } from './site/page-cache.events.js';
import { PageCache } from './site/page-cache.js';
import { createPageSender, createServerFactory } from './site/page-response.js';
import { securityHeaders } from './site/security-headers.js';
import { registerErrorHandlers } from './site/site.errors.js';
import { createPresenter } from './site/site.presenter.js';
import { registerSiteRoutes } from './site/site.routes.js';
import { createSiteService } from './site/site.service.js';

export interface Services {
  config: Config;
  database: Database;
  events: EventBus;
  articles: ArticleService;
  related: RelatedService;
  pageCache: PageCache | undefined;
  /** Migrations applied while building (empty on an up-to-date database). */
  migrated: string[];
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

  const events = createEventBus(app.log);
  const related = createRelatedService({ database });
  const articles = createArticleService({ database, events });
  registerRelatedRefresh(events, related, pageCache);

  app.decorate('dateline', { config, database, events, articles, related, pageCache, migrated });

  registerHealthRoutes(app, database);

  const mediaDir = resolve(config.mediaDir);
  mkdirSync(mediaDir, { recursive: true });
  await app.register(fastifyStatic, { root: mediaDir, prefix: '/media/', maxAge: '7d', index: false, wildcard: true });

  const clock = createClock(config.timeZone, config.language);
  const assets = loadAssets();
  const presenter = createPresenter({ config, clock, assets });
  const pages = createPageSender(app, pageCache, security);
  const site = createSiteService({ database, related, events });
  // Last, so that related lists and the site's data caches are fresh before pages are dropped and re-rendered.
  if (pageCache) registerPageCacheInvalidation(events, pageCache);
  registerSiteRoutes(app, { site, presenter, pages, clock, assets });
  registerErrorHandlers(app, { site, presenter, pages });
  return app;
}

/**
 * Related lists follow publication. Bulk imports compute theirs once, after
 * the last batch. Pages showing a list that changed are dropped from the cache.
 */
function registerRelatedRefresh(events: EventBus, related: RelatedService, pageCache: PageCache | undefined): void {
  const refresh = async ({ id, bulk }: ArticleEvent) => {
    if (bulk) return;
    const changed = await related.refreshAround(id);
    pageCache?.invalidate(changed.map((a) => `article:${a}`));
  };
  events.on('article.published', refresh);
  events.on('article.updated', refresh);
  events.on('article.unpublished', ({ id }) => related.forget(id));
}

function registerHealthRoutes(app: FastifyInstance, database: Database): void {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await database.db.selectFrom('sections').select('id').limit(1).execute();
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'ok' });
    } catch (err) {
      request.log.warn({ err }, 'database not ready');
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', database: 'down' });
    }
  });
}
