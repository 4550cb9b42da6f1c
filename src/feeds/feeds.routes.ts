/**
 * Feeds, a plugin of the reader face: `/feed.xml` (RSS 2.0), `/atom.xml`
 * (Atom 1.0) and `/feed.json` (JSON Feed 1.1) for the whole site, and the same
 * three under each section, tag and author page (`/world/feed.xml`,
 * `/tag/water/atom.xml`, `/author/ana-ruiz/feed.json`). Sent through the
 * face's page sender: kept in the page cache with their own content type and
 * the list's tags, dropped exactly when the list's page is, answered with
 * 304 to a current ETag or If-Modified-Since.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/time.js';
import type { SiteSettings } from '../settings/settings.js';
import { FEED_FORMATS, type FeedFormat } from '../site/urls.js';
import type { PageSender } from '../web/page-response.js';
import { type FeedExtra, renderFeed } from './feed.js';
import type { FeedSubject, FeedsService } from './feeds.service.js';

export interface FeedRoutesDeps {
  feeds: FeedsService;
  pages: PageSender;
  settings: { current(): Pick<SiteSettings, 'siteName' | 'siteDescription' | 'logo' | 'feedContent'> };
  siteUrl: string;
  language: string;
  websubHub: string | undefined;
  clock: Clock;
  /** What the site's feed shows besides articles (breaking news, live coverages), and the tags that drop it. */
  highlights?: () => Promise<{ items: FeedExtra[]; tags: string[] }>;
}

const slugParams = {
  params: {
    type: 'object',
    properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,199}$' } },
  },
} as const;

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

export async function feedRoutes(app: FastifyInstance, deps: FeedRoutesDeps): Promise<void> {
  async function send(request: FastifyRequest, reply: FastifyReply, format: FeedFormat, subject: FeedSubject) {
    const s = deps.settings.current();
    const listed = await deps.feeds.list(subject, { name: s.siteName, description: s.siteDescription });
    const extra = subject.kind === 'site' && deps.highlights ? await deps.highlights() : undefined;
    const list = extra ? { ...listed.list, extras: extra.items } : listed.list;
    const tags = extra ? [...listed.tags, ...extra.tags] : listed.tags;
    const { body, contentType } = renderFeed(format, list, {
      siteUrl: deps.siteUrl,
      siteName: s.siteName,
      language: deps.language,
      content: s.feedContent,
      hub: deps.websubHub,
      logo: s.logo,
      clock: deps.clock,
    });
    // The feed's bytes say when its newest article changed; this says when this copy was made, which also
    // moves when an article leaves the feed (unpublished), so If-Modified-Since never hides a change.
    return deps.pages.send(request, reply, { html: body, contentType, tags, lastModified: new Date() });
  }

  for (const format of Object.keys(FEED_FORMATS) as FeedFormat[]) {
    const file = FEED_FORMATS[format].file;
    app.get(`/${file}`, async (request, reply) => send(request, reply, format, { kind: 'site' }));
    for (const kind of ['tag', 'author'] as const) {
      app.get(`/${kind}/:slug/${file}`, { schema: slugParams }, async (request: SlugRequest, reply) =>
        send(request, reply, format, { kind, slug: request.params.slug }),
      );
    }
    app.get(`/:slug/${file}`, { schema: slugParams }, async (request: SlugRequest, reply) =>
      send(request, reply, format, { kind: 'section', slug: request.params.slug }),
    );
  }
}
