/**
 * The `settings` table: one row per setting an admin set, its value JSON.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export async function readSettings(db: Db): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    try {
      out[row.key] = JSON.parse(row.value) as unknown;
    } catch {
      // A value no one can read is as good as unset: the environment's applies.
    }
  }
  return out;
}

export async function writeSettings(
  db: Db,
  values: Record<string, unknown>,
  at: Date,
  by: number | undefined,
): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const row = { key, value: JSON.stringify(value), updated_at: at.toISOString(), updated_by: by ?? null };
    await db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }),
      )
      .execute();
  }
}
