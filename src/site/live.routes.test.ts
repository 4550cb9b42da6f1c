/**
 * The reader's live page through real HTTP on each database, without
 * JavaScript: headline, status, pinned entry, key events linking to their
 * entries, entries newest first with permalink anchors and share links,
 * older updates at addresses that do not move as entries arrive, the
 * `LiveBlogPosting` JSON-LD, and the page cache dropped on each entry.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { htmlProblems, liveEditor, para } from '../../test/live-helpers.js';
import { createClock } from '../lib/time.js';
import type { Coverage } from '../live/live.js';
import type { LiveActor } from '../live/live.service.js';
import { pollBucket } from './live.routes.js';
import { articlePath } from './urls.js';

function jsonLd(page: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page);
  return (JSON.parse(m![1]!) as Record<string, unknown>[])[0]!;
}

describeTargets('the live page on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let editor: LiveActor;
  let c: Coverage;
  let ids: number[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    editor = await liveEditor(app.dateline);
    c = await app.dateline.live.createCoverage({ headline: 'Storm <live>', standfirst: 'All day.' }, editor);
    for (let k = 1; k <= 25; k++) {
      ids.push((await app.dateline.live.post(c.id, { body: para(`Update number ${k}`) }, editor)).id);
    }
    ids = ids.reverse(); // newest first
  });
  afterAll(() => t.cleanup());

  const path = () => `/live/${c.id}-storm-live`;

  it('shows the headline, status and the newest entries first, each with an anchor and share links', async () => {
    const res = await app.inject(path());
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Storm &lt;live&gt;</h1>');
    expect(res.body).toContain('<strong>Live</strong>');
    const shown = [...res.body.matchAll(/<article class="live-entry" id="entry-(\d+)"/g)].map((m) => Number(m[1]));
    expect(shown).toEqual(ids.slice(0, 20));
    expect(res.body).toContain(`href="https://bsky.app/intent/compose?text=`);
    expect(res.body).toContain(encodeURIComponent(`http://news.test${path()}/older/${ids[0]! + 1}#entry-${ids[0]}`));
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain(`href="${path()}/older/${ids[19]}" rel="next">Older updates`);
    // The slug is only for people: another one redirects to the right address.
    const moved = await app.inject(`/live/${c.id}-wrong`);
    expect([moved.statusCode, moved.headers.location]).toEqual([301, path()]);
    expect((await app.inject('/live/99999-nothing')).statusCode).toBe(404);
    expect((await app.inject('/live/abc')).statusCode).toBe(404);
  });

  it('pages older updates at an address that does not move as entries arrive', async () => {
    const older = `${path()}/older/${ids[19]}`;
    const before = await app.inject(older);
    expect(before.statusCode).toBe(200);
    await app.dateline.live.post(c.id, { body: para('Breaking: a new update') }, editor);
    const after = await app.inject(older);
    const shown = (body: string) => [...body.matchAll(/id="entry-(\d+)"/g)].map((m) => Number(m[1]));
    expect(shown(after.body)).toEqual(ids.slice(20));
    expect(shown(after.body)).toEqual(shown(before.body));
    expect(after.headers['cache-control']).toContain('s-maxage=600');
    expect(after.body).toContain(`<a href="${path()}">Newest updates</a>`);
    expect((await app.inject(`${path()}/older/${ids[24]}`)).statusCode).toBe(404);
  });

  it('shows the pinned entry and key events linking to their entries, on this page or an older one', async () => {
    await app.dateline.live.pin(ids[2]!, true, editor);
    await app.dateline.live.keyEvent(ids[3]!, 'Landfall <confirmed>', editor);
    await app.dateline.live.keyEvent(ids[22]!, 'Warning issued', editor);
    const res = await app.inject(path());
    expect(res.body).toContain(
      `<h2 id="pinned-heading">Pinned</h2><article class="live-entry" id="pinned-entry-${ids[2]}"`,
    );
    expect(res.body).toContain(`<a href="#entry-${ids[3]}">Landfall &lt;confirmed&gt;</a>`);
    expect(res.body).toContain(`<a href="${path()}/older/${ids[22]! + 1}#entry-${ids[22]}">Warning issued</a>`);
    const holder = await app.inject(`${path()}/older/${ids[22]! + 1}`);
    expect(holder.body).toContain(`id="entry-${ids[22]}"`);
  });

  it('is valid HTML, newest and older pages alike', async () => {
    const pages: [string, string][] = [
      ['newest', (await app.inject(path())).body],
      ['older', (await app.inject(`${path()}/older/${ids[19]}`)).body],
    ];
    const problems = await htmlProblems(pages);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('describes itself as a LiveBlogPosting', async () => {
    await app.dateline.live.correct(ids[0]!, { body: para('Corrected text'), note: 'A name was wrong.' }, editor);
    const res = await app.inject(path());
    expect(res.body).toContain('<strong>Correction:</strong> A name was wrong.');
    const ld = jsonLd(res.body);
    expect(ld).toMatchObject({
      '@type': 'LiveBlogPosting',
      headline: 'Storm <live>',
      coverageStartTime: c.startedAt.toISOString(),
      url: `http://news.test${path()}`,
      publisher: { '@type': 'NewsMediaOrganization', logo: { '@type': 'ImageObject' } },
    });
    expect(ld.coverageEndTime).toBeUndefined();
    const updates = ld.liveBlogUpdate as Record<string, unknown>[];
    expect(updates).toHaveLength(20);
    expect(updates.find((u) => u.articleBody === 'Corrected text')).toMatchObject({
      '@type': 'BlogPosting',
      author: [{ '@type': 'Person', name: 'Eve Editor' }],
    });
    await app.dateline.live.setStatus(c.id, 'ended', editor);
    const ended = await app.inject(path());
    expect(ended.body).toContain('<strong>Ended</strong>');
    expect(jsonLd(ended.body).coverageEndTime).toEqual(expect.any(String));
  });

  it('gives readers in one time bucket the same cached polling answer, with each new entry', async () => {
    const d = await app.dateline.live.createCoverage({ headline: 'Polled' }, editor);
    const first = await app.dateline.live.post(d.id, { body: para('One <b>bold</b>') }, editor);
    const page = await app.inject(`/live/${d.id}-polled`);
    // The page names its stream, its polling base and the newest entry; its script comes from the site.
    expect(page.body).toContain(
      `data-live-after="${first.id}" data-live-stream="/live/${d.id}/events" data-live-poll="/live/${d.id}/updates/"`,
    );
    const script = /<script src="(\/assets\/live\.[^"]+\.js)" defer>/.exec(page.body)?.[1];
    expect((await app.inject(script!)).statusCode).toBe(200);

    const bucket = pollBucket(Date.now());
    const url = `/live/${d.id}/updates/${bucket}`;
    const a = await app.inject(url);
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(a.headers['cache-control']).toBe('public, max-age=10, s-maxage=10');
    const body = a.json() as { status: string; entries: { id: number; html: string }[] };
    expect(body.status).toBe('live');
    expect(body.entries.map((e) => e.id)).toEqual([first.id]);
    expect(body.entries[0]!.html).toContain(`id="entry-${first.id}"`);
    expect(body.entries[0]!.html).toContain('One <b>bold</b>');
    // A second reader in the bucket gets the stored answer; a new entry drops it.
    expect(app.dateline.pageCache?.get(url)).toBeDefined();
    expect((await app.inject(url)).body).toBe(a.body);
    const second = await app.dateline.live.post(d.id, { body: para('Two') }, editor);
    expect(app.dateline.pageCache?.get(url)).toBeUndefined();
    expect(((await app.inject(url)).json() as typeof body).entries.map((e) => e.id)).toEqual([second.id, first.id]);
    // A bucket far from the server's clock goes to the current one.
    const stale = await app.inject(`/live/${d.id}/updates/${bucket - 100}`);
    expect(stale.statusCode).toBe(302);
    expect(stale.headers.location).toMatch(new RegExp(`^/live/${d.id}/updates/\\d+$`));
    expect((await app.inject(`/live/${d.id}/updates/abc`)).statusCode).toBe(404);
  });

  it('links the story’s article to the coverage while it is live, cached pages included', async () => {
    const saved = await app.dateline.articles.save(articleInput({ headline: 'Storm nears the coast' }));
    const article = (await app.dateline.articles.get(saved.id))!;
    const url = articlePath({ ...article, publishedAt: article.publishedAt! }, createClock('America/New_York', 'en'));
    expect((await app.inject(url)).body).not.toContain('class="live-link"');
    const d = await app.dateline.live.createCoverage({ headline: 'Storm live', articleId: article.id }, editor);
    expect((await app.inject(url)).body).toContain(
      `<p class="live-link"><strong>Live</strong> <a href="/live/${d.id}-storm-live">Storm live</a></p>`,
    );
    await app.dateline.live.setStatus(d.id, 'ended', editor);
    expect((await app.inject(url)).body).not.toContain('class="live-link"');
  });

  it('is kept in the page cache and dropped when the coverage changes', async () => {
    const d = await app.dateline.live.createCoverage({ headline: 'Cached' }, editor);
    const p = `/live/${d.id}-cached`;
    expect((await app.inject(p)).body).toContain('No updates yet.');
    expect(app.dateline.pageCache?.get(p)).toBeDefined();
    await app.dateline.live.post(d.id, { body: para('First!') }, editor);
    expect(app.dateline.pageCache?.get(p)).toBeUndefined();
    expect((await app.inject(p)).body).toContain('First!');
  });
});
