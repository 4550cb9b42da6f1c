/**
 * Opaque cursors for keyset pages: a client hands back what it was given and
 * never builds one. Inside, base64url of `a.<ms>.<id>` (an article list's
 * last publication time and id) or `s.<slug>` (a tag or author list's last
 * slug). Anything else — junk, a forged number out of range — is refused with
 * 400 BAD_CURSOR, never a 5xx.
 *
 * @example
 *   const c = articleCursor({ publishedAt: new Date('2024-01-01T00:00:00Z'), id: 7 });
 *   readArticleCursor(c); // { publishedAt: 2024-01-01T00:00:00.000Z, id: 7 }
 */
import type { KeysetPosition } from '../articles/article-keyset.repository.js';
import { AppError } from '../lib/errors.js';

/** Longer than any cursor we issue (a 200-character slug is about 270). */
export const CURSOR_MAX_LENGTH = 400;
const ID_MAX = 2_147_483_647;
/** The years 0001–9999: what both databases store and `Date` prints as ISO. */
const MS_MIN = -62_135_596_800_000;
const MS_MAX = 253_402_300_799_999;

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function decode(cursor: string): string {
  if (cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

const bad = () => new AppError('BAD_CURSOR', 'The cursor is not one this API gave');

export function articleCursor(p: KeysetPosition): string {
  return encode(`a.${p.publishedAt.getTime()}.${p.id}`);
}

export function readArticleCursor(cursor: string): KeysetPosition {
  const m = /^a\.(-?\d{1,15})\.(\d{1,10})$/.exec(decode(cursor));
  if (!m) throw bad();
  const ms = Number(m[1]);
  const id = Number(m[2]);
  if (ms < MS_MIN || ms > MS_MAX || id < 1 || id > ID_MAX) throw bad();
  return { publishedAt: new Date(ms), id };
}

export function slugCursor(slug: string): string {
  return encode(`s.${slug}`);
}

export function readSlugCursor(cursor: string): string {
  const text = decode(cursor);
  if (!text.startsWith('s.') || text.length < 3 || text.includes('\0') || text.includes('\uFFFD')) throw bad();
  return text.slice(2);
}
