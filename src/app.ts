/**
 * The web app: the faces registered on the shared web layer, over services
 * built without HTTP (`buildServices`).
 * - the reader face (`/`): pages kept in the page cache and by shared
 *   caches, HTML errors; the reader site, the weather city page, uploaded
 *   media, assets, the related-news debug view;
 * - the newsroom face (`/admin`): private pages (never cached), its own
 *   HTML errors and JSON ones under `/admin/api/`, sessions and CSRF;
 * - the API face (`/api/`): JSON, JSON errors; weather, related explanations;
 *   the content API (`/api/v1/`, `src/api/`);
 * - health checks (`/healthz`, `/readyz`): JSON.
 * The app owns the services it is given: closing it closes them.
 *
 * @example
 *   const app = await buildApp(await buildServices(loadConfig({ DATABASE_URL: ':memory:' })));
 *   const res = await app.inject('/');
 *   await app.close();
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createApiPresenter } from './api/api.presenter.js';
import { contentApiRoutes } from './api/content-api.routes.js';
import { createContentApiService } from './api/content-api.service.js';
import { oldPermalinks } from './archive/old-permalinks.service.js';
import { BREAKING_TAG } from './breaking/breaking.service.js';
import type { FeedExtra } from './feeds/feed.js';
import { feedRoutes } from './feeds/feeds.routes.js';
import { createFeedsService } from './feeds/feeds.service.js';
import { IMAGES_DIR } from './images/image.js';
import { EVERYTHING } from './instances/invalidation.js';
import { followingClock } from './lib/time.js';
import { livePath } from './live/live.js';
import { blocksToDoc, docScriptJson, docToBlocks } from './newsroom/editor/document.js';
import { addNewsroomAssets, newsroomFace } from './newsroom/newsroom.face.js';
import { healthRoutes } from './ops/health.routes.js';
import { seoRoutes } from './seo/seo.routes.js';
import { createSitemaps } from './seo/sitemaps.js';
import type { Services } from './services.js';
import { createArticleModules } from './site/article-modules.js';
import { breakingBanner } from './site/breaking-banner.js';
import { addLiveAssets } from './site/live.assets.js';
import { liveSiteRoutes } from './site/live.routes.js';
import { startStreamProcess } from './site/live-stream.process.js';
import { liveStreamRoutes } from './site/live-stream.routes.js';
import { createRelatedPresenter } from './site/related.presenter.js';
import { relatedApiRoutes, relatedDebugRoutes } from './site/related.routes.js';
import { searchRoutes } from './site/search.routes.js';
import { addReaderAssets } from './site/site.assets.js';
import { siteErrorPages } from './site/site.errors.js';
import { createPresenter } from './site/site.presenter.js';
import { renderPreview, siteRoutes } from './site/site.routes.js';
import { createSiteService } from './site/site.service.js';
import { articlePath } from './site/urls.js';
import { renderBody } from './site/views/article.view.js';
import { addWeatherAssets } from './weather/weather.assets.js';
import { createWeatherPresenter } from './weather/weather.presenter.js';
import { type WeatherRoutesDeps, weatherApiRoutes, weatherPageRoutes } from './weather/weather.routes.js';
import { renderWeatherWidget } from './weather/weather.view.js';
import { addChromeAssets, assetRoutes, createAssets } from './web/assets.js';
import { htmlErrors, jsonErrors, useErrors } from './web/errors.js';
import { registerFormParser } from './web/forms.js';
import { mediaRoutes } from './web/media.js';
import { PageCache } from './web/page-cache.js';
import { createWeb } from './web/web.js';

/** The page-cache tag of every page whose header shows the default city's weather. */
export const WEATHER_TAG = 'weather';

export interface AppServices extends Services {
  /** The reader face's page cache; undefined when PAGE_CACHE=off. */
  pageCache: PageCache | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    dateline: AppServices;
  }
}

