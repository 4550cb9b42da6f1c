import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleById } from '../articles/article.repository.js';
import { createClock } from '../lib/time.js';
import { livePath } from '../live/live.js';
import { articlePath } from '../site/urls.js';
import { loadDemoIfEmpty } from './demo.service.js';
import { loadDemoLive } from './demo-live.js';

/** First start on an empty database: the demo articles and the demo's live coverage, as a newcomer sees them. */
describeTargets('the demo content on $dialect', (target) => {
  let t: TestApp;
  const clock = createClock('America/New_York', 'en');

  beforeAll(async () => {
    t = await createTestApp({}, target);
    // Before the articles are there, there is nothing to make a coverage of.
    expect(await loadDemoLive(t.app.dateline.database, clock)).toBeUndefined();
    const report = await loadDemoIfEmpty(t.app.dateline.database, { ...t.app.dateline, clock });
    expect(report?.failed).toEqual([]);
  }, 180_000);
  afterAll(() => t.cleanup());

  it('makes one live coverage of the Hong Kong protests, an entry per report, oldest to newest', async () => {
    const [coverage, ...more] = await t.app.dateline.live.coverages();
    expect(more).toEqual([]);
    expect(coverage).toMatchObject({ headline: 'Hong Kong protests', status: 'live' });
    const { entries } = await t.app.dateline.live.page(coverage!.id, { limit: 50 });
    expect(entries).toHaveLength(6);
    const times = entries.map((e) => e.postedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(entries.every((e) => e.authors.length > 0 && e.body.length === 3)).toBe(true);
    const keyEvents = await t.app.dateline.live.keyEvents(coverage!.id);
    expect(keyEvents.map((e) => e.keyEvent)).toContain('The extradition bill is withdrawn');
    expect((await t.app.dateline.live.pinned(coverage!.id))?.id).toBe(entries[0]!.id);
  });

  it('serves the live page, whose links lead to the full reports, and the newest report links to it', async () => {
    const [coverage] = await t.app.dateline.live.coverages();
    const page = await t.app.inject(livePath(coverage!));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Hong Kong protests');
    const reports = [...page.body.matchAll(/Full report: <a href="([^"]+)"/g)].map((m) => m[1]!);
    expect(reports.length).toBeGreaterThanOrEqual(6);
    for (const href of new Set(reports)) expect((await t.app.inject(href)).statusCode, href).toBe(200);
    const newest = await findArticleById(t.app.dateline.database.db, coverage!.articleId!);
    expect(newest?.headline).toMatch(/district council/);
    const report = await t.app.inject(articlePath({ ...newest!, publishedAt: newest!.publishedAt! }, clock));
    expect(report.body).toContain(`href="${livePath(coverage!)}"`);
  });

  it('loads nothing again on a database that has articles', async () => {
    expect(await loadDemoIfEmpty(t.app.dateline.database, { ...t.app.dateline, clock })).toBeUndefined();
    expect(await loadDemoLive(t.app.dateline.database, clock)).toBeUndefined();
    expect(await t.app.dateline.live.coverages()).toHaveLength(1);
  });
});
