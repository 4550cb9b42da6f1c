import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describePostgres, type TestDb } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import { type StoredList, storeLists } from './related-bulk.repository.js';

describePostgres('storing many lists on PostgreSQL', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb({ dialect: 'postgres' });
    await migrate(t.database);
  });
  afterAll(() => t?.cleanup());

  const lists = (from: number, count: number, related: number): StoredList[] =>
    Array.from({ length: count }, (_, i) => ({
      articleId: from + i,
      items: Array.from({ length: 10 }, (_, k) => ({ id: related + k, score: 1 / (k + 1) })),
    }));

  /** Sequential scans of `related_articles` so far, as this connection's statistics report them. */
  async function seqScans(conn: TestDb['database']['db']): Promise<number> {
    await sql`select pg_stat_force_next_flush()`.execute(conn);
    await sql`select pg_stat_clear_snapshot()`.execute(conn);
    const { rows } = await sql<{ n: string }>`select (seq_scan)::text as n from pg_stat_user_tables
      where relid = 'related_articles'::regclass`.execute(conn);
    return Number(rows[0]?.n);
  }

  it('replaces lists through the primary key, with no statistics on a table it filled itself', async () => {
    await t.database.db.connection().execute(async (conn) => {
      // Filled and never analyzed, as a bulk pass finds it (the planner would read all of it for `= any`).
      await storeLists(conn, lists(1, 2000, 50_000), 'postgres');
      const before = await seqScans(conn);
      await storeLists(conn, lists(501, 250, 60_000), 'postgres');
      expect(await seqScans(conn)).toBe(before);
      const { rows } = await sql<{ n: string; related: number }>`select count(*)::text as n, min(related_id) as related
        from related_articles where article_id between 501 and 750`.execute(conn);
      expect(rows[0]).toEqual({ n: '2500', related: 60_000 });
      const total = await sql<{ n: string }>`select count(*)::text as n from related_articles`.execute(conn);
      expect(total.rows[0]?.n).toBe('20000');
      // The hints were the transaction's own: this connection plans as before.
      const { rows: settings } = await sql<{ s: string; j: string }>`select current_setting('enable_seqscan') as s,
        current_setting('jit') as j`.execute(conn);
      expect(settings[0]?.s).toBe('on');
    });
  });
});
