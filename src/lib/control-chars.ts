/**
 * Control characters out of imported text. PostgreSQL refuses NUL in text
 * while SQLite stores it, so an archive imported into one could not be
 * copied to the other; the other C0 and C1 controls (and lone surrogates,
 * which are not UTF-8) have no place in news text either and break XML feeds.
 * Tabs and line breaks stay: a plain-text body is split on them.
 *
 * @example
 *   withoutControlChars({ title: 'A\u0000B', tags: ['x\u0007'] }); // { title: 'AB', tags: ['x'] }
 */
export function withoutControlChars<T>(value: T): T {
  if (typeof value === 'string') return stripControlChars(value) as T;
  if (Array.isArray(value)) return value.map(withoutControlChars) as T;
  // Plain objects only: a Date (or any class) is kept as it is.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = withoutControlChars(v);
    return out as T;
  }
  return value;
}

const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One string without control characters or lone surrogates (see `withoutControlChars`). */
export function stripControlChars(text: string): string {
  return text.replace(CONTROL, '');
}
