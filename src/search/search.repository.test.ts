import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import { parseQuery, toFts5, toTsquery } from './query.js';
import { ID_BLOCK, matchArticles } from './search.repository.js';

const dialectQuery = (q: string) => {
  const parsed = parseQuery(q);
  return { fts5: toFts5(parsed)!, tsquery: toTsquery(parsed)! };
};

describeTargets('matching on $dialect', (target) => {
  let t: TestServices;
  const old: number[] = [];
  const recent: number[] = [];
  const match = (q: string, ranked: number, filters = {}, budgetMs?: number, hedgeMs?: number) =>
    matchArticles(
      t.services.database.reader,
      t.services.database.dialect,
      dialectQuery(q),
      filters,
      50,
      ranked,
      budgetMs,
      hedgeMs,
    ).then((rows) => rows.map((r) => r.id).sort((a, b) => a - b));

  beforeAll(async () => {
    t = await createTestServices({}, target);
    const { articles, database } = t.services;
    for (let i = 0; i < 2; i++)
      old.push(
        (await articles.save(articleInput({ headline: `Falcon sighted ${i}`, section: { name: 'Archive' } }))).id,
      );
    // On PostgreSQL, the next articles sixty blocks of ids later (all three steps): the newest blocks are asked first.
    if (database.dialect === 'postgres')
      await sql`select setval(pg_get_serial_sequence('articles', 'id'), ${60 * ID_BLOCK})`.execute(database.db);
    for (let i = 0; i < 3; i++)
      recent.push(
        (
          await articles.save(
            articleInput({ headline: `Falcon returns ${i}`, section: { name: i ? 'World' : 'Local' } }),
          )
        ).id,
      );
  });
  afterAll(() => t?.cleanup());

  it('ranks the newest matches: from the newest blocks when they hold enough, from all when not', async () => {
    if (t.services.database.dialect === 'postgres') expect(recent[0]).toBeGreaterThan(60 * ID_BLOCK);
    expect(await match('falcon', 2)).toEqual(recent.slice(1));
    expect(await match('falcon', 3)).toEqual(recent);
    expect(await match('falcon', 4)).toEqual([old[1], ...recent]);
    expect(await match('falcon', 10)).toEqual([...old, ...recent]);
  });

  it('applies filters before cutting the newest', async () => {
    expect(await match('falcon', 1, { section: 'local' })).toEqual([recent[0]]);
    expect(await match('falcon', 10, { section: 'world' })).toEqual(recent.slice(1));
  });

  it('finds nothing for a query of stop words alone, whatever the blocks hold', async () => {
    if (t.services.database.dialect !== 'postgres') return;
    expect(await match('the', 2)).toEqual([]);
    expect(await match('the', 10)).toEqual([]);
  });

  it('answers from the newest blocks alone when the whole archive takes longer than its budget', async () => {
    if (t.services.database.dialect !== 'postgres') return;
    // Waiting for a lock counts against `statement_timeout`: another transaction holds the index's table for
    // longer than the budget, so the whole-archive statement is cancelled, and the bounded one waits its turn.
    const { pending } = await t.services.database.db.transaction().execute(async (trx) => {
      await sql`lock table article_search in access exclusive mode`.execute(trx);
      const searching = match('falcon', 10, {}, 50);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { pending: searching }; // not awaited here: the lock goes at commit
    });
    expect(await pending).toEqual(recent);
    expect(await match('falcon', 10, {}, 5000)).toEqual([...old, ...recent]);
  });

  it('asks the newest blocks beside the whole archive once it runs long, and answers with the whole archive in time', async () => {
    const { db, dialect } = t.services.database;
    if (dialect !== 'postgres') return;
    // Statements of this database waiting for the lock on the index's table (the test's own query waits for none).
    const waiting = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%article_search%'`.execute(db)
      ).rows[0]?.n;
    const heldWhile = (hedgeMs: number) =>
      db.transaction().execute(async (trx) => {
        await sql`lock table article_search in access exclusive mode`.execute(trx);
        const searching = match('falcon', 10, {}, 10_000, hedgeMs);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { pending: searching, waiting: await waiting() }; // the lock goes at commit
      });
    const hedged = await heldWhile(20);
    expect(hedged.waiting).toBe(2);
    expect(await hedged.pending).toEqual([...old, ...recent]);
    const alone = await heldWhile(60_000);
    expect(alone.waiting).toBe(1);
    expect(await alone.pending).toEqual([...old, ...recent]);
  });
});
