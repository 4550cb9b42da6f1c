/**
 * What crawlers read, a plugin of the reader face: `/robots.txt`,
 * `/sitemap.xml` (an index), `/sitemaps/<kind>-<n>.xml` and
 * `/news-sitemap.xml`. Sent through the face's page sender, so they are kept
 * in the page cache like pages and revalidated by ETag or If-Modified-Since.
 *
 * An articles file carries the tag of its block of ids alone
 * (`articles-block:N`, dropped by `publishing/` when one of its articles is
 * published, changed or withdrawn), so a publish costs one file to write
 * again, the newest, not every file of the archive. The other files carry
 * `latest` and every section's tag: any change to published content drops
 * them, on every instance. A change to sections, tags, authors or settings
 * drops everything anyway.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { articleBlockTag } from '../publishing/publishing.effects.js';
import type { PageSender } from '../web/page-response.js';
import type { SitemapKind, Sitemaps } from './sitemaps.js';

export interface SeoRoutesDeps {
  sitemaps: Sitemaps;
  pages: PageSender;
  siteUrl: string;
}

const XML = 'application/xml; charset=utf-8';

/** Who may crawl what: everything but the newsroom, and where the sitemaps are. */
export function robotsTxt(siteUrl: string): string {
  return `User-agent: *\nDisallow: /admin\n\nSitemap: ${siteUrl}/sitemap.xml\nSitemap: ${siteUrl}/news-sitemap.xml\n`;
}

export async function seoRoutes(app: FastifyInstance, deps: SeoRoutesDeps): Promise<void> {
  const send = async (request: FastifyRequest, reply: FastifyReply, body: string, tags?: string[]) =>
    deps.pages.send(request, reply, {
      html: body,
      contentType: XML,
      tags: ['sitemaps', ...(tags ?? ['latest', ...(await deps.sitemaps.contentTags())])],
      lastModified: new Date(),
    });

  app.get('/robots.txt', async (request, reply) =>
    deps.pages.send(request, reply, {
      html: robotsTxt(deps.siteUrl),
      contentType: 'text/plain; charset=utf-8',
      tags: ['robots'],
    }),
  );

  app.get('/sitemap.xml', async (request, reply) => send(request, reply, await deps.sitemaps.index()));

  // Live coverages are listed while they are live: a change to any (`live`) drops it.
  app.get('/news-sitemap.xml', async (request, reply) =>
    send(request, reply, await deps.sitemaps.news(), ['latest', 'live', ...(await deps.sitemaps.contentTags())]),
  );

  app.get<{ Params: { file: string } }>(
    '/sitemaps/:file',
    { schema: { params: { type: 'object', properties: { file: { type: 'string', maxLength: 40 } } } } },
    async (request, reply) => {
      const match = /^(pages|articles|tags|authors)-([1-9]\d{0,6})\.xml$/.exec(request.params.file);
      const kind = match?.[1] as SitemapKind | undefined;
      const n = Number(match?.[2]);
      const body = kind && (await deps.sitemaps.file(kind, n));
      if (!body) throw new AppError('NOT_FOUND', 'no such sitemap');
      return send(request, reply, body, kind === 'articles' ? [articleBlockTag(n)] : undefined);
    },
  );
}
