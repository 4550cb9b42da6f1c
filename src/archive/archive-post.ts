/**
 * What an importer of another platform's export hands on: each post as an
 * article input, its old addresses, and a name for reports ("post 11").
 */
import { type ArticleInput, stripTags } from '../articles/article.js';
import { stripControlChars } from '../lib/control-chars.js';

export interface ArchivePost {
  /** How the report names it: the platform's own id ("post 11"). */
  ref: string;
  input: ArticleInput;
  /** Its addresses on the old site, as `permalinkPath` keeps them. */
  oldPaths: string[];
}

export interface ArchiveSkip {
  ref: string;
  reason: string;
}

/** An export read: the posts to import, and what was left out and why (pages, attachments, trashed posts). */
export interface ParsedArchive {
  posts: ArchivePost[];
  skipped: ArchiveSkip[];
}

/**
 * Plain text out of an excerpt or a title: tags and control characters gone, spaces collapsed.
 *
 * @example
 *   plainText(' <b>Делегации</b>\u0000 договорились '); // 'Делегации договорились'
 */
export function plainText(html: string | undefined): string {
  return stripControlChars(stripTags(html ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * HTML as the classic WordPress editor and old Ghost posts store it: paragraphs as blank lines, no `<p>`. Wrapped
 * so that a blank line is a paragraph, as on the old site (WordPress's `wpautop`).
 *
 * @example
 *   withParagraphs('One.\n\nTwo.'); // '<p>One.</p>\n<p>Two.</p>'
 */
export function withParagraphs(html: string): string {
  if (/<(p|div|h[1-6]|ul|ol|blockquote|figure|table|pre)\b/i.test(html)) return html;
  return html
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
