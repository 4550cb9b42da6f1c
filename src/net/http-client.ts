/**
 * The one door for outbound HTTP, created once by the composition root and
 * shared by everything that calls out (weather, feeds, URL import,
 * webhooks). Every request has:
 * - a total time budget (connect, headers, body, every redirect);
 * - a response size limit, after decompression too;
 * - an identifying User-Agent, and optional conditional-GET headers;
 * - redirects followed by our own loop, each hop checked like the first:
 *   http(s) only, and no private, loopback or link-local address (literal,
 *   or the address a name resolves to) except host names the operator named
 *   (`allowPrivateHosts`) — and those only by requests that start there, so a
 *   server elsewhere cannot redirect us into the operator's network;
 * - the raw bytes and the text decoded in the body's own charset.
 *
 * @example
 *   const http = createHttpClient({ userAgent: 'Dateline/1 (+https://news.example)', timeoutMs: 2000 });
 *   const feed = await http.get('https://news.example/feed.xml', { ifNoneMatch: previous.etag });
 *   feed.status; // 200, or 304 when unchanged
 *   feed.body; // text, decoded by the Content-Type or <?xml encoding="…"?>
 *   feed.url; // where the redirects ended
 *   await http.post('https://hooks.example/in', { json: { event: 'published' } });
 *   await http.close();
 */
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { findBlocked, guardedLookup, hostOf, refuseLiteral } from './address-guard.js';
import { encodeBody, type RequestBody, readBody } from './body.js';
import { decodeText } from './charset.js';
import { HttpError } from './http-error.js';
import { DEFAULT_MAX_REDIRECTS, type Hop, type HttpMethod, nextHop, REDIRECT_STATUSES } from './redirects.js';

export { isPrivateAddress } from './address-guard.js';
export type { RequestBody } from './body.js';
export { HttpError, type HttpErrorCode } from './http-error.js';
export type { HttpMethod } from './redirects.js';

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The body as received, decompressed. */
  bytes: Buffer;
  /** The body as text, in its charset (BOM, Content-Type, in-document declaration, else UTF-8). Decoded on first read. */
  readonly body: string;
  /** The charset `body` was decoded with, by its WHATWG name ('utf-8', 'windows-1251'…). */
  readonly charset: string;
  /** The URL that answered: the request's own, or where its redirects ended. */
  url: string;
  /** Redirects followed to get here. */
  redirects: number;
  /** Wall time of the whole exchange, redirects included. */
  ms: number;
}

/** Options of one request. `get` and `post` take the same, without `method` and `body`. */
export interface RequestOptions {
  /** Default GET. */
  method?: HttpMethod;
  body?: RequestBody;
  /** Added to (or overriding) the client's: user-agent, accept, accept-encoding, and the body's content-type. */
  headers?: Record<string, string>;
  /** Overrides the client's budget for this request, redirects included. */
  timeoutMs?: number;
  /** Overrides the client's size limit for this request. */
  maxBytes?: number;
  /** The previous response's `Last-Modified`, sent back verbatim. */
  ifModifiedSince?: string;
  ifNoneMatch?: string;
  /** 'follow' (default) follows redirects; 'manual' hands back the 3xx answer with its `location`. */
  redirect?: 'follow' | 'manual';
  /** Redirects followed before failing with HTTP_TOO_MANY_REDIRECTS. Default 5. */
  maxRedirects?: number;
  /** Ends the request early (a shutdown, a cancelled job): fails with HTTP_ABORTED. */
  signal?: AbortSignal;
}

export type GetOptions = Omit<RequestOptions, 'method' | 'body'>;

export interface HttpClient {
  /** Any method; throws HttpError when there is no usable response (any status is a response). */
  request(url: string, options?: RequestOptions): Promise<HttpResponse>;
  get(url: string, options?: GetOptions): Promise<HttpResponse>;
  post(url: string, body: RequestBody, options?: GetOptions): Promise<HttpResponse>;
  /** Closes the client's own connections (not an injected dispatcher). */
  close(): Promise<void>;
}

export interface HttpClientOptions {
  userAgent: string;
  /** Each request's budget unless it gives its own. Default 10 s. */
  timeoutMs?: number;
  /** Largest body accepted, compressed or not. Default 1 MiB. */
  maxBytes?: number;
  /** Host names (as written in URLs) that may be private or loopback: the operator's own services. */
  allowPrivateHosts?: Iterable<string>;
  /** Where requests go: tests inject an undici `MockAgent`; by default an Agent with the address guard. */
  dispatcher?: Dispatcher;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The client. One per application: it holds the connection pools.
 *
 * @example
 *   const http = createHttpClient({ userAgent: 'Dateline/1', timeoutMs: 5000, allowPrivateHosts: ['meteo.internal'] });
 *   const res = await http.get('http://meteo.internal/v1/forecast?latitude=1&longitude=2', {
 *     headers: { accept: 'application/json' },
 *   });
 *   JSON.parse(res.body);
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const defaultMaxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowed: ReadonlySet<string> = new Set([...(options.allowPrivateHosts ?? [])].map((h) => h.toLowerCase()));
  const own = options.dispatcher
    ? undefined
    : new Agent({
        connect: { lookup: guardedLookup(allowed), timeout: defaultTimeoutMs },
        keepAliveTimeout: 10_000,
        connections: 8,
      });
  const dispatcher = options.dispatcher ?? (own as Agent);

