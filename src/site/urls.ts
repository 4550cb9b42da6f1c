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

export function pagePath(base: string, page: number): string {
  return page <= 1 ? base : `${base}?page=${page}`;
}
