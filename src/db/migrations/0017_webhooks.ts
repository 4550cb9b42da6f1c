/**
 * Webhooks (`src/webhooks/`): the addresses admins register for article
 * events, and each delivery's outcome. A delivery is unique per webhook and
 * event job, so an event handled twice (a job runs at least once) delivers
 * once. Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    const id = <T extends string>(table: string) =>
      db.schema
        .createTable(table)
        .addColumn('id' as T, 'integer', (c) =>
          pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        );

    await id('webhooks')
      .addColumn('url', 'text', (c) => c.notNull())
      // Comma-separated event names.
      .addColumn('events', 'text', (c) => c.notNull())
      // The HMAC key deliveries are signed with; shown to admins, so kept as is.
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .execute();

    await id('webhook_deliveries')
      .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
      .addColumn('event', 'text', (c) => c.notNull())
      // The event's job: the same event handled twice finds its delivery already there.
      .addColumn('event_key', 'text', (c) => c.notNull())
      // The JSON body, the same bytes on every attempt.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('pending', 'retrying', 'delivered', 'failed')`),
      )
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('response_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('last_attempt_at', ts)
      .addUniqueConstraint('webhook_deliveries_event', ['webhook_id', 'event_key'])
      .execute();
    // A webhook's deliveries, newest first, for its admin page.
    await db.schema
      .createIndex('webhook_deliveries_webhook')
      .on('webhook_deliveries')
      .columns(['webhook_id', 'id'])
      .execute();
  };
}
