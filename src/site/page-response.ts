/**
 * Sending rendered pages: validators (ETag → 304), content negotiation for
 * compression, cache headers, and the shared page cache, in one place.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PageCache } from './page-cache.js';
import { matchesEtag, PageEntry } from './page-entry.js';

/** Pages may be kept by shared caches briefly; browsers revalidate (cheap, thanks to the ETag). */
export const PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=30, stale-while-revalidate=30';
export const NO_STORE = 'no-store';

export function sendEntry(request: FastifyRequest, reply: FastifyReply, entry: PageEntry): FastifyReply {
  reply.header('cache-control', entry.cacheControl).header('etag', entry.etag).header('vary', 'Accept-Encoding');
  if (entry.statusCode === 200 && matchesEtag(request.headers['if-none-match'], entry.etag)) {
    return reply.code(304).send();
  }
  const encoding = entry.negotiate(request.headers['accept-encoding']);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  const body = entry.encoded(encoding);
  return reply
    .code(entry.statusCode)
    .header('content-type', entry.contentType)
    .header('content-length', body.length)
    .send(body);
}

export interface PageSender {
  /** Renders once, caches when allowed (GET/HEAD, 200, cache on), sends. */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { html: string; tags?: string[]; statusCode?: number; cacheControl?: string },
  ): FastifyReply;
}

/**
 * The cache key of a page request: its path plus the query parameters pages
 * understand; undefined when the request must not come from the cache.
 */
export function cacheKey(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const url = request.url;
  const q = url.indexOf('?');
  if (q === -1) return url;
  const page = new URLSearchParams(url.slice(q + 1)).get('page');
  if (page === null) return url.slice(0, q);
  return /^[1-9]\d{0,3}$/.test(page) ? `${url.slice(0, q)}?page=${page}` : undefined;
}

export function createPageSender(app: FastifyInstance, cache: PageCache | undefined): PageSender {
  if (cache) {
    // Serve hits before routing work starts. Registered after the security headers hook, so hits carry them too.
    app.addHook('onRequest', async (request, reply) => {
      const key = cacheKey(request);
      const entry = key === undefined ? undefined : cache.get(key);
      if (entry) return sendEntry(request, reply, entry);
    });
  }
  return {
    send(request, reply, page) {
      const entry = new PageEntry(
        page.statusCode ?? 200,
        'text/html; charset=utf-8',
        page.cacheControl ?? PAGE_CACHE_CONTROL,
        Buffer.from(page.html),
      );
      const key = cacheKey(request);
      if (cache && key !== undefined && entry.statusCode === 200 && page.tags) cache.set(key, entry, page.tags);
      return sendEntry(request, reply, entry);
    },
  };
}
