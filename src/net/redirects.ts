/**
 * What the next request looks like after a redirect, as browsers do it
 * (the Fetch standard's "HTTP-redirect fetch"): 303 — and 301/302 after a
 * POST — becomes a GET without a body; 307/308 repeat the request as it was;
 * credentials are not carried to another origin. Whether the new URL may be
 * reached at all is the client's check, made on every hop like on the first.
 *
 * @example
 *   const next = nextHop({ url, method: 'POST', headers, body }, 303, '/thanks');
 *   next.method; // 'GET', no body, no content-type
 */
import { HttpError } from './http-error.js';

/** Statuses that are followed; 300 (choices) and 304 (not modified) are answers. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Redirects followed unless a request says otherwise. */
export const DEFAULT_MAX_REDIRECTS = 5;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request of a redirect chain. Header names are lower case. */
export interface Hop {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/** Headers that describe the body: gone with the body. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
/** Headers that carry who we are to one origin: never handed to another. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'];

/**
 * The request that follows a redirect answer (`status` with `location`).
 * Throws HTTP_BAD_URL when the location is not a URL at all.
 *
 * @example
 *   nextHop({ url: new URL('https://a.example/x'), method: 'GET', headers: { authorization: 'Bearer t' }, body: undefined },
 *     302, 'https://b.example/y').headers; // {} — the token stays with a.example
 */
export function nextHop(previous: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch (err) {
    throw new HttpError('HTTP_BAD_URL', 'redirect to something that is not a URL', err);
  }
  const headers = { ...previous.headers };
  let { method, body } = previous;
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (url.origin !== previous.url.origin) {
    for (const name of CREDENTIAL_HEADERS) delete headers[name];
  }
  return { url, method, headers, body };
}
