/**
 * Sitemaps, written by the `sitemap` package's streams (escaping, W3C dates,
 * the protocol's namespaces) from rows read a batch at a time:
 * - `/sitemap.xml`: an index of every file below;
 * - `/sitemaps/pages-1.xml`: the home page and each section with an article;
 * - `/sitemaps/articles-N.xml`: published articles with ids in the Nth block
 *   of SITEMAP_PAGE_SIZE ids (at most 50,000 URLs, the protocol's limit). Ids
 *   never move, so a file changes only when one of its own articles does,
 *   and a file is one primary-key range whatever the table's size;
 * - `/sitemaps/tags-N.xml`, `/sitemaps/authors-N.xml`: the same, for lists
 *   with a published article;
 * - `/news-sitemap.xml`: Google News, the live coverages still live, then the
 *   articles of the last 48 hours, at most 1,000 in all, newest first.
 * No HTTP here: each function returns the document.
 *
 * @example
 *   const maps = createSitemaps({ database, siteUrl, clock, pageSize: 50_000, publication: () => ({ name, language }) });
 *   await maps.file('articles', 3); // '<?xml …><urlset …>…' or undefined past the last file
 */
import { Readable } from 'node:stream';
import { SitemapIndexStream, type SitemapItemLoose, SitemapStream, streamToPromise } from 'sitemap';
import { listSections } from '../articles/taxonomy.repository.js';
import type { Database } from '../db/connect.js';
import type { Clock } from '../lib/time.js';
import { articlePath, authorPath, sectionPath, tagPath } from '../site/urls.js';
import {
  listsAfter,
  maxId,
  publishedArticlesAfter,
  publishedSince,
  type SitemapArticle,
  sectionsWithArticles,
} from './sitemap.repository.js';

/** Rows read per query while a sitemap is written. */
export const SITEMAP_BATCH = 1000;
/** Google News: articles of the last two days… */
export const NEWS_WINDOW_MS = 48 * 3600_000;
/** …at most this many. */
export const NEWS_MAX = 1000;

export type SitemapKind = 'pages' | 'articles' | 'tags' | 'authors';

export interface SitemapsDeps {
  database: Database;
  siteUrl: string;
  clock: Clock;
  /** URLs per file (ids per block), at most 50,000. */
  pageSize: number;
  /** The publication's name and language for Google News, as they are now. */
  publication: () => { name: string; language: string };
  now?: () => Date;
  /** Google News's limit (1,000); tests set a smaller one. */
  newsMax?: number;
  /** Live coverages still live, as the news sitemap lists them (their page-cache tag is `live`). */
  liveCoverages?: () => Promise<NewsPage[]>;
}

/** A page of the news sitemap that is not an article (a live coverage). */
export interface NewsPage {
  path: string;
  title: string;
  publishedAt: Date;
  updatedAt: Date;
}

export interface Sitemaps {
  index(): Promise<string>;
  /** The Nth file of a kind (from 1), or undefined when there is no such file. */
  file(kind: SitemapKind, n: number): Promise<string | undefined>;
  news(): Promise<string>;
  /** The page-cache tags any change to published content drops: every section's (`section:3`). */
  contentTags(): Promise<string[]>;
}

/** Writes items from an async source through the package's stream: escaped, with W3C dates. */
async function write(items: AsyncIterable<SitemapItemLoose>, news = false): Promise<string> {
  const stream = new SitemapStream({ xmlns: { news, image: false, video: false, xhtml: false } });
  const done = streamToPromise(Readable.from(items).pipe(stream));
  return (await done).toString();
}

/** Google News wants ISO 639 codes: 'en' for 'en-GB', but 'zh-cn' and 'zh-tw' as they are. */
export function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  return /^zh-(cn|tw)$/.test(lower) ? lower : (lower.split('-')[0] ?? lower);
}

