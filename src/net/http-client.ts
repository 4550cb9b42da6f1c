/**
 * The one door for outbound HTTP. Every request has a total time budget
 * (connect, headers and body), a response size limit (after decompression
 * too), an identifying User-Agent, optional conditional-GET headers, and a
 * guard that refuses private, loopback and link-local addresses — checked on
 * the address actually connected to, so a public name that resolves to
 * 127.0.0.1 is refused as well — except for host names the operator named
 * explicitly (`allowPrivateHosts`).
 *
 * @example
 *   const http = createHttpClient({ userAgent: 'Dateline/1 (+https://news.example)', timeoutMs: 2000 });
 *   const res = await http.get('https://api.example/v1/x?y=1', { ifModifiedSince: previous.lastModified });
 *   res.status; // 200, or 304 when unchanged
 *   await http.close();
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, type Dispatcher, request } from 'undici';

export type HttpErrorCode =
  | 'HTTP_TIMEOUT'
  | 'HTTP_TOO_LARGE'
  | 'HTTP_BLOCKED_ADDRESS'
  | 'HTTP_NETWORK'
  | 'HTTP_BAD_URL';

/** A request that got no usable HTTP response. A response with any status is not an error here. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  body: string;
  /** Wall time of the whole exchange. */
  ms: number;
}

export interface GetOptions {
  headers?: Record<string, string>;
  /** Overrides the client's budget for this request. */
  timeoutMs?: number;
  /** The previous response's `Last-Modified`, sent back verbatim. */
  ifModifiedSince?: string;
  ifNoneMatch?: string;
}

export interface HttpClient {
  get(url: string, options?: GetOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  /** Largest body accepted, compressed or not. Default 1 MiB. */
  maxBytes?: number;
  /** Host names (as written in URLs) that may be private or loopback: the operator's own services. */
  allowPrivateHosts?: Iterable<string>;
  /** Where requests go: tests inject an undici `MockAgent`; by default an Agent with the address guard. */
  dispatcher?: Dispatcher;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/**
 * True for addresses a public service never has: loopback, private ranges,
 * link-local, carrier-grade NAT, documentation, multicast and reserved ones
 * (IPv4-mapped IPv6 addresses are judged by their IPv4 part).
 *
 * @example
 *   isPrivateAddress('10.1.2.3'); // true
 *   isPrivateAddress('::ffff:127.0.0.1'); // true
 *   isPrivateAddress('151.101.1.69'); // false
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `dns.lookup` for sockets that fails when any address of a name not allowed is private. */
function guardedLookup(allowed: ReadonlySet<string>) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options }, (err, address, family) => {
      if (err) return callback(err, '');
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (!allowed.has(hostname.toLowerCase()) && addresses.some(isPrivateAddress)) {
        return callback(
          Object.assign(new HttpError('HTTP_BLOCKED_ADDRESS', `${hostname} resolves to a private address`), {
            errno: 0,
            syscall: 'lookup',
          }) as NodeJS.ErrnoException,
          '',
        );
      }
      callback(null, address as string | LookupAddress[], family);
    });
  };
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function decode(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, options);
      case 'deflate':
        return inflateSync(body, options);
      case 'br':
        return brotliDecompressSync(body, options);
      default:
        return body;
    }
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError('HTTP_TOO_LARGE', `decompressed body over ${maxBytes} bytes`, err);
    }
    throw new HttpError('HTTP_NETWORK', `could not decode a ${encoding} body`, err);
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const allowed = new Set([...(options.allowPrivateHosts ?? [])].map((h) => h.toLowerCase()));
  const own = options.dispatcher
    ? undefined
    : new Agent({
        connect: { lookup: guardedLookup(allowed), timeout: options.timeoutMs },
        keepAliveTimeout: 10_000,
        connections: 8,
      });
  const dispatcher = options.dispatcher ?? (own as Agent);

  async function get(url: string, init: GetOptions = {}): Promise<HttpResponse> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (err) {
      throw new HttpError('HTTP_BAD_URL', 'not an absolute URL', err);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new HttpError('HTTP_BAD_URL', `unsupported protocol ${parsed.protocol}`);
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    // A literal address never goes through DNS, so the socket's lookup guard would not see it.
    if (isIP(host) && isPrivateAddress(host) && !allowed.has(host)) {
      throw new HttpError('HTTP_BLOCKED_ADDRESS', `${host} is a private address`);
    }
    const timeoutMs = init.timeoutMs ?? options.timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate, br',
      ...(init.ifModifiedSince ? { 'if-modified-since': init.ifModifiedSince } : {}),
      ...(init.ifNoneMatch ? { 'if-none-match': init.ifNoneMatch } : {}),
      ...init.headers,
    };
    const started = performance.now();
    try {
      const res = await request(parsed, {
        method: 'GET',
        headers,
        signal,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const responseHeaders = flatten(res.headers);
      const declared = Number(responseHeaders['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy();
        throw new HttpError('HTTP_TOO_LARGE', `content-length ${declared} over ${maxBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          res.body.destroy();
          throw new HttpError('HTTP_TOO_LARGE', `body over ${maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      const body = decode(Buffer.concat(chunks), responseHeaders['content-encoding'], maxBytes).toString('utf8');
      return { status: res.statusCode, headers: responseHeaders, body, ms: performance.now() - started };
    } catch (err) {
      if (err instanceof HttpError) throw err;
      if (signal.aborted) throw new HttpError('HTTP_TIMEOUT', `no complete answer within ${timeoutMs} ms`, err);
      const blockedCause = findBlocked(err);
      if (blockedCause) throw blockedCause;
      throw new HttpError('HTTP_NETWORK', (err as Error).message ?? 'request failed', err);
    }
  }

  return {
    get,
    async close() {
      await own?.close();
    },
  };
}

/** The guard's error, wherever undici wrapped it. */
function findBlocked(err: unknown): HttpError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof HttpError && e.code === 'HTTP_BLOCKED_ADDRESS') return e;
  }
  return undefined;
}
