/**
 * An article page's metadata, read from what the page says about itself:
 * JSON-LD (`NewsArticle` and kin), OpenGraph and `article:*` tags, other
 * `<meta>` names, `<link rel=canonical>`, `<time>` and `<html lang>`. Read
 * before Readability runs, since Readability changes the document.
 */
import type { Image } from '../articles/article.js';
import { absoluteUrl, cleanText, type DomElement } from './dom.js';
import { imageOf } from './html-to-blocks.js';

export interface PageMetadata {
  headline?: string;
  standfirst?: string;
  authors: string[];
  publishedAt?: Date;
  /** The page gave a date without a time of day. */
  publishedDayOnly?: boolean;
  updatedAt?: Date;
  leadImage?: Image;
  canonicalUrl?: string;
  language?: string;
  siteName?: string;
}

interface DocumentLike {
  documentElement: DomElement;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
}

type Json = Record<string, unknown>;
const ARTICLE_TYPES =
  /^(News|Reportage|Analysis|Opinion|Review|Background|Blog|Scholarly|Tech)?Article$|^BlogPosting$|^LiveBlogPosting$/;

/**
 * Reads a page's metadata; every field is optional except `authors`.
 *
 * @example
 *   readMetadata(parseHTML(html).document, 'https://news.example/a');
 *   // { headline: 'US and Russia…', authors: ['Ann Lee'], publishedAt: Date, canonicalUrl: '…', language: 'en', … }
 */
export function readMetadata(doc: DocumentLike, url: string): PageMetadata {
  const ld = jsonLdArticle(doc);
  const meta = (...names: string[]) => {
    for (const name of names) {
      const el = doc.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
      const value = cleanText(el?.getAttribute('content') ?? '');
      if (value) return value;
    }
    return undefined;
  };
  const headline =
    str(ld?.['headline']) ?? meta('og:title', 'twitter:title') ?? cleanText(doc.querySelector('h1')?.textContent ?? '');
  const published =
    str(ld?.['datePublished']) ?? meta('article:published_time', 'datePublished', 'pubdate', 'date') ?? timeAttr(doc);
  const updated = str(ld?.['dateModified']) ?? meta('article:modified_time', 'og:updated_time', 'dateModified');
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('og:url');
  const imageUrl = ldImage(ld?.['image']) ?? meta('og:image', 'og:image:url', 'twitter:image');
  const lang = doc.documentElement.getAttribute('lang') ?? meta('og:locale', 'language') ?? str(ld?.['inLanguage']);
  const src = imageUrl ? absoluteUrl(imageUrl, url) : undefined;
  const publishedAt = date(published);
  return {
    ...(headline ? { headline } : {}),
    ...optional(
      'standfirst',
      str(ld?.['description']) ?? meta('og:description', 'description', 'twitter:description') ?? standfirstOnPage(doc),
    ),
    authors: authors(ld, meta('author', 'article:author', 'byl'), doc),
    ...(publishedAt
      ? { publishedAt, ...(/^\d{4}-\d{2}-\d{2}$/.test(published ?? '') ? { publishedDayOnly: true } : {}) }
      : {}),
    ...optional('updatedAt', date(updated)),
    ...optional(
      'leadImage',
      leadFigure(doc, url, src) ?? (src ? { src, alt: meta('og:image:alt', 'twitter:image:alt') ?? '' } : undefined),
    ),
    ...optional('canonicalUrl', canonical ? absoluteUrl(canonical, url) : undefined),
    ...optional('language', lang ? lang.replace('_', '-').split('-')[0]?.toLowerCase() : undefined),
    ...optional('siteName', meta('og:site_name', 'application-name') ?? publisherName(ld)),
  };
}

/** The summary under the headline, when the page marks it by a class (`standfirst`, `dek`, `summary`…). */
function standfirstOnPage(doc: DocumentLike): string | undefined {
  const el = doc.querySelector(
    '[class*="standfirst"], [class*="dek"], [class*="subtitle"], [class*="subheadline"], [class*="summary"], [class*="lede"], [class*="intro"]',
  );
  const text = el ? cleanText(el.textContent ?? '') : '';
  return text.length >= 20 && text.length <= 600 ? text : undefined;
}

/**
 * The lead picture as the page shows it, with its caption and credit: the
 * figure holding the og:image (same file name), else the article's first
 * figure when the page names no image.
 */
function leadFigure(doc: DocumentLike, url: string, ogImage: string | undefined): Image | undefined {
  const file = (u: string) => new URL(u).pathname.split('/').at(-1) ?? '';
  for (const fig of Array.from(doc.querySelectorAll('article figure, main figure, figure'))) {
    const img = fig.querySelector('img');
    if (!img) continue;
    const image = imageOf(img, fig.querySelector('figcaption'), url);
    if (image && (!ogImage || file(image.src) === file(ogImage))) return image;
    if (!ogImage) return undefined;
  }
  return undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && cleanText(v) ? cleanText(v) : undefined;
}

function date(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T12:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function timeAttr(doc: DocumentLike): string | undefined {
  const t = doc.querySelector('article time[datetime], time[pubdate], time[datetime]');
  return t?.getAttribute('datetime') ?? undefined;
}

/** The first JSON-LD object (at top level, in an array or in `@graph`) typed as an article. */
function jsonLdArticle(doc: DocumentLike): Json | undefined {
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // pages ship broken JSON-LD often enough; the other sources still work
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === 'object') {
        const obj = item as Json;
        const types = ([] as unknown[]).concat(obj['@type'] ?? []);
        if (types.some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t))) return obj;
        if (obj['@graph']) queue.push(obj['@graph']);
      }
    }
  }
  return undefined;
}

function ldImage(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return ldImage(v[0]);
  if (v && typeof v === 'object') return str((v as Json)['url']) ?? str((v as Json)['contentUrl']);
  return undefined;
}

function publisherName(ld: Json | undefined): string | undefined {
  const p = ld?.['publisher'];
  return p && typeof p === 'object' ? str((p as Json)['name']) : undefined;
}

/** Authors from JSON-LD, else the author meta tag, else the page's byline (`rel=author`, `.byline`). */
function authors(ld: Json | undefined, metaAuthor: string | undefined, doc: DocumentLike): string[] {
  const fromLd = ([] as unknown[])
    .concat(ld?.['author'] ?? [])
    .map((a) => (typeof a === 'string' ? str(a) : a && typeof a === 'object' ? str((a as Json)['name']) : undefined))
    .filter((a): a is string => !!a);
  if (fromLd.length > 0) return unique(fromLd);
  // `article:author` is often a profile URL, which is not a name.
  if (metaAuthor && !/^https?:/.test(metaAuthor)) return splitNames(metaAuthor);
  const byline = doc.querySelector('[rel="author"], [itemprop="author"], .byline, .author');
  return byline ? splitNames(cleanText(byline.textContent ?? '').replace(/^by\s+/i, '')) : [];
}

function splitNames(text: string): string[] {
  return unique(
    text
      .replace(/^by\s+/i, '')
      .split(/\s*(?:,|\band\b|&)\s*/)
      .map(cleanText)
      .filter((n) => n.length > 1 && n.length < 60),
  );
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
