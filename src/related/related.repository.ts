/**
 * Stored related-news lists: computed on publish, read on every page view.
 */
import { type Kysely, sql } from 'kysely';
import type { ArticleSummary } from '../articles/article.js';
import { SUMMARY_COLUMNS, toSummary } from '../articles/article-list.repository.js';
import { prepared } from '../db/prepared.js';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export async function storeRelated(db: Db, articleId: number, items: { id: number; score: number }[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('related_articles').where('article_id', '=', articleId).execute();
    if (items.length === 0) return;
    await trx
      .insertInto('related_articles')
      .values(items.map((it, rank) => ({ article_id: articleId, rank, related_id: it.id, score: it.score })))
      .execute();
  });
}

/** The stored list as published summaries, best first, in one query. */
export async function readRelatedSummaries(db: Db, articleId: number): Promise<ArticleSummary[]> {
  return (await relatedSummaries(db, articleId)).map(toSummary);
}

const relatedSummaries = prepared((db, articleId: number) =>
  db
    .selectFrom('related_articles as r')
    .innerJoin('articles as a', 'a.id', 'r.related_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(SUMMARY_COLUMNS)
    .where('r.article_id', '=', articleId)
    .where('a.status', '=', 'published')
    .orderBy('r.rank'),
);

/** Removes an article from every stored list (it was unpublished). */
export async function forgetRelated(db: Db, articleId: number): Promise<void> {
  await db.deleteFrom('related_articles').where('related_id', '=', articleId).execute();
}

/** The other published articles of an article's story, oldest first, in one query. */
export async function readStorySummaries(db: Db, articleId: number): Promise<ArticleSummary[]> {
  return (await storySummaries(db, articleId)).map(toSummary);
}

/** A story page shows at most this many of its other articles. */
export const STORY_LIMIT = 10;

const storySummaries = prepared((db, articleId: number) =>
  db
    .selectFrom('related_docs as d')
    .innerJoin('related_docs as m', 'm.story_id', 'd.story_id')
    .innerJoin('articles as a', 'a.id', 'm.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(SUMMARY_COLUMNS)
    .where('d.article_id', '=', articleId)
    .where('m.article_id', '!=', articleId)
    .where('a.status', '=', 'published')
    .orderBy('m.published_ms')
    .limit(STORY_LIMIT),
);

/** What an article page shows around an article: its story's other articles and its stored related list. */
export interface StoryAndRelated {
  /** The other published articles of the story, oldest first (at most STORY_LIMIT). */
  story: ArticleSummary[];
  /** The stored list's published articles, best first (story members included: the page leaves them out). */
  related: ArticleSummary[];
}

/**
 * Both lists of an article page in one statement (`union all` of the two
 * reads above): one round trip, one statement to step, instead of two. Each
 * row says which list it is of and its place in it, so the lists come out in
 * their order whatever order the database returns the union in.
 */
export async function readStoryAndRelated(db: Db, articleId: number): Promise<StoryAndRelated> {
  const rows = await storyAndRelated(db, articleId);
  const of = (list: number) =>
    rows
      .filter((r) => Number(r.list) === list)
      .sort((a, b) => Number(a.place) - Number(b.place))
      .map(toSummary);
  return { story: of(STORY), related: of(RELATED) };
}

const STORY = 0;
const RELATED = 1;

const storyAndRelated = prepared((db, articleId: number) =>
  db
    .selectFrom(
      db
        .selectFrom('related_docs as d')
        .innerJoin('related_docs as m', 'm.story_id', 'd.story_id')
        .innerJoin('articles as a', 'a.id', 'm.article_id')
        .innerJoin('sections as s', 's.id', 'a.section_id')
        .select([...SUMMARY_COLUMNS, sql<number>`${sql.lit(STORY)}`.as('list'), 'm.published_ms as place'])
        .where('d.article_id', '=', articleId)
        .where('m.article_id', '!=', articleId)
        .where('a.status', '=', 'published')
        .orderBy('m.published_ms')
        .limit(STORY_LIMIT)
        .as('story'),
    )
    .selectAll()
    .unionAll(
      db
        .selectFrom('related_articles as r')
        .innerJoin('articles as a', 'a.id', 'r.related_id')
        .innerJoin('sections as s', 's.id', 'a.section_id')
        .select([...SUMMARY_COLUMNS, sql<number>`${sql.lit(RELATED)}`.as('list'), 'r.rank as place'])
        .where('r.article_id', '=', articleId)
        .where('a.status', '=', 'published'),
    ),
);

/** The stored list with scores (for explanations). */
export async function readRelatedRows(db: Db, articleId: number): Promise<{ id: number; score: number }[]> {
  const rows = await db
    .selectFrom('related_articles')
    .select(['related_id', 'score'])
    .where('article_id', '=', articleId)
    .orderBy('rank')
    .execute();
  return rows.map((r) => ({ id: Number(r.related_id), score: Number(r.score) }));
}
