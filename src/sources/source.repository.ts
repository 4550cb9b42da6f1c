/**
 * Feed sources and the items seen, in the database. Plain functions over
 * Kysely (the database or the caller's transaction); the same SQL on SQLite
 * and PostgreSQL. Times are stored as ISO strings on SQLite (they compare
 * in order as text) and as `timestamptz` on PostgreSQL.
 *
 * @example
 *   const id = await insertSource(db, { url, host, name, section: 'World', mode: 'draft', intervalSeconds: 900 }, new Date());
 *   if (await claimSource(db, id, { now, until, perHost: 2 })) { … poll … }
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Dialect } from '../db/connect.js';
import type { Schema, SourceItemsTable, SourcesTable } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type { Source, SourceMode } from './source.js';

type Db = Kysely<Schema>;

function toSource(row: Selectable<SourcesTable>): Source {
  const opt = <T>(key: string, v: T | null | undefined) => (v === null || v === undefined ? {} : { [key]: v });
  return {
    id: row.id,
    url: row.url,
    host: row.host,
    name: row.name,
    ...opt('format', row.format),
    section: row.section,
    mode: row.mode,
    ...opt('licence', row.licence),
    ...opt('attribution', row.attribution),
    intervalSeconds: row.interval_seconds,
    createdAt: toDate(row.created_at),
    status: {
      ...opt('lastPolledAt', toDateOrUndefined(row.last_polled_at)),
      ...opt('lastSuccessAt', toDateOrUndefined(row.last_success_at)),
      ...opt('lastError', row.last_error),
      ...opt('lastErrorAt', toDateOrUndefined(row.last_error_at)),
      consecutiveFailures: row.consecutive_failures,
      nextPollAt: toDate(row.next_poll_at),
      itemsSeen: row.items_seen,
      itemsCreated: row.items_created,
      itemsUpdated: row.items_updated,
      ...opt('etag', row.etag),
      ...opt('lastModified', row.last_modified),
    },
  };
}

export interface SourceRow {
  url: string;
  host: string;
  name: string;
  section: string;
  mode: SourceMode;
  licence?: string | undefined;
  attribution?: string | undefined;
  intervalSeconds: number;
  createdBy?: number | undefined;
}

export async function insertSource(db: Db, s: SourceRow, at: Date): Promise<number> {
  const row = await db
    .insertInto('sources')
    .values({
      url: s.url,
      host: s.host,
      name: s.name,
      section: s.section,
      mode: s.mode,
      licence: s.licence ?? null,
      attribution: s.attribution ?? null,
      interval_seconds: s.intervalSeconds,
      created_at: at.toISOString(),
      created_by: s.createdBy ?? null,
      next_poll_at: at.toISOString(),
    })
    .onConflict((oc) => oc.column('url').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? 0;
}

export async function deleteSource(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSources(db: Db): Promise<Source[]> {
  return (await db.selectFrom('sources').selectAll().orderBy('id').execute()).map(toSource);
}

export async function findSource(db: Db, id: number): Promise<Source | undefined> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSource(row);
}

/** Sources due now and not held by a poll, soonest first. */
export async function dueSourceIds(db: Db, now: Date, limit: number): Promise<number[]> {
  const iso = now.toISOString();
  const rows = await db
    .selectFrom('sources')
    .select('id')
    .where('next_poll_at', '<=', iso)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', iso)]))
    .orderBy('next_poll_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes a source for one poll, atomically: only if no poll holds it (or the
 * one that did outlived its lease) and fewer than `perHost` polls hold a
 * source on the same host. Of two instances trying at once one wins; the
 * other is told false and leaves it. SQLite writes one transaction at a
 * time; on PostgreSQL claims on one host take turns on an advisory lock,
 * or two claims of different sources would each count the other's as not
 * yet there.
 */
export async function claimSource(
  db: Db,
  dialect: Dialect,
  id: number,
  o: { now: Date; until: Date; perHost: number },
): Promise<boolean> {
  // SQLite: one statement is atomic; a transaction around it would only hold the writer longer.
  if (dialect === 'sqlite') return claim(db, id, o);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('dateline-source-host:' || coalesce((select host from sources where id = ${id}), '')))`.execute(
      trx,
    );
    return claim(trx, id, o);
  });
}

async function claim(db: Db, id: number, o: { now: Date; until: Date; perHost: number }): Promise<boolean> {
  const now = o.now.toISOString();
  const result = await db
    .updateTable('sources')
    .set({ claimed_until: o.until.toISOString(), last_polled_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .where(
      sql<boolean>`(select count(*) from sources as busy where busy.host = sources.host and busy.claimed_until >= ${now}) < ${o.perHost}`,
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface PollOutcome {
  at: Date;
  nextPollAt: Date;
  format?: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
  seen: number;
  created: number;
  updated: number;
}

/** A poll that worked (a 304 too): counts added, failures cleared, the source released. */
export async function recordSuccess(db: Db, id: number, o: PollOutcome): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({
      claimed_until: null,
      last_success_at: o.at.toISOString(),
      last_error: null,
      consecutive_failures: 0,
      next_poll_at: o.nextPollAt.toISOString(),
      ...(o.format ? { format: o.format } : {}),
      ...(o.etag !== undefined ? { etag: o.etag || null } : {}),
      ...(o.lastModified !== undefined ? { last_modified: o.lastModified || null } : {}),
      items_seen: eb('items_seen', '+', o.seen),
      items_created: eb('items_created', '+', o.created),
      items_updated: eb('items_updated', '+', o.updated),
    }))
    .where('id', '=', id)
    .execute();
}

/** A poll that failed: the reason kept, one more failure counted, the source released until `nextPollAt`. */
export async function recordFailure(
  db: Db,
  id: number,
  o: { at: Date; reason: string; nextPollAt: Date; counts?: { seen: number; created: number; updated: number } },
): Promise<void> {
  const c = o.counts ?? { seen: 0, created: 0, updated: 0 };
  await db
    .updateTable('sources')
    .set((eb) => ({
      claimed_until: null,
      last_error: o.reason.slice(0, 1000),
      last_error_at: o.at.toISOString(),
      consecutive_failures: eb('consecutive_failures', '+', 1),
      next_poll_at: o.nextPollAt.toISOString(),
      items_seen: eb('items_seen', '+', c.seen),
      items_created: eb('items_created', '+', c.created),
      items_updated: eb('items_updated', '+', c.updated),
    }))
    .where('id', '=', id)
    .execute();
}

export type ItemRow = Selectable<SourceItemsTable>;

/** The item seen before: the same GUID in this source, else the same URL or canonical URL in any source. */
export async function findItem(
  db: Db,
  sourceId: number,
  keys: { guid: string; urls: string[] },
): Promise<ItemRow | undefined> {
  const byGuid = await db
    .selectFrom('source_items')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('guid', '=', keys.guid)
    .executeTakeFirst();
  if (byGuid || keys.urls.length === 0) return byGuid;
  return db
    .selectFrom('source_items')
    .selectAll()
    .where((eb) => eb.or([eb('url', 'in', keys.urls), eb('canonical_url', 'in', keys.urls)]))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export interface ItemWrite {
  sourceId: number;
  guid: string;
  url: string | null;
  canonicalUrl: string | null;
  articleId: number;
  itemHash: string;
  writtenHash: string;
  at: Date;
}

/** Records an item and its article; an item already recorded under its GUID is brought up to date. */
export async function upsertItem(db: Db, w: ItemWrite): Promise<void> {
  const values = {
    url: w.url,
    canonical_url: w.canonicalUrl,
    article_id: w.articleId,
    item_hash: w.itemHash,
    written_hash: w.writtenHash,
    seen_at: w.at.toISOString(),
  };
  await db
    .insertInto('source_items')
    .values({ source_id: w.sourceId, guid: w.guid, ...values })
    .onConflict((oc) => oc.columns(['source_id', 'guid']).doUpdateSet(values))
    .execute();
}
