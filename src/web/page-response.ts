/**
 * Sending rendered pages: validators (ETag → 304), compression negotiated
 * per client, cache headers, security headers, and the shared page cache.
 *
 * Each face declares its caching (`CachePolicy`): the reader site's pages are
 * public and kept in the page cache and by shared caches in front; the
 * newsroom's are `private, no-store` and never enter any cache. A request
 * that carries a session cookie is never answered from, nor stored in, the
 * page cache, and its page goes out `private`: whatever a signed-in editor
 * sees is theirs.
 *
 * Cache hits are answered by `serveFromCache` on the raw Node request, before
 * any routing work: from the HTTP server itself in production (see
 * `createServerFactory`) and from an `onRequest` hook under `app.inject()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest, FastifyServerFactory } from 'fastify';
import type { PageCache, Stored } from './page-cache.js';
import { isCurrent, PageEntry } from './page-entry.js';
import type { SlotFiller } from './page-slot.js';
import type { HeaderMap } from './security-headers.js';

/** The newsroom's session cookie (issue 11). Its presence alone keeps a request away from shared caches. */
export const SESSION_COOKIE = 'dateline_session';

/** How a face's pages may be kept: by every cache (`public`), or by none (`private`). */
export type CachePolicy = { kind: 'public'; sharedSeconds: number } | { kind: 'private' };

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
export const PRIVATE_NO_STORE = 'private, no-store';

