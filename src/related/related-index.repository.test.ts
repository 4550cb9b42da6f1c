import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { refreshStatistics } from '../db/maintenance.js';
import { stemOf } from './features.js';
import { bestCandidates, dayOf, postingsNear, readDf, readDoc } from './related-index.repository.js';
import { DOCUMENT_COUNT_TERM, termHash } from './vector.js';

describeTargets('related index on $dialect', (target) => {
  let t: TestApp;
  const ids: number[] = [];
  const day = (d: number) => new Date(Date.UTC(2024, 2, d, 12));

  beforeAll(async () => {
    t = await createTestApp({}, target);
    // Five articles sharing the rare word "zeppelin", one a day.
    for (let d = 1; d <= 5; d++) {
      const { id } = await t.app.dateline.articles.save(
        articleInput({
          headline: `Zeppelin sighted over town, day ${d}`,
          standfirst: 'A zeppelin was sighted.',
          body: [{ type: 'paragraph', html: 'A zeppelin was sighted.' }],
          publishedAt: day(d),
        }),
      );
      ids.push(id);
    }
  });
  afterAll(() => t.cleanup());

  it('counts articles and words once each, however often an article is saved', async () => {
    const { db } = t.app.dateline.database;
    const zeppelin = termHash(stemOf('zeppelin') as string);
    const before = await readDf(db, [DOCUMENT_COUNT_TERM, zeppelin]);
    expect(before.get(zeppelin)).toBe(5);
    await t.app.dateline.articles.save(
      articleInput({ externalId: 'again', headline: 'Zeppelin lands', publishedAt: day(6) }),
    );
    await t.app.dateline.articles.save(
      articleInput({ externalId: 'again', headline: 'Zeppelin lands safely', publishedAt: day(6) }),
    );
    const after = await readDf(db, [DOCUMENT_COUNT_TERM, zeppelin]);
    expect(after.get(zeppelin)).toBe(6);
    expect(after.get(DOCUMENT_COUNT_TERM)).toBe((before.get(DOCUMENT_COUNT_TERM) ?? 0) + 1);
  });

  it('reads the postings nearest in time to a day, half before and half after', async () => {
    const { db, dialect } = t.app.dateline.database;
    const zeppelin = termHash(stemOf('zeppelin') as string);
    const near = await postingsNear(db, dialect, [zeppelin], dayOf(day(3).getTime()), 2);
    expect(near.map((p) => p.articleId).sort()).toEqual([ids[2], ids[3]].sort());
    const wide = await postingsNear(db, dialect, [zeppelin, termHash('nothing-here')], dayOf(day(3).getTime()), 4);
    expect(wide.map((p) => p.articleId).sort()).toEqual([ids[1], ids[2], ids[3], ids[4]].sort());
    expect(wide.every((p) => p.term === zeppelin && p.weight > 0)).toBe(true);
  });

  // PostgreSQL only: on SQLite related_postings is WITHOUT ROWID, stored in its primary-key B-tree, so there are no
  // table rows apart from the index to avoid.
  it.skipIf(target.dialect !== 'postgres')('reads postings from the index alone, never the table rows', async () => {
    const { database } = t.app.dateline;
    // After a bulk change the statistics step also vacuums, which lets index-only scans skip the rows
    // (how many it may skip depends on transactions still open elsewhere in the database: not asserted).
    await refreshStatistics(database);
    const zeppelin = termHash(stemOf('zeppelin') as string);
    const plan = await database.db.transaction().execute(async (trx) => {
      // The table is tiny here: make the planner show what it would do on a large one.
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off)
        select term, day, article_id, weight from related_postings
        where term = ${zeppelin} and day <= ${dayOf(day(3).getTime())} order by day desc limit 2`.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Only Scan Backward using related_postings_pk/);
  });

  it('ranks candidates by partial score weighed by days apart, leaving out those asked', async () => {
    const { db, dialect } = t.app.dateline.database;
    const zeppelin = termHash(stemOf('zeppelin') as string);
    const query = { terms: [zeppelin, termHash('nothing-here')], weights: [1, 1] };
    const near = { day: dayOf(day(3).getTime()), perTerm: 10, floor: 0, perDay: 16 };
    const best = await bestCandidates(db, dialect, query, near, 3, new Set());
    expect(best[0]).toBe(ids[2]);
    expect(best).toHaveLength(3);
    expect([ids[1], ids[3]]).toContain(best[1]);
    const skipping = await bestCandidates(db, dialect, query, near, 3, new Set([ids[2]!]));
    expect(skipping).not.toContain(ids[2]);
    expect([ids[1], ids[3]]).toContain(skipping[0]);
    // Years away: the time weight is the floor alone (and no floating-point underflow on PostgreSQL).
    const far = await bestCandidates(db, dialect, query, { ...near, day: near.day + 5000, floor: 0.5 }, 10, new Set());
    expect(far.length).toBeGreaterThanOrEqual(5);
    expect(await bestCandidates(db, dialect, { terms: [], weights: [] }, near, 3, new Set())).toEqual([]);
  });

  it('takes an unpublished article out of the index', async () => {
    const { db } = t.app.dateline.database;
    const input = articleInput({ headline: 'Zeppelin story to withdraw', publishedAt: day(9) });
    const { id } = await t.app.dateline.articles.save(input);
    expect(await readDoc(db, id)).toBeDefined();
    await t.app.dateline.articles.save({ ...input, status: 'draft' });
    expect(await readDoc(db, id)).toBeUndefined();
  });
});
