/**
 * The composition root without HTTP: database (migrated), repositories and
 * services, the job queue with every handler registered, the durable event
 * bus, cross-instance cache invalidation, the weather service. The web app
 * (`buildApp`), the command line and job workers all start here; none of
 * them needs a web server to publish, import or rebuild.
 *
 * Nothing runs in the background until asked: `jobs.start()` starts the
 * workers (the server, when JOBS is on) and `weather.start()` the weather
 * timer.
 *
 * @example
 *   const services = await buildServices(loadConfig());
 *   const draft = await services.articles.create(input);
 *   await services.close();
 */
import { getPriority } from 'node:os';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Dispatcher } from 'undici';
import { registerAccountsJobs } from './accounts/accounts.jobs.js';
import { type AccountsService, createAccountsService } from './accounts/accounts.service.js';
import { type ArticleService, createArticleService, PUBLISH_SCHEDULED_JOB } from './articles/article.service.js';
import type { ArticleIndex } from './articles/article-index.js';
import { createTaxonomyService, type TaxonomyService } from './articles/taxonomy.service.js';
import { type AuditLog, createAuditLog } from './audit/audit.service.js';
import { registerBreakingEffects } from './breaking/breaking.effects.js';
import { type BreakingService, createBreakingService } from './breaking/breaking.service.js';
import type { Config } from './config.js';
import { type ContentPagesService, createContentPagesService } from './content-pages/content-pages.service.js';
import { connect, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { registerWebSub } from './feeds/websub.js';
import { createImageService, type ImageService } from './images/image.service.js';
import { createUrlImportService, type UrlImportService } from './ingest/url-import.service.js';
import { createInvalidator, type Invalidator, type Transport } from './instances/invalidation.js';
import { sqliteTransport } from './instances/sqlite.transport.js';
import { createJobQueue, type JobQueue } from './jobs/jobs.js';
import { createPacer, dutyOf } from './lib/pace.js';
import { followingClock } from './lib/time.js';
import { registerLiveEffects } from './live/live.effects.js';
import { createLiveService, type LiveService } from './live/live.service.js';
import { createHttpClient, type HttpClient } from './net/http-client.js';
import { registerPublishingEffects } from './publishing/publishing.effects.js';
import { registerScheduledPublishing } from './publishing/publishing.jobs.js';
import { createRelatedService, type RelatedService } from './related/related.service.js';
import { indexForRelated, removeFromRelatedIndex } from './related/related-index.repository.js';
import { type BackgroundReindex, backgroundReindex, registerSearchJobs } from './search/search.jobs.js';
import { searchIndex } from './search/search.repository.js';
import { createSearchService } from './search/search.service.js';
import { type CachedSearch, cachedSearch } from './search/search-cache.js';
import { suggestionWords } from './search/suggest.repository.js';
import type { SiteSettings } from './settings/settings.js';
import { createSettingsService, type SettingsService } from './settings/settings.service.js';
import { articlePath } from './site/urls.js';
import {
  createSourcesService,
  POLL_JOB,
  registerSourceJobs,
  type SourcesService,
  SWEEP_JOB,
} from './sources/sources.service.js';
import { createWeatherService, type WeatherService } from './weather/weather.service.js';
import {
  createWebhooksService,
  registerWebhookJobs,
  WEBHOOK_JOBS,
  type WebhooksService,
} from './webhooks/webhooks.service.js';

export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  /** Migrations applied while building (empty on an up-to-date database). */
  migrated: string[];
  events: EventBus;
  articles: ArticleService;
  related: RelatedService;
  /**
   * Full-text search of published articles (`src/search/`), any query text, never an error; answers kept a
   * minute, bounded, dropped on every invalidation (`search-cache.ts`).
   */
  search: CachedSearch;
  /**
   * Writes the full-text entries a bulk save queued (PostgreSQL: an import's), on a connection of its own while
   * the import saves on another; the import waits for it before its related pass.
   */
  searchReindex: BackgroundReindex;
  /** Image uploads (the newsroom's), and which local images are missing (import, the editor, the reader site). */
  images: ImageService;
  /** Newsroom users, sessions, invitations, login throttling, CSRF (`src/accounts/`). */
  accounts: AccountsService;
  /** Who did what when: `record` inside a change's transaction, `list` for admins. */
  audit: AuditLog;
  /** Drops cached pages and data on every instance. */
  invalidator: Invalidator;
  /** Background jobs: handlers registered; workers run only after `jobs.start()`. */
  jobs: JobQueue;
  /** Sections, tags and authors as the newsroom manages them. */
  taxonomy: TaxonomyService;
  /** The site's settings an admin changes without a restart (name, time zone, the weather's default city…). */
  settings: SettingsService;
  /** The site's own pages (About, Contact…), the footer's links in memory. */
  contentPages: ContentPagesService;
  /** Outbound HTTP for everything that calls out (weather; later feeds, URL import, webhooks). */
  http: HttpClient;
  /** Webhooks admins register for article events, and their deliveries (`src/webhooks/`). */
  webhooks: WebhooksService;
  /** Imports one article from a web page's URL (`src/ingest/url-import.service.ts`). */
  urlImport: UrlImportService;
  /** Feed sources polled for articles, and their status (`src/sources/`). */
  sources: SourcesService;
  /** Live coverages and their entries (`src/live/`). */
  live: LiveService;
  /** Breaking news: flags with a time box, the one showing now in memory (`src/breaking/`). */
  breaking: BreakingService;
  /** The weather widget's service; undefined when WEATHER_PROVIDER=none. Its timer starts with `weather.start()`. */
  weather: WeatherService | undefined;
  /** Stops the workers and timers, then closes connections. Safe to call twice. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** The logger; by default one at the configured level. */
  log?: Logger;
  /** Use this database instead of opening `config.databaseUrl`; it stays the caller's to close. */
  database?: Database;
  /** Outbound HTTP goes here instead of the network (tests: an undici MockAgent). */
  httpDispatcher?: Dispatcher;
}

