/**
 * The outbound HTTP client's one error type, with stable codes. A response
 * with any status (404, 500, a redirect not followed) is not an error: only a
 * request that got no usable response is.
 *
 * @example
 *   try {
 *     await http.get(url);
 *   } catch (err) {
 *     if (err instanceof HttpError && err.code === 'HTTP_TIMEOUT') retryLater();
 *   }
 */

export type HttpErrorCode =
  /** No complete answer within the request's time budget (redirects included). */
  | 'HTTP_TIMEOUT'
  /** The body, compressed or once decompressed, is over the size limit. */
  | 'HTTP_TOO_LARGE'
  /** The URL, or a redirect, leads to a private, loopback or reserved address. */
  | 'HTTP_BLOCKED_ADDRESS'
  /** Connection refused or reset, DNS failure, a body that does not decompress. */
  | 'HTTP_NETWORK'
  /** Not an absolute http(s) URL, or a redirect to one that is not. */
  | 'HTTP_BAD_URL'
  /** More redirects than the request allows. */
  | 'HTTP_TOO_MANY_REDIRECTS'
  /** The caller's own `signal` aborted the request (a shutdown, a cancelled job). */
  | 'HTTP_ABORTED';

/** A request that got no usable HTTP response. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