export function createSitemaps(deps: SitemapsDeps): Sitemaps {
  const db = deps.database.reader;
  const { siteUrl, pageSize } = deps;
  const now = deps.now ?? (() => new Date());
  const articleUrl = (a: SitemapArticle) =>
    `${siteUrl}${articlePath({ ...a, section: { slug: a.sectionSlug } }, deps.clock)}`;
  const files = async (table: 'articles' | 'tags' | 'authors') => Math.ceil((await maxId(db, table)) / pageSize);

  async function* articles(n: number): AsyncGenerator<SitemapItemLoose> {
    const last = n * pageSize;
    let after = (n - 1) * pageSize;
    for (;;) {
      const batch = await publishedArticlesAfter(db, { after, last }, SITEMAP_BATCH);
      for (const a of batch) yield { url: articleUrl(a), lastmod: a.updatedAt.toISOString() };
      if (batch.length < SITEMAP_BATCH) return;
      after = (batch.at(-1) as SitemapArticle).id;
    }
  }

  async function* lists(kind: 'tags' | 'authors', n: number): AsyncGenerator<SitemapItemLoose> {
    const path = kind === 'tags' ? tagPath : authorPath;
    const last = n * pageSize;
    let after = (n - 1) * pageSize;
    for (;;) {
      const { lists, lastId } = await listsAfter(db, kind, { after, last }, SITEMAP_BATCH);
      for (const l of lists) yield { url: `${siteUrl}${path(l.slug)}`, lastmod: l.lastmod.toISOString() };
      if (lastId === undefined) return;
      after = lastId;
    }
  }

  async function* pages(): AsyncGenerator<SitemapItemLoose> {
    const sections = await sectionsWithArticles(db);
    const newest = sections.reduce((t, s) => Math.max(t, s.lastmod.getTime()), 0);
    yield { url: `${siteUrl}/`, ...(newest ? { lastmod: new Date(newest).toISOString() } : {}) };
    for (const s of sections) yield { url: `${siteUrl}${sectionPath(s.slug)}`, lastmod: s.lastmod.toISOString() };
  }

  async function* newsItems(): AsyncGenerator<SitemapItemLoose> {
    const { name, language } = deps.publication();
    const publication = { name, language: newsLanguage(language) };
    const live = (await deps.liveCoverages?.()) ?? [];
    for (const p of live)
      yield {
        url: `${siteUrl}${p.path}`,
        lastmod: p.updatedAt.toISOString(),
        news: { publication, publication_date: p.publishedAt.toISOString(), title: p.title },
      };
    const max = Math.max(0, (deps.newsMax ?? NEWS_MAX) - live.length);
    const rows = max ? await publishedSince(db, new Date(now().getTime() - NEWS_WINDOW_MS), max) : [];
    for (const a of rows)
      yield {
        url: articleUrl(a),
        lastmod: a.updatedAt.toISOString(),
        news: {
          publication,
          publication_date: a.publishedAt.toISOString(),
          title: a.headline,
        },
      };
  }

  return {
    async index() {
      const counts = { articles: await files('articles'), tags: await files('tags'), authors: await files('authors') };
      const names = ['pages-1'];
      for (const kind of ['articles', 'tags', 'authors'] as const)
        for (let n = 1; n <= counts[kind]; n++) names.push(`${kind}-${n}`);
      const stream = new SitemapIndexStream();
      const done = streamToPromise(
        Readable.from(names.map((f) => ({ url: `${siteUrl}/sitemaps/${f}.xml` }))).pipe(stream),
      );
      return (await done).toString();
    },

    async file(kind, n) {
      if (kind === 'pages') return n === 1 ? write(pages()) : undefined;
      if (n > (await files(kind))) return undefined;
      return write(kind === 'articles' ? articles(n) : lists(kind, n));
    },

    news: () => write(newsItems(), true),

    contentTags: async () => (await listSections(db)).map((s) => `section:${s.id}`),
  };
}