export async function buildServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database = options.database ?? (await connect(config.databaseUrl));
  const closers: (() => Promise<unknown>)[] = options.database ? [] : [() => database.close()];
  const close = once(async () => {
    // Last opened, first closed: jobs stop before the database they use.
    for (const closer of closers.reverse()) await closer();
  });
  try {
    const migrated = await migrate(database);
    if (migrated.length) log.info({ migrated }, 'database migrated');

    const invalidator = createInvalidator({ transport: await createTransport(config, database), log });
    closers.push(() => invalidator.close());
    await invalidator.start();

    const settings = await createSettingsService({ database, config, invalidator, log });

    const jobs = await createJobQueue(config, database, log);
    closers.push(() => jobs.stop());
    const events = createEventBus({ db: database.db, jobs, log });
    const related = createRelatedService({
      database,
      ...(config.relatedThreads === undefined ? {} : { threads: config.relatedThreads }),
    });
    const relatedIndex: ArticleIndex = {
      add: (trx, docs) => indexForRelated(trx, docs),
      remove: async (trx, ids) => {
        for (const id of ids) await removeFromRelatedIndex(trx, id);
      },
      deferrable: true,
    };
    const audit = createAuditLog({ database });
    const articles = createArticleService({
      database,
      events,
      jobs,
      audit,
      indexes: [searchIndex(database.dialect), suggestionWords(), relatedIndex],
    });
    const images = createImageService({ mediaDir: config.mediaDir, database, log, limits: config.uploads });
    const taxonomy = createTaxonomyService({ database, events });
    const contentPages = await createContentPagesService({ database, events, invalidator, audit, log });
    // One client for everything that calls out. The operator's explicitly configured service hosts may be
    // private; each caller sets its own time budget.
    const http = createHttpClient({
      userAgent: config.weather.userAgent,
      allowPrivateHosts: [
        ...config.weather.allowPrivateHosts,
        ...config.webhooks.allowPrivateHosts,
        ...(config.feeds.websubHub ? [new URL(config.feeds.websubHub).hostname.replace(/^\[|\]$/g, '')] : []),
        ...config.sources.allowPrivateHosts,
      ],
      ...(options.httpDispatcher ? { dispatcher: options.httpDispatcher } : {}),
    });
    closers.push(() => http.close());
    registerPublishingEffects({ events, related, invalidator, sitemapBlockSize: config.feeds.sitemapPageSize });
    registerScheduledPublishing({ jobs, articles, log });
    registerLiveEffects({ events, invalidator });
    const live = createLiveService({ database, events, audit, articles, invalidator });
    if (config.feeds.websubHub)
      registerWebSub({
        events,
        http,
        database,
        hub: config.feeds.websubHub,
        siteUrl: config.siteUrl,
      });
    registerSearchJobs({ jobs, database, invalidator });
    const accounts = createAccountsService({ database, log, audit });
    registerAccountsJobs({ jobs, accounts, log });
    const webhooks = createWebhooksService({ database, audit });
    const siteClock = followingClock(() => settings.current().timeZone, config.language);
    const articleUrl = (a: Parameters<typeof articlePath>[0]) => `${config.siteUrl}${articlePath(a, siteClock)}`;
    registerBreakingEffects({ events, invalidator });
    const breaking = await createBreakingService({
      database,
      events,
      audit,
      invalidator,
      live,
      articlePath: (a) => articlePath(a, siteClock),
      log,
    });
    closers.push(async () => breaking.close());
    registerWebhookJobs({ events, jobs, database, http, articleUrl, log });
    // Queues written inside save transactions must exist first.
    await events.prepare();
    await jobs.prepare([PUBLISH_SCHEDULED_JOB, ...WEBHOOK_JOBS]);
    const weather = config.weather.providers.length
      ? createWeatherService({ config: config.weather, language: config.language, database, log, http })
      : undefined;
    if (weather) {
      closers.push(() => weather.close());
      const follow = (s: SiteSettings) => weather.setDefaults({ city: s.weatherCity, units: s.weatherUnits });
      follow(settings.current());
      settings.onChange(follow);
    }

    const urlImport = createUrlImportService({ http, articles, database });
    const sources = createSourcesService({
      database,
      audit,
      articles,
      http,
      related,
      events,
      config: config.sources,
      // A niced worker's polls rest while the CPUs are busy, as long as its niceness would wait: the niceness
      // alone left readers 66 % (SQLite) and 64 % (PostgreSQL, whose backends do half the work at their own
      // priority) of their throughput. At niceness 0 (`serve` running the jobs) they never rest.
      pacer: createPacer({ duty: dutyOf(getPriority()) }),
    });
    registerSourceJobs({ jobs, sources, log });
    await jobs.prepare([SWEEP_JOB, POLL_JOB]);

    return {
      config,
      log,
      database,
      migrated,
      events,
      articles,
      related,
      search: cachedSearch(
        createSearchService({
          database,
          language: config.language,
          onQueryError: (err, q) => log.warn({ err, q }, 'search query refused'),
        }),
        { invalidator },
      ),
      searchReindex: backgroundReindex(database),
      images,
      accounts,
      audit,
      invalidator,
      jobs,
      http,
      urlImport,
      sources,
      weather,
      webhooks,
      settings,
      taxonomy,
      contentPages,
      live,
      breaking,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Redis when configured; else PostgreSQL LISTEN/NOTIFY on PostgreSQL; else
 * the invalidation log in the SQLite file, which every process on it reads
 * (`dateline serve` with `dateline worker` beside it). Loaded on demand: a
 * SQLite site pays neither client's memory.
 */
async function createTransport(config: Config, database: Database): Promise<Transport> {
  if (config.redisUrl) {
    const { redisTransport } = await import('./instances/redis.transport.js');
    return redisTransport(config.redisUrl, config.cacheChannel);
  }
  if (database.dialect === 'postgres') {
    const { postgresTransport } = await import('./instances/postgres.transport.js');
    return postgresTransport(config.databaseUrl, config.cacheChannel);
  }
  return sqliteTransport(database);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
