import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { DEMO_FILE } from '../demo/demo.service.js';
import { importFile } from '../ingest/import.service.js';
import { createRelatedService } from './related.service.js';

/**
 * The demo site (171 Wikinews articles of 2019) as a new user sees it: a young
 * site where most articles have nothing related. Two articles whose lists
 * were padded with unrelated news (issue 14) must show only what is about
 * their subject, or nothing.
 */
describeTargets('related news on the demo site on $dialect', (target) => {
  let t: TestApp;
  const headlines = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const report = await importFile(t.app.dateline, DEMO_FILE);
    expect(report.failed).toEqual([]);
    const rows = await t.app.dateline.database.db.selectFrom('articles').select(['id', 'headline']).execute();
    for (const r of rows) headlines.set(r.headline, Number(r.id));
  }, 180_000);
  afterAll(() => t.cleanup());

  /** What the article's page lists: its story, then related news beyond it. */
  async function shown(headline: string): Promise<string[]> {
    const id = headlines.get(headline);
    if (id === undefined) throw new Error(`no demo article "${headline}"`);
    const res = await t.app.inject({ method: 'GET', url: `/api/articles/${id}/related` });
    expect(res.statusCode).toBe(200);
    const [story, related] = await Promise.all([t.app.dateline.related.story(id), t.app.dateline.related.read(id)]);
    return [...story, ...related].map((a) => a.headline);
  }

  it.each([
    ['Greta Thunberg named 2019 Time Person of the Year', /climate|Thunberg|Amazon rainforest/i],
    [
      'French inventor Franky Zapata successfully crosses English Channel on jet-powered hoverboard',
      /Zapata|hoverboard|flyboard/i,
    ],
  ])('shows nothing unrelated beside "%s"', async (headline, about) => {
    const unrelated = (await shown(headline)).filter((h) => !about.test(h));
    expect(unrelated).toEqual([]);
  });

  it('explains each item as the engine judges it today: what it needed, and its neighbourhood where asked', async () => {
    let asked = 0;
    let items = 0;
    for (const id of [...headlines.values()].slice(0, 60)) {
      for (const why of await t.app.dateline.related.explain(id)) {
        items++;
        // Stored and judged on the same index: every item clears what it needs.
        expect(why.similarity).toBeGreaterThanOrEqual(why.needed);
        if (why.sharedNeighbours === null) continue;
        asked++;
        expect(why.sameStory).toBe(false);
        expect(why.mutual).toEqual(expect.any(Boolean));
      }
    }
    expect(items).toBeGreaterThan(20);
    // A young site of 171 articles has a measured floor, so some items were judged on their neighbourhood.
    expect(asked).toBeGreaterThan(0);
  });

  it('gives the same lists rebuilt in bulk as one article at a time, neighbourhoods judged alike', async () => {
    const { database } = t.app.dateline;
    const lists = () =>
      database.db
        .selectFrom('related_articles')
        .select(['article_id', 'rank', 'related_id', 'score'])
        .orderBy('article_id')
        .orderBy('rank')
        .execute();
    const related = (bulkFrom: number) => createRelatedService({ database, bulkFrom, threads: 2 });
    await related(Number.POSITIVE_INFINITY).rebuild();
    const oneByOne = await lists();
    await related(0).rebuild();
    expect(await lists()).toEqual(oneByOne);
    expect(oneByOne.length).toBeGreaterThan(100);
  }, 120_000);

  it('still lists coverage of one subject together', async () => {
    const list = await shown('Gillibrand ends US presidential bid');
    expect(list.some((h) => /ends US presidential bid/.test(h))).toBe(true);
  });
});
