/**
 * The newsroom's article list (the desk): every article whatever its state,
 * filtered by workflow state, section, byline, creator and headline words,
 * most recently changed first — or, with words or a byline, newest first — in pages read
 * by keyset (after the last row shown), so that page 500 costs what page 1
 * costs at a million articles. Each filter has an index (migrations 0012,
 * 0013, 0016, 0022); headline words use FTS5 (`article_titles`) on SQLite and a
 * stored `headline_words` tsvector with a GIN index on PostgreSQL, driven in id
 * order so a page stops after its rows.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import { type ArticleStatus, type ReviewState, type WorkflowState, workflowState } from './article.js';

type Db = Kysely<Schema>;

export interface DeskFilter {
  state?: WorkflowState;
  sectionId?: number;
  /** A byline's author. */
  authorId?: number;
  /** The user who created the article (a contributor's own list). */
  createdBy?: number;
  /** Words of the headline; the last one may be the start of a word. */
  text?: string;
}

/** Where the next page starts: after this row. */
export interface DeskCursor {
  updatedAt: string;
  id: number;
}

export interface DeskItem {
  id: number;
  headline: string;
  state: WorkflowState;
  section: string;
  updatedAt: Date;
  publishedAt?: Date;
  version: number;
}

export interface DeskPage {
  items: DeskItem[];
  /** Undefined on the last page. */
  next?: DeskCursor;
}

/**
 * The words of a search as the full-text engine reads them: letters and digits
 * of any script, each quoted (no operator can be injected), the last one a
 * prefix. Undefined when nothing searchable is left.
 *
 * @example
 *   searchTerms('Kyiv talks; resu'); // ['kyiv', 'talks', 'resu']
 */
export function searchTerms(text: string): string[] | undefined {
  const words =
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length ? words : undefined;
}

export async function listDesk(
  db: Db,
  dialect: Dialect,
  filter: DeskFilter,
  page: { after?: DeskCursor; limit: number },
): Promise<DeskPage> {
  const words = filter.text ? searchTerms(filter.text) : undefined;
  let query = stateFilter(baseQuery(db), filter.state);
  if (filter.sectionId !== undefined) query = query.where('a.section_id', '=', filter.sectionId);
  // A byline alone: driven from its index, newest first, so a page reads only its rows.
  const byline = filter.authorId !== undefined && !words ? filter.authorId : undefined;
  if (byline !== undefined) {
    query = query.innerJoin('article_authors as aa', 'aa.article_id', 'a.id').where('aa.author_id', '=', byline);
  } else if (filter.authorId !== undefined) {
    const authorId = filter.authorId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_authors as aa')
          .select('aa.article_id')
          .whereRef('aa.article_id', '=', 'a.id')
          .where('aa.author_id', '=', authorId),
      ),
    );
  }
  if (filter.createdBy !== undefined) query = query.where(sql.ref('a.created_by'), '=', filter.createdBy);
  if (words) {
    // Newest first by id: the index yields matches in that order, so a page stops after its rows.
    if (dialect === 'postgres') {
      const tsquery = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
      query = query.where(sql<boolean>`a.headline_words @@ to_tsquery('simple', ${tsquery})`);
      if (page.after) query = query.where('a.id', '<', page.after.id);
      query = query.orderBy('a.id', 'desc');
    } else {
      const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
      // Ordered by the full-text table's own rowid, which FTS5 reads backwards without sorting the matches.
      const rowid = sql.ref<number>('f.rowid');
      query = query
        .innerJoin(sql<{ rowid: number }>`article_titles`.as('f'), (join) => join.onRef(rowid, '=', 'a.id'))
        .where(sql<boolean>`article_titles match ${match}`);
      if (page.after) query = query.where(rowid, '<', page.after.id);
      query = query.orderBy(rowid, 'desc');
    }
  } else if (byline !== undefined) {
    const articleId = sql.ref<number>('aa.article_id');
    if (page.after) query = query.where(articleId, '<', page.after.id);
    query = query.orderBy(articleId, 'desc');
  } else {
    const after = page.after;
    // One row-value comparison, which both databases read as a range of the (updated_at, id) index; written as
    // `updated_at < ? or (updated_at = ? and id < ?)`, SQLite took the OR apart per section and sorted every
    // match: 0.9 s for a second page at a million articles.
    if (after)
      query = query.where((eb) => eb(eb.refTuple('a.updated_at', 'a.id'), '<', eb.tuple(after.updatedAt, after.id)));
    query = query.orderBy('a.updated_at', 'desc').orderBy('a.id', 'desc');
  }
  const rows = await query.limit(page.limit + 1).execute();
  const items = rows.slice(0, page.limit).map((r) => {
    const publishedAt = toDateOrUndefined(r.published_at);
    const firstPublishedAt = toDateOrUndefined(r.first_published_at);
    return {
      id: Number(r.id),
      headline: r.headline,
      state: workflowState({
        status: r.status as ArticleStatus,
        ...(r.review ? { review: r.review as ReviewState } : {}),
        ...(firstPublishedAt ? { firstPublishedAt } : {}),
      }),
      section: r.section,
      updatedAt: toDate(r.updated_at),
      ...(publishedAt ? { publishedAt } : {}),
      version: Number(r.version),
    };
  });
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return {
    items,
    ...(last ? { next: { updatedAt: toDate(last.updated_at).toISOString(), id: Number(last.id) } } : {}),
  };
}

type DeskQuery = ReturnType<typeof baseQuery>;
const baseQuery = (db: Db) =>
  db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select([
      'a.id',
      'a.headline',
      'a.status',
      'a.review',
      'a.first_published_at',
      'a.updated_at',
      'a.published_at',
      'a.version',
      's.name as section',
    ]);

/** A workflow state as columns: drafts are told apart by review and by having been published. */
function stateFilter(query: DeskQuery, state: WorkflowState | undefined): DeskQuery {
  switch (state) {
    case undefined:
      return query;
    case 'in_review':
      return query.where('a.review', '=', 'submitted');
    case 'sent_back':
      return query.where('a.review', '=', 'returned');
    case 'draft':
      return query
        .where('a.status', '=', 'draft')
        .where('a.review', 'is', null)
        .where('a.first_published_at', 'is', null);
    case 'unpublished':
      return query
        .where('a.status', '=', 'draft')
        .where('a.review', 'is', null)
        .where('a.first_published_at', 'is not', null);
    default:
      return query.where('a.status', '=', state);
  }
}