export interface AppOptions {
  /** Fastify's logger setting; by default the services' logger. */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, weather, invalidator } = services;
  const pageCache = config.pageCache.enabled ? new PageCache(config.pageCache.maxBytes) : undefined;
  const web = createWeb(config, {
    pageCache,
    // Breaking news is spliced into pages as they are sent: a new banner drops no cached page.
    banner: breakingBanner(() => services.breaking.current()),
    ...(options.logger !== undefined ? { logger: options.logger } : { loggerInstance: services.log }),
  });
  const { app } = web;
  app.addHook('onClose', () => services.close());
  app.decorate('dateline', { ...services, pageCache });

  if (pageCache)
    invalidator.subscribe((tags) => (tags.includes(EVERYTHING) ? pageCache.clear() : pageCache.invalidate(tags)));
  // A time box that starts or ends changes what the site feed shows, on each instance at its own clock.
  if (pageCache) services.breaking.onChange(() => pageCache.invalidate([BREAKING_TAG]));
  // Each instance keeps its own weather and its own pages: a local invalidation, not a broadcast one.
  if (weather && pageCache) weather.onDefaultChange(() => pageCache.invalidate([WEATHER_TAG]));

  // The site's zone may change while it runs (an admin's setting): dates and addresses follow it.
  const clock = followingClock(() => services.settings.current().timeZone, config.language);
  const assets = createAssets();
  const chrome = addChromeAssets(assets);
  const weatherAssets = weather ? addWeatherAssets(assets) : undefined;
  const weatherPresenter = weatherAssets ? createWeatherPresenter({ iconsHref: weatherAssets.iconsHref }) : undefined;
  const reader = addReaderAssets(assets);
  const presenter = createPresenter({
    config,
    scripts: [reader.scriptHref],
    footerPages: () => services.contentPages.footer(),
    settings: services.settings,
    clock,
    assets: chrome,
    // Local images whose file is missing are left out of pages (a memo of the disk, not a read per image per page).
    media: services.images,
    ...(weather && weatherPresenter && weatherAssets
      ? {
          header: {
            // Shared pages show the default city, read from memory only: rendering never waits for a provider.
            widgets: () => [renderWeatherWidget(weatherPresenter.widget(weather.defaultReport(), weather.units))],
            scripts: [weatherAssets.scriptHref],
          },
        }
      : {}),
  });
  const site = createSiteService({
    database: services.database,
    related: services.related,
    invalidator,
    contentPages: services.contentPages,
  });
  const pages = web.pages({ kind: 'public', sharedSeconds: config.sharedCacheSeconds }, weather ? [WEATHER_TAG] : []);
  const weatherDeps: WeatherRoutesDeps | undefined =
    weather && weatherPresenter
      ? {
          weather,
          weatherPresenter,
          config: config.weather,
          siteUrl: config.siteUrl,
          layout: async (page) => presenter.layout(page, await site.sections()),
          pages,
        }
      : undefined;

  await app.register(async (reader) => {
    const moved = oldPermalinks(services.database.db, clock);
    const errors = htmlErrors(siteErrorPages({ site, presenter, pages, oldPermalinks: moved }));
    web.face('/', errors);
    useErrors(reader, errors);
    registerFormParser(reader);
    await reader.register(assetRoutes, { assets, pages });
    await reader.register(mediaRoutes, { root: config.mediaDir, immutable: [IMAGES_DIR] });
    await reader.register(searchRoutes, { search: services.search, site, presenter, pages, clock });
    await reader.register(siteRoutes, {
      site,
      modules: createArticleModules({ lists: site.articleLists, presenter, invalidator }),
      presenter,
      pages,
      clock,
      liveFor: async (ids) => {
        const c = await services.live.liveFor(ids);
        return c && { id: c.id, href: livePath(c), headline: c.headline };
      },
    });
    await reader.register(liveSiteRoutes, {
      live: services.live,
      site,
      presenter,
      pages,
      clock,
      siteUrl: config.siteUrl,
      siteName: () => services.settings.current().siteName,
      scriptHref: addLiveAssets(assets).scriptHref,
    });
    const streams =
      config.liveStreams === 'process'
        ? startStreamProcess({
            databaseUrl: config.databaseUrl,
            security: web.security,
            invalidator: services.invalidator,
            log: services.log,
            heapGrowthPercent: config.heapGrowthPercent,
          })
        : undefined;
    if (streams) reader.addHook('onClose', () => streams.close());
    await reader.register(liveStreamRoutes, { live: services.live, invalidator: services.invalidator, streams });
    // Feeds and sitemaps show no weather: a sender without the chrome's tags, so a weather refresh leaves them cached.
    const documents = web.pages({ kind: 'public', sharedSeconds: config.sharedCacheSeconds });
    await reader.register(feedRoutes, {
      feeds: createFeedsService({ database: services.database }),
      pages: documents,
      settings: services.settings,
      siteUrl: config.siteUrl,
      language: config.language,
      websubHub: config.feeds.websubHub,
      clock,
      highlights: async () => ({ items: await feedHighlights(services), tags: [BREAKING_TAG, 'live'] }),
    });
    await reader.register(seoRoutes, {
      sitemaps: createSitemaps({
        database: services.database,
        siteUrl: config.siteUrl,
        clock,
        pageSize: config.feeds.sitemapPageSize,
        publication: () => ({ name: services.settings.current().siteName, language: config.language }),
        liveCoverages: async () =>
          (await services.live.coverages({ status: 'live', limit: 20 })).map((c) => ({
            path: livePath(c),
            title: c.headline,
            publishedAt: c.startedAt,
            updatedAt: c.updatedAt,
          })),
      }),
      pages: documents,
      siteUrl: config.siteUrl,
    });
    await reader.register(relatedDebugRoutes, { site, presenter, pages, clock, siteUrl: config.siteUrl });
    if (weatherDeps) await reader.register(weatherPageRoutes, weatherDeps);
  });

  await app.register(
    (admin) =>
      newsroomFace(admin, {
        ...services,
        web,
        pages: web.pages({ kind: 'private' }),
        assets: addNewsroomAssets(assets, chrome),
        documents: { toDoc: blocksToDoc, fromDoc: docToBlocks, scriptJson: docScriptJson },
        clock,
        secure: config.siteUrl.startsWith('https:'),
        upload: (bytes, meta) => services.images.upload(bytes, meta),
        preview: async (id) => renderPreview(presenter, await site.previewPage(id)),
        missingImages: (content) => services.images.checkImages(content),
        publicPath: (article) =>
          article.publishedAt ? articlePath({ ...article, publishedAt: article.publishedAt }, clock) : undefined,
      }),
    { prefix: '/admin' },
  );

  await app.register(
    async (api) => {
      const errors = jsonErrors();
      web.face('/api/', errors);
      useErrors(api, errors);
      await api.register(relatedApiRoutes, { site, clock, siteUrl: config.siteUrl });
      if (weatherDeps) await api.register(weatherApiRoutes, weatherDeps);
      const related = createRelatedPresenter({ config, clock });
      await api.register(contentApiRoutes, {
        prefix: '/v1',
        config,
        content: createContentApiService({ database: services.database }),
        presenter: createApiPresenter({
          siteUrl: config.siteUrl,
          clock,
          bodyHtml: (article) => renderBody(presenter.article(article)).toString(),
          media: services.images,
        }),
        related: async (id) => related.json(await site.relatedExplained(id)),
        search: (query) => services.search.search(query),
        siteName: () => services.settings.current().siteName,
      });
    },
    { prefix: '/api' },
  );

  await app.register(async (ops) => {
    const errors = jsonErrors();
    web.face('/healthz', errors);
    web.face('/readyz', errors);
    // Unknown addresses belong to the reader face: only these routes' own errors are answered here.
    useErrors(ops, errors, { notFound: false });
    await ops.register(healthRoutes, { database: services.database, invalidator });
  });

  return app;
}

/** The site feed's items besides articles: the breaking flag showing now, then the coverages still live. */
async function feedHighlights(services: Services): Promise<FeedExtra[]> {
  const flag = services.breaking.current();
  const coverages = await services.live.coverages({ status: 'live', limit: 10 });
  return [
    ...(flag
      ? [
          {
            key: `breaking:${flag.id}`,
            title: `Breaking: ${flag.headline}`,
            path: flag.href,
            summary: flag.headline,
            published: flag.startsAt,
            updated: flag.startsAt,
          } as const,
        ]
      : []),
    ...coverages.map(
      (c) =>
        ({
          key: `live:${c.id}`,
          title: `Live: ${c.headline}`,
          path: livePath(c),
          summary: c.standfirst || c.headline,
          published: c.startedAt,
          updated: c.updatedAt,
        }) as const,
    ),
  ];
}
