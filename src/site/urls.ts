/**
 * Canonical paths of reader pages. One place, so links, redirects and
 * (later) feeds and sitemaps agree.
 *
 * @example
 *   articlePath({ slug: 'pelosi-elected', section: { slug: 'politics' }, publishedAt }, clock);
 *   // '/politics/2019/01/03/pelosi-elected'
 */
import type { Clock } from '../lib/time.js';

export function articlePath(a: { slug: string; section: { slug: string }; publishedAt: Date }, clock: Clock): string {
  const { year, month, day } = clock.ymd(a.publishedAt);
  return `/${a.section.slug}/${year}/${month}/${day}/${a.slug}`;
}

export const sectionPath = (slug: string): string => `/${slug}`;
export const tagPath = (slug: string): string => `/tag/${slug}`;
export const authorPath = (slug: string): string => `/author/${slug}`;
/** The site's own pages share the top level with sections; a section's address wins. */
export const contentPagePath = (slug: string): string => `/${slug}`;

/**
 * WordPress's plain permalinks (`/?p=123`, `/?page_id=7`): the home page's
 * address with a number. The home page hands them to the not-found path,
 * where an imported post's old address answers (`src/archive/`).
 */
export const PLAIN_PERMALINK_KEYS = ['p', 'page_id'] as const;

export function pagePath(base: string, page: number): string {
  return page <= 1 ? base : `${base}?page=${page}`;
}

/** The feed formats every list has, by the name of the file under the list's path. */
export const FEED_FORMATS = {
  rss: { file: 'feed.xml', type: 'application/rss+xml', label: 'RSS' },
  atom: { file: 'atom.xml', type: 'application/atom+xml', label: 'Atom' },
  json: { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
} as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

/**
 * A list's feed in one format: the whole site's at the root, a section's,
 * tag's or author's under the list's own path.
 *
 * @example
 *   feedPath('/', 'rss'); // '/feed.xml'
 *   feedPath('/tag/water', 'atom'); // '/tag/water/atom.xml'
 */
export function feedPath(listPath: string, format: FeedFormat): string {
  return `${listPath === '/' ? '' : listPath}/${FEED_FORMATS[format].file}`;
}
