/**
 * The hot queries of `bench/explain.ts`, each reached through the repository
 * function the site calls, so the SQL timed and explained is the SQL the
 * repository compiles (the bench's query log records it). Run i varies the
 * parameters deterministically; run 0 is the one explained.
 */
import type { Kysely } from 'kysely';
import {
  countArticles,
  findArticleBySlug,
  findArticleIdByOrigin,
  findArticlesByExternalIds,
  isSlugTaken,
  slugOwners,
} from '../../src/articles/article.repository.js';
import { listNamedPage, listPublishedPage } from '../../src/articles/article-keyset.repository.js';
import { listPublished, listPublishedBy, listPublishedByIds } from '../../src/articles/article-list.repository.js';
import { findTagBySlug } from '../../src/articles/taxonomy.repository.js';
import type { Dialect } from '../../src/db/connect.js';
import type { Schema } from '../../src/db/schema.js';
import { readRelatedSummaries } from '../../src/related/related.repository.js';
import { parseQuery, toFts5, toTsquery } from '../../src/search/query.js';
import { matchArticles } from '../../src/search/search.repository.js';
import {
  listsAfter,
  maxId,
  publishedArticlesAfter,
  publishedSince,
  sectionsWithArticles,
} from '../../src/seo/sitemap.repository.js';
import { headlineWords, type Shape } from './explain-fill.js';

type Db = Kysely<Schema>;

export interface HotQuery {
  name: string;
  what: string;
  call(db: Db, run: number): Promise<unknown>;
  /** When the call runs several statements: a piece of SQL found only in this one. */
  marker?: string;
  /** Runs to time (default: the bench's --runs). */
  runs?: number;
}

/** The site's list pages: 20 a page, read as 21 rows to know whether there is a next page. */
const PAGE_SIZE = 20;
const page = (n: number) => ({ limit: PAGE_SIZE + 1, offset: (n - 1) * PAGE_SIZE });

/** A well-mixed integer in [0, n) for (run, salt): the same on every database and every run of the bench. */
function pick(run: number, salt: number, n: number): number {
  let x = Math.imul(run + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39);
  return ((x ^ (x >>> 15)) >>> 0) % n;
}

export function hotQueries(shape: Shape, dialect: Dialect, options: { fts: boolean }): HotQuery[] {
  const article = (run: number, salt: number) => 1 + pick(run, salt, shape.rows);
  // Article i is published unless i % 10 = 0 (see explain-fill.ts).
  const published = (run: number, salt: number) => {
    const i = article(run, salt);
    return i % 10 === 0 ? i + 1 : i;
  };
  const popularTag = (run: number) => 1 + pick(run, 6, shape.popularTags);
  const anyTag = (run: number) =>
    run % 2 === 0 ? popularTag(run) : shape.popularTags + 1 + pick(run, 7, shape.tags - shape.popularTags);
  const section = (run: number) => 1 + pick(run, 3, shape.sections);
  const articlePage = (db: Db, run: number) => findArticleBySlug(db, `article-${published(run, 1)}`);
  const queries: HotQuery[] = [
    { name: 'articleBySlug', what: 'article page: article + section', call: articlePage, marker: 'section_position' },
    { name: 'authorsOfArticle', what: 'article page: bylines', call: articlePage, marker: 'from "article_authors"' },
    { name: 'tagsOfArticle', what: 'article page: tags', call: articlePage, marker: 'from "article_tags"' },
    { name: 'newest12', what: 'home page / latest list', call: (db) => listPublished(db, { limit: 12 }) },
    ...[1, 50, 500].map(
      (n): HotQuery => ({
        name: `sectionPage${n}`,
        what: `section page ${n} (limit 21 offset ${page(n).offset})`,
        call: (db, run) => listPublished(db, { sectionId: section(run), ...page(n) }),
      }),
    ),
    {
      name: 'tagBySlug',
      what: 'tag page: the tag',
      call: (db, run) => findTagBySlug(db, `tag-${anyTag(run)}`),
    },
    {
      name: 'tagPage1',
      what: 'tag page 1 (popular and long-tail tags alternately)',
      call: (db, run) => listPublishedBy(db, { tagId: anyTag(run) }, page(1)),
    },
    ...[50, 400].map(
      (n): HotQuery => ({
        name: `tagPage${n}`,
        what: `tag page ${n} of a popular tag (offset ${page(n).offset})`,
        call: (db, run) => listPublishedBy(db, { tagId: popularTag(run) }, page(n)),
      }),
    ),
    {
      name: 'authorPage1',
      what: 'author page 1',
      call: (db, run) => listPublishedBy(db, { authorId: 1 + pick(run, 8, shape.authors) }, page(1)),
    },
    {
      name: 'relatedSummaries',
      what: 'article page: stored related list',
      call: (db, run) => readRelatedSummaries(db, 1 + pick(run, 9, shape.relatedArticles)),
    },
    {
      name: 'publishedBy30Ids',
      what: 'related refresh: candidates by id',
      call: (db, run) =>
        listPublishedByIds(
          db,
          Array.from({ length: 30 }, (_, k) => article(run, 100 + k)),
        ),
    },
    {
      name: 'slugTaken',
      what: 'save: unique slug check (half taken, half free)',
      call: (db, run) => isSlugTaken(db, `article-${article(run, 10)}${run % 2 ? '-2' : ''}`),
    },
    {
      name: 'articleByExternalId',
      what: 'import: article by external id',
      call: (db, run) => findArticleIdByOrigin(db, { externalId: `ext-${article(run, 11)}` }),
    },
    {
      name: 'articlesByExternalIds',
      what: 'import: a batch of 100 articles by external id',
      call: (db, run) =>
        findArticlesByExternalIds(
          db,
          Array.from({ length: 100 }, (_, k) => `ext-${article(run, 200 + k)}`),
        ),
    },
    {
      name: 'slugOwners',
      what: 'import: owners of a batch of 100 slugs',
      call: (db, run) =>
        slugOwners(
          db,
          Array.from({ length: 100 }, (_, k) => `article-${article(run, 300 + k)}`),
        ),
    },
    {
      name: 'articleBySourceUrl',
      what: 'import: article by original URL',
      call: (db, run) => {
        const i = article(run, 12);
        return findArticleIdByOrigin(db, { sourceUrl: `https://wire.example/story/${i + (i % 2)}` });
      },
    },
    { name: 'countArticles', what: 'demo content check (start-up only)', call: countArticles, runs: 20 },
    ...apiQueries(shape, { popularTag, section, pick }),
    // Sitemaps: a batch of 1,000 rows by keyset anywhere in the table, the news window, the lists.
    {
      name: 'sitemapArticles',
      what: 'sitemap file: 1,000 published articles after an id',
      call: (db, run) => {
        const after = pick(run, 20, shape.rows);
        return publishedArticlesAfter(db, { after, last: after + 50_000 }, 1000);
      },
      runs: 50,
    },
    {
      name: 'sitemapTags',
      what: 'sitemap file: 1,000 tags after an id, with their newest article',
      call: (db, run) => {
        const after = pick(run, 21, shape.tags);
        return listsAfter(db, 'tags', { after, last: after + 50_000 }, 1000);
      },
      runs: 50,
    },
    { name: 'sitemapSections', what: 'sitemap: sections with their newest article', call: sectionsWithArticles },
    { name: 'sitemapIndex', what: 'sitemap index: highest article id', call: (db) => maxId(db, 'articles') },
    {
      name: 'newsSitemap',
      what: 'news sitemap: published in the last 48 h, newest 1,000',
      call: (db) => publishedSince(db, new Date(Date.now() - 48 * 3600_000), 1000),
      runs: 50,
    },
  ];
  if (!options.fts) return queries;
  // Reader search: the words of a headline (all required), ranked, the best 501 (search.service.ts).
  const words = (run: number, salt: number) => headlineWords(published(run, salt));
  const search = (text: string) => {
    const parsed = parseQuery(text);
    return { fts5: toFts5(parsed) ?? '""', tsquery: toTsquery(parsed) ?? { match: 'all' as const, terms: [] } };
  };
  return [
    ...queries,
    {
      name: 'searchRare',
      what: 'reader search: 2 rare/mid words of a headline, best 501',
      call: (db, run) => matchArticles(db, dialect, search(words(run, 13).slice(2).join(' ')), {}, 501),
    },
    {
      name: 'searchCommon',
      what: 'reader search: a headline (2 common words), best 501',
      call: (db, run) => matchArticles(db, dialect, search(words(run, 16).join(' ')), {}, 501),
      runs: 50,
    },
  ];
}

