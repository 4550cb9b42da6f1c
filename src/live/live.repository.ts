/**
 * Live coverages and their entries in the database: plain functions over
 * Kysely, one row shape turned into one domain shape. Entries are read by
 * keyset on `(coverage_id, id)`: a page of older updates is named by the
 * entry it starts before, never by an offset that moves as entries arrive.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Block } from '../articles/article.js';
import type { LiveCoveragesTable, LiveEntriesTable, Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { Coverage, CoverageStatus, Entry, EntryState } from './live.js';

type Db = Kysely<Schema>;

const toCoverage = (row: Selectable<LiveCoveragesTable>): Coverage => ({
  id: row.id,
  slug: row.slug,
  headline: row.headline,
  standfirst: row.standfirst,
  status: row.status as CoverageStatus,
  ...(row.article_id !== null ? { articleId: row.article_id } : {}),
  startedAt: toDate(row.started_at),
  ...(row.ended_at !== null ? { endedAt: toDate(row.ended_at) } : {}),
  updatedAt: toDate(row.updated_at),
});

const toEntry = (row: Selectable<LiveEntriesTable>): Entry => ({
  id: row.id,
  coverageId: row.coverage_id,
  body: JSON.parse(row.body) as Block[],
  authors: JSON.parse(row.authors) as string[],
  state: row.state as EntryState,
  pinned: row.pinned === 1,
  ...(row.key_event !== null ? { keyEvent: row.key_event } : {}),
  ...(row.correction !== null ? { correction: row.correction } : {}),
  ...(row.article_id !== null ? { articleId: row.article_id } : {}),
  ...(row.created_by !== null ? { createdBy: row.created_by } : {}),
  postedAt: toDate(row.posted_at),
  updatedAt: toDate(row.updated_at),
});

export async function insertCoverage(
  db: Db,
  c: Omit<Coverage, 'id' | 'endedAt'> & { createdBy: number | null },
): Promise<number> {
  const row = await db
    .insertInto('live_coverages')
    .values({
      slug: c.slug,
      headline: c.headline,
      standfirst: c.standfirst,
      status: c.status,
      article_id: c.articleId ?? null,
      started_at: c.startedAt.toISOString(),
      created_by: c.createdBy,
      updated_at: c.updatedAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findCoverage(db: Db, id: number): Promise<Coverage | undefined> {
  const row = await db.selectFrom('live_coverages').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCoverage(row);
}

/** Newest first; `status` narrows (the live ones for a banner or a feed). */
/** The newest coverage still live that belongs to one of these articles' story. */
export async function findLiveFor(db: Db, articleIds: number[]): Promise<Coverage | undefined> {
  if (articleIds.length === 0) return undefined;
  const row = await db
    .selectFrom('live_coverages')
    .selectAll()
    .where('status', '=', 'live')
    .where('article_id', 'in', articleIds)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toCoverage(row);
}

export async function listCoverages(db: Db, options: { status?: CoverageStatus; limit: number }): Promise<Coverage[]> {
  let query = db.selectFrom('live_coverages').selectAll();
  if (options.status) query = query.where('status', '=', options.status);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toCoverage);
}

export async function updateCoverage(
  db: Db,
  id: number,
  change: { status?: CoverageStatus; endedAt?: Date | null; headline?: string; standfirst?: string; at: Date },
): Promise<void> {
  await db
    .updateTable('live_coverages')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.endedAt !== undefined ? { ended_at: change.endedAt?.toISOString() ?? null } : {}),
      ...(change.headline !== undefined ? { headline: change.headline } : {}),
      ...(change.standfirst !== undefined ? { standfirst: change.standfirst } : {}),
      updated_at: change.at.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertEntry(
  db: Db,
  e: { coverageId: number; body: Block[]; authors: string[]; state: EntryState; createdBy: number | null; at: Date },
): Promise<number> {
  const row = await db
    .insertInto('live_entries')
    .values({
      coverage_id: e.coverageId,
      body: JSON.stringify(e.body),
      authors: JSON.stringify(e.authors),
      state: e.state,
      created_by: e.createdBy,
      posted_at: e.at.toISOString(),
      updated_at: e.at.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findEntry(db: Db, id: number): Promise<Entry | undefined> {
  const row = await db.selectFrom('live_entries').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEntry(row);
}

export async function updateEntry(
  db: Db,
  id: number,
  change: {
    state?: EntryState;
    pinned?: boolean;
    keyEvent?: string | null;
    body?: Block[];
    correction?: string;
    articleId?: number;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('live_entries')
    .set({
      ...(change.state ? { state: change.state } : {}),
      ...(change.pinned !== undefined ? { pinned: change.pinned ? 1 : 0 } : {}),
      ...(change.keyEvent !== undefined ? { key_event: change.keyEvent } : {}),
      ...(change.body ? { body: JSON.stringify(change.body) } : {}),
      ...(change.correction !== undefined ? { correction: change.correction } : {}),
      ...(change.articleId !== undefined ? { article_id: change.articleId } : {}),
      updated_at: change.at.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** Unpins every entry of a coverage (one pinned entry at a time). */
export async function unpinAll(db: Db, coverageId: number): Promise<void> {
  await db
    .updateTable('live_entries')
    .set({ pinned: 0 })
    .where('coverage_id', '=', coverageId)
    .where('pinned', '=', 1)
    .execute();
}

export interface EntryQuery {
  states: readonly EntryState[];
  /** Entries older than this one (a page of older updates). */
  before?: number;
  /** Entries newer than this one (a stream's resume), oldest first. */
  after?: number;
  keyEvents?: boolean;
  pinned?: boolean;
  limit: number;
}

/** Newest first, except with `after` (oldest first, the order a stream sends them in). */
export async function listEntries(db: Db, coverageId: number, q: EntryQuery): Promise<Entry[]> {
  let query = db
    .selectFrom('live_entries')
    .selectAll()
    .where('coverage_id', '=', coverageId)
    .where('state', 'in', [...q.states]);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.after !== undefined) query = query.where('id', '>', q.after);
  if (q.keyEvents) query = query.where('key_event', 'is not', null);
  if (q.pinned) query = query.where('pinned', '=', 1);
  const rows = await query
    .orderBy('id', q.after !== undefined ? 'asc' : 'desc')
    .limit(q.limit)
    .execute();
  return rows.map(toEntry);
}
