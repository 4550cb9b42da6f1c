/**
 * A live page's schema.org `LiveBlogPosting` as JSON-LD: the coverage's
 * headline, `coverageStartTime`/`coverageEndTime`, the publisher with its
 * logo, and its updates (`liveBlogUpdate`, newest first) as `BlogPosting`s
 * with their permalinks. Pure; written by `jsonLdScript` (escaped for a
 * `<script>` data block).
 *
 * @example
 *   jsonLdScript([liveBlogPosting(coverage, entries, ctx)]);
 */
import type { Coverage, Entry } from '../live/live.js';
import { entryText } from '../live/live.js';

export interface LiveStructuredDataContext {
  siteUrl: string;
  siteName: string;
  logoUrl: string;
  /** The live page's canonical URL. */
  canonicalUrl: string;
  /** An entry's permalink, absolute. */
  permalink(entry: Entry): string;
}

export function liveBlogPosting(
  c: Coverage,
  entries: Entry[],
  ctx: LiveStructuredDataContext,
): Record<string, unknown> {
  const newest = entries.reduce((t, e) => Math.max(t, e.updatedAt.getTime()), c.updatedAt.getTime());
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    headline: c.headline,
    ...(c.standfirst ? { description: c.standfirst } : {}),
    url: ctx.canonicalUrl,
    mainEntityOfPage: { '@type': 'WebPage', '@id': ctx.canonicalUrl },
    datePublished: c.startedAt.toISOString(),
    dateModified: new Date(newest).toISOString(),
    coverageStartTime: c.startedAt.toISOString(),
    ...(c.endedAt ? { coverageEndTime: c.endedAt.toISOString() } : {}),
    publisher: {
      '@type': 'NewsMediaOrganization',
      name: ctx.siteName,
      url: `${ctx.siteUrl}/`,
      logo: { '@type': 'ImageObject', url: ctx.logoUrl },
    },
    liveBlogUpdate: entries.map((e) => ({
      '@type': 'BlogPosting',
      headline: e.keyEvent ?? entryText(e.body, 110),
      articleBody: entryText(e.body, 5000),
      datePublished: e.postedAt.toISOString(),
      dateModified: e.updatedAt.toISOString(),
      url: ctx.permalink(e),
      author: e.authors.map((name) => ({ '@type': 'Person', name })),
    })),
  };
}
