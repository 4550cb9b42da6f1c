/**
 * Sending rendered pages: validators (ETag → 304), compression negotiated
 * per client, cache headers, security headers, and the shared page cache.
 *
 * Cache hits are answered by `serveFromCache` on the raw Node request, before
 * any routing work: from the HTTP server itself in production (see
 * `createServerFactory`) and from an `onRequest` hook under `app.inject()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerFactory } from 'fastify';
import type { PageCache } from './page-cache.js';
import { matchesEtag, PageEntry } from './page-entry.js';
import type { HeaderMap } from './security-headers.js';

/**
 * Pages may be kept by shared caches (nginx, a CDN) for `sharedSeconds`, the
 * staleness a site accepts there after a publish; browsers always revalidate
 * (cheap, thanks to the ETag).
 */
export function pageCacheControl(sharedSeconds: number): string {
  return sharedSeconds > 0
    ? `public, max-age=0, s-maxage=${sharedSeconds}, stale-while-revalidate=${sharedSeconds}`
    : 'public, max-age=0, must-revalidate';
}
export const NO_STORE = 'no-store';

/**
 * The cache key of a page request: its path plus the query parameters pages
 * understand; undefined when the request must not come from the cache.
 */
export function cacheKey(request: { method?: string; url?: string }): string | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  if (q === -1) return url;
  const page = new URLSearchParams(url.slice(q + 1)).get('page');
  if (page === null) return url.slice(0, q);
  return /^[1-9]\d{0,3}$/.test(page) ? `${url.slice(0, q)}?page=${page}` : undefined;
}

/** Writes an entry to a raw response: 304 when the client's copy is current, else the best encoding it accepts. */
export function writeEntry(req: IncomingMessage, res: ServerResponse, entry: PageEntry, security: HeaderMap): void {
  if (entry.statusCode === 200 && matchesEtag(req.headers['if-none-match'], entry.etag)) {
    res.writeHead(304, { ...security, 'cache-control': entry.cacheControl, etag: entry.etag, vary: 'Accept-Encoding' });
    res.end();
    return;
  }
  const encoding = entry.negotiate(req.headers['accept-encoding']);
  res.writeHead(entry.statusCode, entry.headers(encoding, security));
  res.end(req.method === 'HEAD' ? undefined : entry.encoded(encoding));
}

/** Answers from the cache if it holds this request's page; returns whether it did. */
export function serveFromCache(
  req: IncomingMessage,
  res: ServerResponse,
  cache: PageCache,
  security: HeaderMap,
): boolean {
  const key = cacheKey(req);
  const entry = key === undefined ? undefined : cache.get(key);
  if (!entry) return false;
  writeEntry(req, res, entry, security);
  return true;
}

/** An HTTP server that answers cache hits itself and hands everything else to Fastify. */
export function createServerFactory(cache: PageCache | undefined, security: HeaderMap): FastifyServerFactory {
  return (handler) =>
    createServer((req, res) => {
      if (!cache || !serveFromCache(req, res, cache, security)) handler(req, res);
    }) as Server;
}

export interface PageSender {
  /** Sends a page once rendered; caches it when allowed (GET/HEAD, 200, cache on, tags given). */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { html: string; tags?: string[]; statusCode?: number; cacheControl?: string },
  ): FastifyReply;
  /** Sends a prepared entry (assets). */
  sendEntry(request: FastifyRequest, reply: FastifyReply, entry: PageEntry): FastifyReply;
}

export function createPageSender(
  app: FastifyInstance,
  cache: PageCache | undefined,
  security: HeaderMap,
  sharedSeconds: number,
  /** Tags every cached page carries besides its own: what the shared chrome shows (`weather`). */
  chromeTags: readonly string[] = [],
): PageSender {
  const defaultCacheControl = pageCacheControl(sharedSeconds);
  // The cache's generation when each request began: what it renders from then on may already be stale.
  const generations = new WeakMap<FastifyRequest, number>();
  // Every response, pages or not, carries the security headers.
  app.addHook('onRequest', async (request, reply) => {
    if (cache && serveFromCache(request.raw, reply.raw, cache, security)) return reply.hijack();
    if (cache) generations.set(request, cache.generation);
    reply.headers(security);
  });
  const sendEntry = (request: FastifyRequest, reply: FastifyReply, entry: PageEntry) => {
    reply.hijack();
    writeEntry(request.raw, reply.raw, entry, security);
    return reply;
  };
  return {
    send(request, reply, page) {
      const entry = new PageEntry(
        page.statusCode ?? 200,
        'text/html; charset=utf-8',
        page.cacheControl ?? defaultCacheControl,
        Buffer.from(page.html),
      );
      const key = cacheKey(request);
      if (cache && key !== undefined && entry.statusCode === 200 && page.tags) {
        cache.set(key, entry, [...page.tags, ...chromeTags], generations.get(request) ?? -1);
      }
      return sendEntry(request, reply, entry);
    },
    sendEntry,
  };
}
