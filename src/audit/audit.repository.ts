/**
 * The audit log in the database: plain functions taking the database or the
 * caller's transaction first. `toEntry` is the one place rows become entries.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { AuditEntry, AuditFilter, AuditInput } from './audit.js';

type Db = Kysely<Schema>;

export async function insertAuditEntry(db: Db, input: AuditInput, at: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: at.toISOString(),
      actor_id: input.actorId ?? null,
      action: input.action,
      subject: input.subject ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      ip: input.ip ?? null,
    })
    .execute();
}

/**
 * Up to `limit` entries, newest first, matching `filter`. Keyset paging on
 * the id (`before`): each page is one index range, as fast on the last page
 * of millions as on the first.
 */
export async function listAuditEntries(db: Db, filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    at: toDate(row.at),
    ...(row.actor_id !== null ? { actorId: Number(row.actor_id) } : {}),
    action: row.action,
    ...(row.subject !== null ? { subject: row.subject } : {}),
    ...(row.detail !== null ? { detail: JSON.parse(row.detail) as Record<string, unknown> } : {}),
    ...(row.ip !== null ? { ip: row.ip } : {}),
  };
}
