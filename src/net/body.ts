/**
 * Bodies in and out of the HTTP client: what a request sends (and the
 * Content-Type that goes with it), and a response's bytes read under a size
 * limit that holds after decompression too, so a small gzip bomb cannot
 * become a gigabyte in memory.
 *
 * @example
 *   encodeBody({ json: { event: 'published', id: 7 } });
 *   // { data: '{"event":"published","id":7}', contentType: 'application/json' }
 *   const bytes = await readBody(res.body, headers, 1024 * 1024);
 */
import type { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { HttpError } from './http-error.js';

/**
 * What a request can send:
 * - a string, as UTF-8 (`text/plain; charset=utf-8` unless the headers say otherwise);
 * - bytes (`application/octet-stream` unless the headers say otherwise);
 * - `{ json: value }`, serialised (`application/json`);
 * - `{ form: fields }`, URL-encoded (`application/x-www-form-urlencoded`).
 */
export type RequestBody =
  | string
  | Uint8Array
  | { json: unknown }
  | { form: Record<string, string> | URLSearchParams | [string, string][] };

export interface EncodedBody {
  data: string | Buffer;
  contentType: string;
}

/**
 * The bytes to send for a body, and their Content-Type.
 *
 * @example
 *   encodeBody({ form: { q: 'Łódź', page: '2' } });
 *   // { data: 'q=%C5%81%C3%B3d%C5%BA&page=2', contentType: 'application/x-www-form-urlencoded' }
 */
export function encodeBody(body: RequestBody): EncodedBody {
  if (typeof body === 'string') return { data: body, contentType: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) {
    return {
      data: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      contentType: 'application/octet-stream',
    };
  }
  if ('json' in body) {
    const data = JSON.stringify(body.json);
    // JSON.stringify(undefined) is undefined, not a string: a caller's mistake, not something to send.
    if (data === undefined) throw new TypeError('a JSON body must be a value JSON can represent');
    return { data, contentType: 'application/json' };
  }
  return { data: new URLSearchParams(body.form).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * A response body, read whole and decompressed, or HTTP_TOO_LARGE as soon as
 * it is over `maxBytes` (declared, received or decompressed).
 *
 * @example
 *   const bytes = await readBody(res.body, { 'content-encoding': 'gzip' }, 1024 * 1024);
 */
export async function readBody(
  stream: Readable,
  headers: Readonly<Record<string, string>>,
  maxBytes: number,
): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    throw new HttpError('HTTP_TOO_LARGE', `content-length ${declared} over ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new HttpError('HTTP_TOO_LARGE', `body over ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return decompress(Buffer.concat(chunks), headers['content-encoding'], maxBytes);
}

function decompress(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  // A 304 or a HEAD answer may name an encoding for a body it does not have.
  if (body.length === 0) return body;
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
