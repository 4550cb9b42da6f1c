import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import { queueSearchReindex } from '../db/migrations/0028_search_languages.js';
import type { Services } from '../services.js';
import { reindexQueued, SEARCH_TAG } from './search.jobs.js';

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
