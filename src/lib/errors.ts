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
  CROSS_ORIGIN: 403,
  /** An article with this external id exists: update it instead. */
  DUPLICATE_ARTICLE: 409,
  /** The article changed since the version the edit was based on. */
  VERSION_CONFLICT: 409,
  INVALID_ARTICLE: 422,
  /** The body editor's document is malformed (details list each problem). */
  INVALID_DOCUMENT: 422,
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
