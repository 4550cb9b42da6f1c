/**
 * What search engines read on an article page besides its text: schema.org
 * `NewsArticle` and `BreadcrumbList` as JSON-LD. Pure: from the article, its
 * canonical URL and the site's identity.
 *
 * JSON-LD sits in a `<script type="application/ld+json">` element, a data
 * block that browsers never run (so the CSP's `script-src 'self'` does not
 * apply to it), but whose text ends at the first `</script`: every `<`, `>`
 * and `&` is written as a JSON escape, and so are U+2028/U+2029, which some
 * JavaScript parsers still read as line ends.
 *
 * @example
 *   jsonLdScript([newsArticle(article, ctx), breadcrumbs(article, ctx)]);
 *   // <script type="application/ld+json">[{"@context":"https://schema.org","@type":"NewsArticle",…}]</script>
 */
import type { Article } from '../articles/article.js';
import { raw, type SafeHtml } from '../lib/html.js';
import { authorPath, sectionPath } from './urls.js';

export interface StructuredDataContext {
  siteUrl: string;
  siteName: string;
  /** The publisher's logo, absolute (the site's logo, else its icon). */
  logoUrl: string;
  /** The article page's canonical URL. */
  canonicalUrl: string;
  /** The lead image's absolute URL, when it has one readers can see. */
  imageUrl?: string | undefined;
}

type JsonLd = Record<string, unknown>;

/**
 * The article as a schema.org NewsArticle.
 *
 * @example
 *   newsArticle(article, ctx).datePublished; // '2024-03-05T15:00:00.000Z'
 */
export function newsArticle(a: Article, ctx: StructuredDataContext): JsonLd {
  const published = a.publishedAt ?? a.updatedAt;
  const publisher = {
    '@type': 'NewsMediaOrganization',
    name: ctx.siteName,
    url: `${ctx.siteUrl}/`,
    logo: { '@type': 'ImageObject', url: ctx.logoUrl },
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.headline,
    ...(a.standfirst ? { description: a.standfirst } : {}),
    ...(ctx.imageUrl ? { image: [ctx.imageUrl] } : {}),
    datePublished: published.toISOString(),
    dateModified: new Date(Math.max(a.updatedAt.getTime(), published.getTime())).toISOString(),
    author: a.authors.length
      ? a.authors.map((au) => ({ '@type': 'Person', name: au.name, url: `${ctx.siteUrl}${authorPath(au.slug)}` }))
      : [{ '@type': 'Organization', name: ctx.siteName, url: `${ctx.siteUrl}/` }],
    publisher,
    mainEntityOfPage: { '@type': 'WebPage', '@id': ctx.canonicalUrl },
    articleSection: a.section.name,
    ...(a.tags.length ? { keywords: a.tags.map((t) => t.name) } : {}),
    inLanguage: a.language,
    isAccessibleForFree: true,
  };
}

/**
 * Home → section → article.
 *
 * @example
 *   breadcrumbs(article, ctx).itemListElement.length; // 3
 */
export function breadcrumbs(a: Article, ctx: StructuredDataContext): JsonLd & { itemListElement: JsonLd[] } {
  const steps = [
    { name: ctx.siteName, url: `${ctx.siteUrl}/` },
    { name: a.section.name, url: `${ctx.siteUrl}${sectionPath(a.section.slug)}` },
    { name: a.headline, url: ctx.canonicalUrl },
  ];
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: steps.map((s, i) => ({ '@type': 'ListItem', position: i + 1, name: s.name, item: s.url })),
  };
}

const JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** JSON that cannot end or confuse the `<script>` element it is in. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c] as string);
}

/** The `<script type="application/ld+json">` element carrying these objects. */
export function jsonLdScript(objects: JsonLd[]): SafeHtml {
  return raw(`<script type="application/ld+json">${scriptSafeJson(objects)}</script>`);
}
