import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { RelatedProgress } from './related.service.js';
import { createRelatedService } from './related.service.js';

/** A deterministic generator (mulberry32), so both databases get the same corpus. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['Valmora', 'Kestrel Bay', 'Orlin', 'Tessaly', 'Brancote', 'Mirefield', 'Quillan', 'Dunmere'];
const THINGS = ['flood', 'strike', 'election', 'wildfire', 'merger', 'bridge', 'vaccine', 'festival', 'drought'];
const COMMON =
  'officials said on monday that the city would review its plans after residents raised concerns about costs and delays'.split(
    ' ',
  );

/**
 * Coverage of 14 events, a dozen-odd articles each, published hours apart;
 * events overlap in time and share places, subjects and everyday words, so
 * stories, links and lists have real decisions to make.
 */
function corpus() {
  const next = random(7);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)] as T;
  const out = [];
  for (let e = 0; e < 14; e++) {
    const place = PLACES[e % PLACES.length] as string;
    const thing = THINGS[(e * 5) % THINGS.length] as string;
    const start = Date.UTC(2024, 2, 1 + Math.floor(e / 3), 6 + (e % 3) * 3);
    const own = Array.from({ length: 6 }, (_, k) => `${thing}${String.fromCharCode(97 + ((e + k) % 26))}word`);
    for (let k = 0; k < 10 + (e % 6); k++) {
      const words = Array.from({ length: 30 + Math.floor(next() * 50) }, () =>
        next() < 0.4 ? pick(own) : next() < 0.5 ? pick(COMMON) : pick([place, thing, pick(PLACES), pick(THINGS)]),
      );
      out.push(
        articleInput({
          externalId: `bulk:${e}:${k}`,
          headline: `${place} ${thing}: ${pick(own)} ${pick(COMMON)} ${k}`,
          standfirst: `${place} ${thing} ${pick(own)}.`,
          body: [{ type: 'paragraph', html: `${words.join(' ')}.` }],
          section: { name: pick(['News', 'Business', 'Local']) },
          publishedAt: new Date(start + k * 40 * 60_000 + Math.floor(next() * 20) * 60_000),
        }),
      );
    }
  }
  return out;
}

describeTargets('bulk related news on $dialect', (target) => {
  let t: TestServices;
  let ids: number[];

  // Three passes each (one article at a time, in this thread, on workers): slow on a busy machine.
  beforeAll(async () => {
    t = await createTestServices({ JOBS: 'off' }, target);
    // As an import saves: the related index is left to the bulk pass.
    const saved = await t.services.articles.saveMany(corpus(), { bulk: true, deferIndexes: true });
    ids = saved.map((s) => s.id);
  });
  afterAll(() => t.cleanup());

  /** Everything the engine stores, in a comparable form. */
  async function snapshot() {
    const { db } = t.services.database;
    const docs = await db
      .selectFrom('related_docs')
      .select(['article_id', 'story_id', 'vector', 'words', 'simhash', 'published_ms'])
      .orderBy('article_id')
      .execute();
    return {
      df: await db.selectFrom('related_df').select(['term', 'df']).orderBy('term').execute(),
      docs: docs.map((d) => ({ ...d, vector: Buffer.from(d.vector).toString('base64') })),
      postings: await db
        .selectFrom('related_postings')
        .select(['term', 'day', 'article_id', 'weight'])
        .orderBy('term')
        .orderBy('day')
        .orderBy('article_id')
        .execute(),
      lists: await db
        .selectFrom('related_articles')
        .select(['article_id', 'rank', 'related_id', 'score'])
        .orderBy('article_id')
        .orderBy('rank')
        .execute(),
    };
  }

  async function refreshFromScratch(
    options: { bulkFrom: number; threads?: number; bulkKeepBytes?: number },
    progress?: RelatedProgress,
  ) {
    const { db } = t.services.database;
    for (const table of ['related_postings', 'related_docs', 'related_df', 'related_articles'] as const)
      await db.deleteFrom(table).execute();
    await createRelatedService({ database: t.services.database, ...options }).refreshMany(ids, progress);
    return snapshot();
  }

  it('gives the incremental engine’s index, stories and lists, in this thread and on worker threads', async () => {
    const incremental = await refreshFromScratch({ bulkFrom: Number.POSITIVE_INFINITY });
    // Not a vacuous comparison: stories of several articles, and full lists.
    const stories = new Map<number, number>();
    for (const d of incremental.docs) stories.set(Number(d.story_id), (stories.get(Number(d.story_id)) ?? 0) + 1);
    expect([...stories.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(8);
    expect(incremental.lists.length).toBeGreaterThan(ids.length * 3);

    const phases = new Set<string>();
    const inThread = await refreshFromScratch({ bulkFrom: 0, threads: 0 }, (phase) => phases.add(phase));
    expect(inThread).toEqual(incremental);
    expect([...phases]).toEqual(['index', 'weigh', 'load', 'postings', 'stories', 'lists']);
    expect(await refreshFromScratch({ bulkFrom: 0, threads: 2 })).toEqual(incremental);
    // Beyond its memory budget, the counted features wait in a temporary file: the same index.
    expect(await refreshFromScratch({ bulkFrom: 0, threads: 2, bulkKeepBytes: 0 })).toEqual(incremental);
    expect(await refreshFromScratch({ bulkFrom: 0, threads: 0, bulkKeepBytes: 0 })).toEqual(incremental);
  }, 180_000);

  it('rebuilds the whole site in bulk as one article at a time does', async () => {
    const related = (bulkFrom: number) => createRelatedService({ database: t.services.database, bulkFrom, threads: 2 });
    expect(await related(Number.POSITIVE_INFINITY).rebuild()).toBe(ids.length);
    const oneByOne = await snapshot();
    expect(await related(0).rebuild()).toBe(ids.length);
    expect(await snapshot()).toEqual(oneByOne);
  }, 120_000);

  it('keeps the stories of articles already clustered, and clusters a second import after them', async () => {
    const { db } = t.services.database;
    for (const table of ['related_postings', 'related_docs', 'related_df', 'related_articles'] as const)
      await db.deleteFrom(table).execute();
    const bulk = createRelatedService({ database: t.services.database, bulkFrom: 0, threads: 0 });
    await bulk.refreshMany(ids.slice(0, 100));
    const settled = await db.selectFrom('related_docs').select(['article_id', 'story_id']).execute();
    expect(settled).toHaveLength(100);
    await bulk.refreshMany(ids.slice(100));
    const after = new Map(
      (await db.selectFrom('related_docs').select(['article_id', 'story_id']).execute()).map((d) => [
        d.article_id,
        d.story_id,
      ]),
    );
    for (const d of settled) expect(after.get(d.article_id)).toBe(d.story_id);
    expect(after.size).toBe(ids.length);
    expect([...after.values()].every((story) => story !== null)).toBe(true);
  }, 60_000);
});
