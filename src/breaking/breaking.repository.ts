/**
 * Breaking-news flags in the database: plain functions over Kysely, one row
 * shape turned into one domain shape.
 */
import type { Kysely, Selectable } from 'kysely';
import type { BreakingNewsTable, Schema } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type { Breaking } from './breaking.js';

type Db = Kysely<Schema>;

function toBreaking(row: Selectable<BreakingNewsTable>): Breaking {
  const endedAt = toDateOrUndefined(row.ended_at);
  return {
    id: row.id,
    headline: row.headline,
    href: row.href,
    target: row.entry_id !== null ? { kind: 'entry', id: row.entry_id } : { kind: 'article', id: row.article_id ?? 0 },
    startsAt: toDate(row.starts_at),
    endsAt: toDate(row.ends_at),
    ...(endedAt ? { endedAt } : {}),
    ...(row.created_by !== null ? { createdBy: row.created_by } : {}),
  };
}

export async function insertBreaking(db: Db, b: Omit<Breaking, 'id' | 'endedAt'>): Promise<number> {
  const row = await db
    .insertInto('breaking_news')
    .values({
      headline: b.headline,
      href: b.href,
      article_id: b.target.kind === 'article' ? b.target.id : null,
      entry_id: b.target.kind === 'entry' ? b.target.id : null,
      starts_at: b.startsAt.toISOString(),
      ends_at: b.endsAt.toISOString(),
      created_by: b.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findBreaking(db: Db, id: number): Promise<Breaking | undefined> {
  const row = await db.selectFrom('breaking_news').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBreaking(row);
}

/** Flags whose time box is not over at `now` and that no editor ended, soonest end last. */
export async function listCurrent(db: Db, now: Date): Promise<Breaking[]> {
  const rows = await db
    .selectFrom('breaking_news')
    .selectAll()
    .where('ends_at', '>', now.toISOString())
    .where('ended_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map(toBreaking);
}

/** The newest flags, ended or not (the newsroom's list). */
export async function listRecent(db: Db, limit: number): Promise<Breaking[]> {
  const rows = await db.selectFrom('breaking_news').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toBreaking);
}

export async function endBreaking(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('breaking_news').set({ ended_at: at.toISOString() }).where('id', '=', id).execute();
}
