import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { Database } from '../db/connect.js';
import { queueSearchReindex } from '../db/migrations/0028_search_languages.js';
import { importFile } from '../ingest/import.service.js';
import type { Services } from '../services.js';
import { backgroundReindex, reindexQueued, SEARCH_TAG } from './search.jobs.js';

describeTargets('re-indexing by language on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  const ids: Record<string, number> = {};
  const find = async (q: string) => (await s.search.search({ q })).hits.map((h) => h.id);

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    const save = async (key: string, headline: string, language = 'en') => {
      ids[key] = (await s.articles.save(articleInput({ headline, language, standfirst: '' }))).id;
    };
    await save('ru', 'Обзор новостей недели', 'ru');
    await save('zhInEnglish', 'Xinhua: 今日新闻');
    await save('english', 'Ministers discuss “housing”');
    await save('draft', 'Черновик новостей', 'ru');
    await s.articles.unpublish(ids['draft']!);
  });
  afterAll(() => t?.cleanup());

  /** The entries as the index wrote them before it read languages: English, the text as it was. */
  async function writeOldEntries() {
    const { db, dialect } = s.database;
    if (dialect === 'postgres')
      await sql`update article_search set document = setweight(to_tsvector('english', a.headline), 'A')
        from articles a where a.id = article_search.article_id`.execute(db);
    else
      for (const id of Object.values(ids))
        await sql`insert or replace into articles_fts (rowid, headline, standfirst, body)
          select id, headline, '', '' from articles where id = ${id} and status = 'published'`.execute(db);
  }

  it('queues the articles whose entries change, and the job writes them again in their language', async () => {
    await writeOldEntries();
    expect(await find('новости')).toEqual([]);
    expect(await find('新闻')).toEqual([]);
    await sql`delete from search_reindex`.execute(s.database.db);

    await queueSearchReindex(s.database.db as unknown as Kysely<unknown>, s.database.dialect);
    const queued = await s.database.db.selectFrom('search_reindex').select('article_id').execute();
    expect(queued.map((r) => r.article_id).sort()).toEqual([ids['ru'], ids['zhInEnglish']].sort());

    // Searched before the re-index, the answers were kept: the job's batches drop them, on every instance.
    expect(await reindexQueued(s.database, () => s.invalidator.invalidate([SEARCH_TAG]))).toBe(false);
    expect(await s.database.db.selectFrom('search_reindex').selectAll().execute()).toEqual([]);
    expect(await find('новости')).toEqual([ids['ru']]);
    expect(await find('新闻')).toEqual([ids['zhInEnglish']]);
    expect(await find('housing')).toEqual([ids['english']]);
    expect(await find('черновик')).toEqual([]);
  });

  it('stops when its time is spent and says that work remains', async () => {
    await queueSearchReindex(s.database.db as unknown as Kysely<unknown>, s.database.dialect);
    expect(await reindexQueued(s.database, () => {}, -1)).toBe(true);
    expect(await reindexQueued(s.database)).toBe(false);
  });
});

describeTargets("an import's search entries on $dialect", (target) => {
  let t: TestServices;
  let s: Services;
  let dir: string;
  const find = async (q: string) => (await s.search.search({ q })).hits.map((h) => h.headline);
  const queued = async () =>
    (await s.database.db.selectFrom('search_reindex').select('article_id').execute()).map((r) => r.article_id);
  const file = (name: string, words: string[]) => {
    const path = join(dir, name);
    const line = (word: string, i: number) =>
      JSON.stringify({ id: `${name}:${i}`, title: `Harbour ${word} report`, body: `The ${word} was seen.` });
    writeFileSync(path, `${words.map(line).join('\n')}\n`);
    return path;
  };

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    dir = mkdtempSync(join(tmpdir(), 'dateline-reindex-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are all written when the import says it is done', async () => {
    const words = Array.from({ length: 30 }, (_, i) => `zebra${i}`);
    const report = await importFile(s, file('drained.jsonl', words), { batchSize: 7 });
    expect(report.created).toBe(30);
    expect(await queued()).toEqual([]);
    expect(await find('zebra0')).toEqual(['Harbour zebra0 report']);
    expect(await find('zebra29')).toEqual(['Harbour zebra29 report']);
  });

  it("are queued in the save's transaction on PostgreSQL, and the job writes what an import left", async () => {
    // An import that ended before writing its entries (no writer beside it): nothing is lost.
    const { searchReindex: _, ...withoutWriter } = s;
    const report = await importFile(withoutWriter, file('left.jsonl', ['okapi', 'quokka']));
    expect(report.created).toBe(2);
    if (s.database.dialect === 'postgres') {
      expect(await queued()).toHaveLength(2);
      expect(await find('okapi')).toEqual([]);
      expect(await reindexQueued(s.database)).toBe(false);
    } else expect(await queued()).toEqual([]); // one writer: written in the save, as ever
    expect(await queued()).toEqual([]);
    s.invalidator.invalidate([SEARCH_TAG]);
    expect(await find('okapi')).toEqual(['Harbour okapi report']);
    expect(await find('quokka')).toEqual(['Harbour quokka report']);
  });

  it('on PostgreSQL, a writer takes the entries another has not locked, and settling drains with two', async () => {
    if (s.database.dialect !== 'postgres') return; // SQLite writes entries in the save: no queue to share
    const { searchReindex: _, ...withoutWriter } = s;
    await importFile(withoutWriter, file('shared.jsonl', ['ibis', 'heron', 'egret', 'crane', 'stork']));
    const waiting = [...(await queued())].sort((a, b) => a - b);
    expect(waiting).toHaveLength(5);
    // Another writer holds the first entry (its transaction is open): this one writes the four others and stops.
    const holder = await s.database.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select article_id from search_reindex where article_id = ${waiting[0]} for update`.execute(conn);
      const left = await reindexQueued(s.database, () => {}, 60_000, 2);
      const still = await queued();
      await sql`rollback`.execute(conn);
      return { left, still };
    });
    expect(holder).toEqual({ left: false, still: [waiting[0]] });
    s.invalidator.invalidate([SEARCH_TAG]);
    expect(await find('heron')).toEqual(['Harbour heron report']);
    expect(await find('ibis')).toEqual([]);

    // Queued again with more, then drained by two writers at once, a batch of one each: nothing left.
    await importFile(withoutWriter, file('more.jsonl', ['petrel', 'gannet', 'tern', 'skua']));
    expect(await queued()).toHaveLength(5);
    await backgroundReindex(s.database, 1, 2).settle();
    expect(await queued()).toEqual([]);
    s.invalidator.invalidate([SEARCH_TAG]);
    for (const word of ['ibis', 'petrel', 'skua']) expect(await find(word)).toEqual([`Harbour ${word} report`]);
  });
});

it('a background re-index that fails says so when settled, and keeps nothing of its failure', async () => {
  let calls = 0;
  const broken = {
    dialect: 'sqlite',
    db: {
      transaction: () => {
        calls++;
        throw new Error('database gone');
      },
    },
  } as unknown as Database;
  const reindex = backgroundReindex(broken);
  reindex.kick();
  reindex.kick();
  await expect(reindex.settle()).rejects.toThrow('database gone');
  expect(calls).toBe(1);
  // Told again, it tries again.
  await expect(reindex.settle()).rejects.toThrow('database gone');
  expect(calls).toBe(2);
});
