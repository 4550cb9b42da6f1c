/**
 * Site settings an admin edits in the newsroom (name, description, logo, time
 * zone, the weather's default city and units), one row per setting, its value
 * JSON. A setting without a row takes its value from the environment.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const ts = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('updated_by', 'integer')
      .execute();
  };
}