  async function request(url: string, init: RequestOptions = {}): Promise<HttpResponse> {
    const method = init.method ?? 'GET';
    if (init.body !== undefined && (method === 'GET' || method === 'HEAD')) {
      throw new TypeError(`a ${method} request has no body`);
    }
    const encoded = init.body === undefined ? undefined : encodeBody(init.body);
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const maxBytes = init.maxBytes ?? defaultMaxBytes;
    const maxRedirects = init.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([deadline, init.signal]) : deadline;
    let hop: Hop = {
      url: parseUrl(url),
      method,
      headers: {
        'user-agent': options.userAgent,
        accept: '*/*',
        'accept-encoding': 'gzip, deflate, br',
        ...(init.ifModifiedSince ? { 'if-modified-since': init.ifModifiedSince } : {}),
        ...(init.ifNoneMatch ? { 'if-none-match': init.ifNoneMatch } : {}),
        ...(encoded ? { 'content-type': encoded.contentType } : {}),
        ...lowerCaseNames(init.headers),
      },
      body: encoded?.data,
    };
    /** Every hop so far was one of the operator's hosts. */
    let ownChain = true;
    const started = performance.now();
    try {
      for (let redirects = 0; ; redirects++) {
        requireHttp(hop.url);
        const host = hostOf(hop.url);
        // The operator's hosts may be private: a server elsewhere must not steer us into them.
        if (allowed.has(host) && !ownChain) {
          throw new HttpError('HTTP_BLOCKED_ADDRESS', `a redirect from elsewhere into ${host}, an operator's host`);
        }
        ownChain &&= allowed.has(host);
        refuseLiteral(hop.url, allowed);
        const res = await undiciRequest(hop.url, {
          method: hop.method,
          headers: hop.headers,
          body: hop.body ?? null,
          signal,
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const headers = flatten(res.headers);
        const location = headers['location'];
        if (init.redirect !== 'manual' && REDIRECT_STATUSES.has(res.statusCode) && location !== undefined) {
          await res.body.dump().catch(() => undefined); // frees the connection; its content is of no use
          if (redirects >= maxRedirects) {
            throw new HttpError('HTTP_TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects`);
          }
          hop = nextHop(hop, res.statusCode, location);
          continue;
        }
        const bytes = await readBody(res.body, headers, maxBytes);
        return response({
          status: res.statusCode,
          headers,
          bytes,
          url: hop.url.href,
          redirects,
          ms: performance.now() - started,
        });
      }
    } catch (err) {
      if (err instanceof HttpError) throw err;
      // undici's own headers/body timers run on the same budget and may fire first.
      if (deadline.aborted || isUndiciTimeout(err))
        throw new HttpError('HTTP_TIMEOUT', `no complete answer within ${timeoutMs} ms`, err);
      if (init.signal?.aborted) throw new HttpError('HTTP_ABORTED', 'aborted by the caller', err);
      const blocked = findBlocked(err);
      if (blocked) throw blocked;
      throw new HttpError('HTTP_NETWORK', (err as Error).message ?? 'request failed', err);
    }
  }

  return {
    request,
    get: (url, init = {}) => request(url, { ...init, method: 'GET' }),
    post: (url, body, init = {}) => request(url, { ...init, method: 'POST', body }),
    async close() {
      await own?.close();
    },
  };
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch (err) {
    throw new HttpError('HTTP_BAD_URL', 'not an absolute URL', err);
  }
}

function requireHttp(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError('HTTP_BAD_URL', `unsupported protocol ${url.protocol}`);
  }
}

/** A response whose text is decoded only when read: an image fetched for its bytes is never decoded. */
function response(fields: Omit<HttpResponse, 'body' | 'charset'>): HttpResponse {
  let decoded: ReturnType<typeof decodeText> | undefined;
  const text = () => {
    decoded ??= decodeText(fields.bytes, fields.headers['content-type']);
    return decoded;
  };
  return {
    ...fields,
    get body() {
      return text().text;
    },
    get charset() {
      return text().charset;
    },
  };
}

function lowerCaseNames(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
