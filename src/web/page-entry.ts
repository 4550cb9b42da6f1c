/**
 * A rendered response ready to send many times: body, validators, and
 * compressed variants made once, on first demand.
 */
import { hash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

const MIN_COMPRESS_BYTES = 1024;
const LARGE_BODY = 64 * 1024;

export class PageEntry {
  readonly etag: string;
  private readonly variants = new Map<Encoding, Buffer>();
  private readonly headerSets = new Map<Encoding, Record<string, string>>();

  constructor(
    readonly statusCode: number,
    readonly contentType: string,
    readonly cacheControl: string,
    readonly body: Buffer,
    /** An HTTP date (`Last-Modified`): what changed last in what the page shows (feeds, sitemaps). */
    readonly lastModified?: string,
  ) {
    // One call (no Hash object): most of an uncached page's hashing cost was the object, not the bytes.
    this.etag = `W/"${hash('sha1', body, 'base64url')}"`;
    this.variants.set('identity', body);
  }

  /** Approximate memory held, for the cache's byte budget. */
  get size(): number {
    let n = 256;
    for (const b of this.variants.values()) n += b.length;
    return n;
  }

  /** The body in the given encoding, compressing on first use. */
  encoded(encoding: Encoding): Buffer {
    let buf = this.variants.get(encoding);
    if (!buf) {
      buf =
        encoding === 'br'
          ? brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
          : // Compressed once, sent many times: a large body (a sitemap) is worth gzip's best, a quarter fewer bytes.
            gzipSync(this.body, { level: this.body.length > LARGE_BODY ? 9 : 6 });
      this.variants.set(encoding, buf);
    }
    return buf;
  }

  /** The response headers for one encoding, built once (security headers first, then the entry's own). */
  headers(encoding: Encoding, base: Readonly<Record<string, string>>): Record<string, string> {
    let set = this.headerSets.get(encoding);
    if (!set) {
      set = {
        ...base,
        'content-type': this.contentType,
        'cache-control': this.cacheControl,
        etag: this.etag,
        ...(this.lastModified ? { 'last-modified': this.lastModified } : {}),
        vary: 'Accept-Encoding',
        'content-length': String(this.encoded(encoding).length),
        ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      };
      this.headerSets.set(encoding, set);
    }
    return set;
  }

  /** The best encoding this client accepts (brotli, then gzip), or identity for small bodies. */
  negotiate(acceptEncoding: string | undefined): Encoding {
    if (!acceptEncoding || this.body.length < MIN_COMPRESS_BYTES) return 'identity';
    if (accepts(acceptEncoding, 'br')) return 'br';
    if (accepts(acceptEncoding, 'gzip')) return 'gzip';
    return 'identity';
  }
}

function accepts(header: string, coding: string): boolean {
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/**
 * True when the client's copy is current: its If-None-Match matches the ETag,
 * or, without one (RFC 9110 §13.1.3), its If-Modified-Since is no earlier
 * than the entry's Last-Modified.
 *
 * @example
 *   isCurrent({ 'if-modified-since': 'Tue, 05 Mar 2024 18:30:00 GMT' }, entry); // true when nothing changed since
 */
export function isCurrent(
  headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined },
  entry: Pick<PageEntry, 'etag' | 'lastModified'>,
): boolean {
  if (headers['if-none-match'] !== undefined) return matchesEtag(headers['if-none-match'], entry.etag);
  const since = headers['if-modified-since'];
  if (!since || !entry.lastModified) return false;
  const at = Date.parse(since);
  return Number.isFinite(at) && at >= Date.parse(entry.lastModified);
}

/** True when an If-None-Match header matches this ETag (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}
