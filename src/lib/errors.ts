/**
 * The catalogue of errors with stable codes. Tests and API clients rely on
 * `code` and `statusCode`, never on message text.
 */

export const ERROR_CODES = {
  NOT_FOUND: 404,
  ARTICLE_NOT_FOUND: 404,
  SECTION_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  AUTHOR_NOT_FOUND: 404,
  PAGE_OUT_OF_RANGE: 404,
  PLACE_NOT_FOUND: 404,
  BAD_QUERY: 400,
  BAD_REQUEST: 400,
  BAD_URL: 400,
  /** A content API cursor that is not one the API gave (junk, forged, from another list). */
  BAD_CURSOR: 400,
  /** The content API asks for its key (CONTENT_API_KEY) and the request has none, or another. */
  API_KEY_INVALID: 401,
  /** Too many content API requests from one client; `Retry-After` says when to try again. */
  RATE_LIMITED: 429,
  WEBHOOK_NOT_FOUND: 404,
  SOURCE_NOT_FOUND: 404,
  /** A feed source's address, section, mode or interval that cannot be used. */
  INVALID_SOURCE: 422,
  /** A feed source with this address exists. */
  SOURCE_EXISTS: 409,
  LIVE_COVERAGE_NOT_FOUND: 404,
  LIVE_ENTRY_NOT_FOUND: 404,
  /** A live coverage or entry that cannot be saved as given (empty, too long, a bad status). */
  INVALID_LIVE: 422,
  /** The coverage ended: it is locked. */
  LIVE_ENDED: 409,
  /** Too many live streams open (per address or for the whole instance); `Retry-After` says when to try again. */
  LIVE_STREAMS_FULL: 503,
  /** No breaking-news flag with this id. */
  BREAKING_NOT_FOUND: 404,
  /** A breaking-news flag that cannot be made as asked (nothing published to point at, a time box out of range). */
  INVALID_BREAKING: 422,
  /** A webhook's address or events that cannot be used. */
  INVALID_WEBHOOK: 422,
  CROSS_ORIGIN: 403,
  /** Not signed in, or the session ended (expired, logged out, account deactivated). */
  UNAUTHENTICATED: 401,
  /** Wrong email or password: the same answer, and the same work, for an email nobody has. */
  LOGIN_FAILED: 401,
  /** Signed in, but the user's role does not allow this (`src/accounts/policy.ts`). */
  FORBIDDEN: 403,
  /** A state-changing request without the session's CSRF token, or with a forged one. */
  CSRF_INVALID: 403,
  /** The current password, asked for before changing it, is wrong. */
  WRONG_PASSWORD: 403,
  USER_NOT_FOUND: 404,
  /** An invitation or password-reset token that was never issued (or was revoked). */
  TOKEN_INVALID: 404,
  /** An invitation or password-reset token past its time. */
  TOKEN_EXPIRED: 410,
  /** An invitation or password-reset token already used once. */
  TOKEN_USED: 410,
  /** The first admin can only be created while the site has no user. */
  ACCOUNTS_ALREADY_SET_UP: 409,
  /** A user (or, for an invitation, a user already) has this email. */
  EMAIL_TAKEN: 409,
  /** The change would leave the site without an active admin. */
  LAST_ADMIN: 409,
  /** An article with this external id exists: update it instead. */
  DUPLICATE_ARTICLE: 409,
  /** The article changed since the version the edit was based on. */
  VERSION_CONFLICT: 409,
  /** The article may not be published before its embargo. */
  EMBARGOED: 409,
  /** The article is not in a state this step starts from (approving an article nobody submitted). */
  INVALID_TRANSITION: 409,
  REVISION_NOT_FOUND: 404,
  INVALID_ARTICLE: 422,
  /** A section, tag or author name or photo that cannot be used. */
  INVALID_TAXONOMY: 422,
  /** A section articles are filed under cannot be removed. */
  SECTION_IN_USE: 409,
  /** A site setting an admin entered is not valid (an unknown time zone…). */
  INVALID_SETTINGS: 422,
  /** The editor's document is not one (wrong shape, unknown nodes, unsafe links). */
  INVALID_DOCUMENT: 422,
  /** An upload over the size limit (UPLOAD_MAX_MB), or with more pixels than an image may have (a decompression bomb). */
  IMAGE_TOO_LARGE: 413,
  /** An upload that is not a JPEG, PNG, WebP, AVIF or GIF by its content (SVG, HTML, HEIC…), whatever its name. */
  IMAGE_UNSUPPORTED: 415,
  /** An upload of a supported type whose data cannot be decoded (truncated, damaged). */
  IMAGE_CORRUPT: 422,
  /** An email, name, role or password that breaks the account rules; `details` lists the problems by field. */
  INVALID_ACCOUNT: 422,
  /** Too many failed logins for the account or from the address; `details.retryAfter` is in seconds. */
  LOGIN_THROTTLED: 429,
  /** A page of the site's own (About, Contact…) that does not exist. */
  CONTENT_PAGE_NOT_FOUND: 404,
  /** A content page's title, address or body that cannot be used. */
  INVALID_PAGE: 422,
  /** Another content page, or a section, has this address. */
  PAGE_SLUG_TAKEN: 409,
  /** A file given to `import-wordpress` or `import-ghost` that is not that platform's export. */
  INVALID_EXPORT: 422,
  /** A page fetched for import holds no article (an index page, a login wall, an error page): nothing was stored. */
  NO_ARTICLE_FOUND: 422,
  /** A page to import that is not HTML (a PDF, an image, JSON). */
  URL_NOT_HTML: 415,
  /** A page to import over the size limit. */
  URL_TOO_LARGE: 413,
  /** A page to import that did not answer in time. */
  URL_TIMEOUT: 422,
  /** A page to import on a private, loopback or reserved address (or redirecting to one). */
  URL_BLOCKED: 422,
  /** A page to import that could not be fetched: an error status, a network failure, a redirect loop. */
  URL_FETCH_FAILED: 422,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = ERROR_CODES[code];
  }
}

export const notFound = (code: ErrorCode = 'NOT_FOUND', message = 'Not found'): AppError => new AppError(code, message);