/** True when the Cookie header carries the session cookie (by name: its value is not ours to judge here). */
export function hasSession(cookie: string | string[] | undefined): boolean {
  if (cookie === undefined) return false;
  const header = Array.isArray(cookie) ? cookie.join('; ') : cookie;
  return header.split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

const PAGE_NUMBER = /^[1-9]\d{0,3}$/;

/**
 * Where a page is stored: its path, plus `?page=N` when the page reads the
 * page number and N > 1. Nothing else of the query string is part of the key,
 * so `/?page=7` or `/world?utm_source=x` cannot fill the cache with copies.
 * Undefined when the request must not be stored (not GET/HEAD, a session, a
 * page number that is not one).
 *
 * @example
 *   storeKey({ method: 'GET', url: '/world?page=2&ref=x', headers: {} }, true); // '/world?page=2'
 *   storeKey({ method: 'GET', url: '/?page=2', headers: {} }, false); // '/'
 */
export function storeKey(request: RawRequest, paged: boolean, passes: readonly string[] = []): string | undefined {
  if (!cacheable(request)) return undefined;
  const { path, query } = splitUrl(request.url);
  if (query === undefined) return path;
  const params = new URLSearchParams(query);
  if (passes.some((key) => params.has(key))) return undefined;
  if (!paged) return path;
  const page = params.get('page');
  if (page === null || page === '1') return path;
  return PAGE_NUMBER.test(page) ? `${path}?page=${page}` : undefined;
}

/**
 * The key of the page that answers this request among those `at` holds: its path when that page reads no
 * query, else the key of its page number. Undefined when no such page can answer it.
 */
function answeringKey(request: RawRequest, at: (key: string) => Stored | undefined): string | undefined {
  const { path, query } = splitUrl(request.url);
  const base = at(path);
  if (query === undefined) return base ? path : undefined;
  const params = new URLSearchParams(query);
  if (base?.passes.some((key) => params.has(key))) return undefined;
  if (base && !base.paged) return path;
  const page = params.get('page');
  if (page === null || page === '1') return base ? path : undefined;
  return PAGE_NUMBER.test(page) ? `${path}?page=${page}` : undefined;
}

/** The cached page that answers this request, if any (`answeringKey` among the fresh pages). */
export function findCached(request: RawRequest, cache: PageCache): PageEntry | undefined {
  if (!cacheable(request)) return undefined;
  const key = answeringKey(request, (k) => cache.lookup(k));
  return key === undefined ? undefined : cache.get(key);
}

type RawRequest = { method?: string | undefined; url?: string | undefined; headers: IncomingMessage['headers'] };

function cacheable(request: RawRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && !hasSession(request.headers.cookie);
}

function splitUrl(url = '/'): { path: string; query?: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** Writes an entry to a raw response: 304 when the client's copy is current, else the best encoding it accepts. */
export function writeEntry(req: IncomingMessage, res: ServerResponse, entry: PageEntry, security: HeaderMap): void {
  if (entry.statusCode === 200 && isCurrent(req.headers, entry)) {
    res.writeHead(304, {
      ...security,
      'cache-control': entry.cacheControl,
      etag: entry.etag,
      ...(entry.lastModified ? { 'last-modified': entry.lastModified } : {}),
      vary: 'Accept-Encoding',
    });
    res.end();
    return;
  }
  const encoding = entry.negotiate(req.headers['accept-encoding']);
  res.writeHead(entry.statusCode, entry.headers(encoding, security));
  res.end(req.method === 'HEAD' ? undefined : entry.encoded(encoding));
}

/** Requests that went on to render an invalidated page: asked again (the server, then its hook), they still render. */
const rendering = new WeakSet<IncomingMessage>();

/**
 * Answers from the cache if it holds this request's page; returns whether it did. A page invalidated and not
 * rendered again yet: the first request goes on to render it, those arriving meanwhile get the previous copy.
 */
export function serveFromCache(
  req: IncomingMessage,
  res: ServerResponse,
  cache: PageCache,
  security: HeaderMap,
  fill: SlotFiller,
): boolean {
  const entry = findCached(req, cache);
  if (entry) {
    writeEntry(req, res, fill(entry), security);
    return true;
  }
  if (!cacheable(req) || rendering.has(req)) return false;
  const key = answeringKey(req, (k) => cache.staleAt(k));
  const stale = key === undefined ? undefined : cache.staleOrRender(key);
  if (stale === undefined) return false;
  if (stale === 'render') {
    rendering.add(req);
    const done = () => cache.rendered(key!);
    res.once('finish', done);
    res.once('close', done);
    return false;
  }
  writeEntry(req, res, fill(stale.entry), security);
  return true;
}

/** An HTTP server that answers cache hits itself and hands everything else to Fastify. */
export function createServerFactory(
  cache: PageCache | undefined,
  security: HeaderMap,
  fill: SlotFiller,
): FastifyServerFactory {
  return (handler) =>
    createServer((req, res) => {
      if (!cache || !serveFromCache(req, res, cache, security, fill)) handler(req, res);
    }) as Server;
}

export interface Page {
  /** The body: HTML unless `contentType` says otherwise. */
  html: string;
  /** Default `text/html; charset=utf-8`; a feed or a sitemap gives its own, kept with it in the cache. */
  contentType?: string;
  /** When what the page shows last changed: sent as Last-Modified, and If-Modified-Since is answered by 304. */
  lastModified?: Date;
  /** What the page shows (`article:12`, `latest`): a page without tags is never stored. */
  tags?: string[];
  statusCode?: number;
  cacheControl?: string;
  /** The page reads `?page=N`; other pages ignore their query string and are stored once. */
  paged?: boolean;
  /**
   * Query keys the route answers itself (the home page's `?p=123`, an old
   * address): a request carrying one is neither answered from nor stored in
   * the page cache.
   */
  passes?: readonly string[];
}

export interface PageSender {
  /** Sends a page once rendered; stores it when the face's policy and the request allow (GET/HEAD, 200, tags). */
  send(request: FastifyRequest, reply: FastifyReply, page: Page): FastifyReply;
  /** Sends a prepared entry (assets). */
  sendEntry(request: FastifyRequest, reply: FastifyReply, entry: PageEntry): FastifyReply;
}

export interface PageSenderDeps {
  cache: PageCache | undefined;
  security: HeaderMap;
  policy: CachePolicy;
  /** The cache's generation when a request began (see `PageCache.generation`). */
  generationOf(request: FastifyRequest): number;
  /** Tags every cached page carries besides its own: what the shared chrome shows (`weather`). */
  chromeTags?: readonly string[];
  /** Fills the banner slot as a page goes out (the page is cached without it). */
  fill: SlotFiller;
}

export function createPageSender(deps: PageSenderDeps): PageSender {
  const { cache, security, policy, fill } = deps;
  const chromeTags = deps.chromeTags ?? [];
  const publicCacheControl = policy.kind === 'public' ? pageCacheControl(policy.sharedSeconds) : PRIVATE_NO_STORE;
  const sendEntry = (request: FastifyRequest, reply: FastifyReply, entry: PageEntry) => {
    reply.hijack();
    writeEntry(request.raw, reply.raw, entry, security);
    return reply;
  };
  return {
    send(request, reply, page) {
      const session = hasSession(request.headers.cookie);
      const shared = policy.kind === 'public' && !session;
      const cacheControl = shared ? (page.cacheControl ?? publicCacheControl) : PRIVATE_NO_STORE;
      const entry = new PageEntry(
        page.statusCode ?? 200,
        page.contentType ?? 'text/html; charset=utf-8',
        cacheControl,
        Buffer.from(page.html),
        page.lastModified?.toUTCString(),
      );
      const key = shared ? storeKey(request.raw, page.paged ?? false, page.passes) : undefined;
      if (cache && key !== undefined && entry.statusCode === 200 && page.tags) {
        const tags = [...page.tags, ...chromeTags];
        cache.set(key, entry, tags, deps.generationOf(request), page.paged ?? false, page.passes);
      }
      if (shared) return sendEntry(request, reply, fill(entry));
      // A private page keeps what its route set on the reply (a cookie); a shared one never carries any.
      reply.hijack();
      writeEntry(request.raw, reply.raw, fill(entry), {
        ...security,
        ...(reply.getHeaders() as Record<string, string>),
      });
      return reply;
    },
    sendEntry,
  };
}
