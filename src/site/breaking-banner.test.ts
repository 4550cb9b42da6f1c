/**
 * The breaking-news banner through real HTTP on each database: on every
 * reader page without JavaScript, with no cached page dropped (pages keep a
 * slot the banner is spliced into as they are sent), ETags that tell the old
 * banner from the new, its time box ending by itself, the site feed's item,
 * and, on PostgreSQL, a flag made through one instance shown by another.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  articleInput,
  createTestApp,
  describeTargets,
  settle,
  type TestApp,
  until,
  withInstancePairs,
} from '../../test/helpers.js';
import { htmlProblems, liveEditor } from '../../test/live-helpers.js';
import type { LiveActor } from '../live/live.service.js';
import { BANNER_SLOT } from '../web/page-slot.js';

const BANNER = /<aside class="breaking-banner" aria-label="Breaking news">.*?<a href="([^"]+)">([^<]+)<\/a>/;

describeTargets('the breaking-news banner on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let editor: LiveActor;
  let articleId = 0;
  let articleUrl = '';

  beforeAll(async () => {
    // A channel of its own: other suites' invalidations on PostgreSQL would drop pages this one watches.
    t = await createTestApp({ CACHE_CHANNEL: `banner_${process.pid}_${Date.now()}` }, target);
    app = t.app;
    editor = await liveEditor(app.dateline);
    const a = await app.dateline.articles.save(articleInput({ headline: 'Bridge closed after crash' }));
    articleId = a.id;
    articleUrl = /href="(\/world\/[^"]+)"/.exec((await app.inject('/')).body)?.[1] ?? '';
  });
  afterAll(() => t.cleanup());

  const banner = (body: string) => BANNER.exec(body)?.slice(1, 3);

  it('shows on every reader page, without JavaScript, and drops no cached page', async () => {
    const paths = ['/', articleUrl, '/world', '/search?q=bridge', '/no-such-page'];
    for (const p of paths) expect(banner((await app.inject(p)).body), p).toBeUndefined();
    const cache = app.dateline.pageCache!;
    const cached = ['/', articleUrl, '/world'].map((p) => cache.get(p));
    expect(cached.every(Boolean)).toBe(true);
    expect(cached[0]!.body.toString()).toContain(BANNER_SLOT);

    await app.dateline.breaking.flag({ target: { kind: 'article', id: articleId }, minutes: 30 }, editor);
    for (const p of paths)
      expect(banner((await app.inject(p)).body), p).toEqual([articleUrl, 'Bridge closed after crash']);
    // The same cached pages, still holding the slot: the banner went in as each was sent.
    expect(['/', articleUrl, '/world'].map((p) => cache.get(p))).toEqual(cached);
    expect(cache.get('/')).toBe(cached[0]);
    const page = (await app.inject('/')).body;
    expect(page).not.toContain(BANNER_SLOT);
    expect(await htmlProblems([['home with banner', page]])).toEqual([]);
  });

  it('answers a client holding the page from before the banner with the new page, not a 304', async () => {
    const withBanner = await app.inject('/');
    const etag = withBanner.headers.etag as string;
    expect((await app.inject({ url: '/', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const current = app.dateline.breaking.current()!;
    await app.dateline.breaking.end(current.id, editor);
    const without = await app.inject({ url: '/', headers: { 'if-none-match': etag } });
    expect(without.statusCode).toBe(200);
    expect(banner(without.body)).toBeUndefined();
    expect(without.headers.etag).not.toBe(etag);
  });

  it('ends by itself at the end of its time box: nothing is dropped, no job needed', async () => {
    const b = await app.dateline.breaking.flag({ target: { kind: 'article', id: articleId }, minutes: 5 }, editor);
    expect(banner((await app.inject('/')).body)).toBeDefined();
    // Another instance's editor shortens it to a second from now (as if its time box were nearly over).
    const endsAt = new Date(Date.now() + 1000);
    await app.dateline.database.db
      .updateTable('breaking_news')
      .set({ ends_at: endsAt.toISOString() })
      .where('id', '=', b.id)
      .execute();
    app.dateline.invalidator.invalidate(['breaking']);
    const justBefore = new Date(endsAt.getTime() - 1);
    await until(() => app.dateline.breaking.current(justBefore)?.endsAt.getTime() === endsAt.getTime());
    // The home page in the cache (a render that raced the flag's own invalidations is not stored).
    await until(async () => {
      await app.inject('/');
      return app.dateline.pageCache!.get('/') !== undefined;
    });
    const cached = app.dateline.pageCache!.get('/');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt.getTime() - Date.now()) + 20));
    expect(banner((await app.inject('/')).body)).toBeUndefined();
    expect(app.dateline.pageCache!.get('/')).toBe(cached);
  });

  it('puts the breaking item at the top of the site feed while it shows, and takes it out after', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Crash: live' }, editor);
    const e = await app.dateline.live.post(c.id, { body: [{ type: 'paragraph', html: 'Two lanes reopen.' }] }, editor);
    const b = await app.dateline.breaking.flag({ target: { kind: 'entry', id: e.id }, minutes: 5 }, editor);
    const feed = JSON.parse((await app.inject('/feed.json')).body) as {
      items: { id: string; title: string; url: string }[];
    };
    expect(feed.items[0]).toMatchObject({
      id: `tag:news.test,2024:breaking:${b.id}`,
      title: 'Breaking: Two lanes reopen.',
      url: `http://news.test/live/${c.id}-crash-live#entry-${e.id}`,
    });
    expect(feed.items[1]).toMatchObject({ id: `tag:news.test,2024:live:${c.id}`, title: 'Live: Crash: live' });
    const rss = (await app.inject('/feed.xml')).body;
    expect(rss.indexOf('Breaking: Two lanes reopen.')).toBeLessThan(rss.indexOf('Bridge closed after crash'));
    await app.dateline.breaking.end(b.id, editor);
    const after = JSON.parse((await app.inject('/feed.json')).body) as { items: { id: string }[] };
    expect(after.items.map((i) => i.id)).not.toContain(`tag:news.test,2024:breaking:${b.id}`);
    await app.dateline.live.setStatus(c.id, 'ended', editor);
  });

  it.runIf(target.dialect === 'postgres')(
    'shows a flag made through instance A on instance B, whose cached pages stay',
    async () => {
      await withInstancePairs(target, 'breaking', async (a, b, transport) => {
        const ed = await liveEditor(a.dateline, `ed-${transport}@news.test`);
        const saved = await a.dateline.articles.save(articleInput({ headline: `Across (${transport})` }));
        // B's home page cached once A's publication and the jobs that follow it (each invalidating again) have
        // reached it: the same cached entry twice, 200 ms apart.
        await settle(a);
        let seen: unknown;
        await until(async () => {
          const home = (await b.inject('/')).body;
          const entry = b.dateline.pageCache!.get('/');
          const stable = entry !== undefined && entry === seen;
          seen = entry;
          if (!stable) await new Promise((r) => setTimeout(r, 200));
          return home.includes(`Across (${transport})`) && stable;
        });
        expect(banner((await b.inject('/')).body)).toBeUndefined();
        const cached = b.dateline.pageCache!.get('/');
        await a.dateline.breaking.flag({ target: { kind: 'article', id: saved.id }, minutes: 5 }, ed);
        await until(async () => banner((await b.inject('/')).body)?.[1] === `Across (${transport})`);
        expect(b.dateline.pageCache!.get('/'), transport).toBe(cached);
      });
    },
  );
});