/**
 * The content API's keyset pages (`/api/v1/articles`): 21 rows after a
 * position half-way through the archive (a deep page), by each driving index,
 * with a date window, and a combination that walks one list and checks the
 * other filter on each row.
 */
function apiQueries(
  shape: Shape,
  at: { popularTag: (run: number) => number; section: (run: number) => number; pick: typeof pick },
): HotQuery[] {
  const FIVE_YEARS = 5 * 365 * 86_400;
  // Article i is dated about (now - five years) + i/rows of five years (explain-fill.ts).
  const middle = (run: number) => {
    const i = Math.floor(shape.rows / 2) + at.pick(run, 40, 1000);
    return { id: i, publishedAt: new Date((shape.now - FIVE_YEARS + (i * FIVE_YEARS) / shape.rows) * 1000) };
  };
  const week = (run: number) => {
    const { publishedAt } = middle(run);
    return { since: publishedAt, until: new Date(publishedAt.getTime() + 7 * 86_400_000) };
  };
  const LIMIT = 21;
  return [
    { name: 'apiNewest', what: 'API: newest 21', call: (db) => listPublishedPage(db, {}, undefined, LIMIT) },
    {
      name: 'apiDeep',
      what: 'API: 21 after a position half-way',
      call: (db, run) => listPublishedPage(db, {}, middle(run), LIMIT),
    },
    {
      name: 'apiSectionDeep',
      what: 'API: a section, 21 after half-way',
      call: (db, run) => listPublishedPage(db, { sectionId: at.section(run) }, middle(run), LIMIT),
    },
    {
      name: 'apiTagDeep',
      what: 'API: a popular tag, 21 after half-way',
      call: (db, run) => listPublishedPage(db, { tagId: at.popularTag(run) }, middle(run), LIMIT),
    },
    {
      name: 'apiAuthorDeep',
      what: 'API: an author, 21 after half-way',
      call: (db, run) => listPublishedPage(db, { authorId: 1 + at.pick(run, 41, shape.authors) }, middle(run), LIMIT),
    },
    {
      name: 'apiSectionWeek',
      what: 'API: a section within one week (since/until)',
      call: (db, run) => listPublishedPage(db, { sectionId: at.section(run), ...week(run) }, undefined, LIMIT),
    },
    {
      name: 'apiTagInSection',
      what: 'API: a popular tag and a section (the tag list walked, the section checked)',
      call: (db, run) =>
        listPublishedPage(db, { tagId: at.popularTag(run), sectionId: at.section(run) }, middle(run), LIMIT),
    },
    {
      name: 'apiTagsPage',
      what: 'API: 101 tags by slug after a slug',
      call: (db, run) => listNamedPage(db, 'tag', `tag-${1 + at.pick(run, 42, shape.tags)}`, 101),
    },
  ];
}
