/**
 * Live coverage's domain on each database: posting (a contributor's entry
 * waits for review), pinning, key events, corrections with their note,
 * deletion with its audit record, breaking out into an article that links
 * back, the lock of an ended coverage, sanitized bodies, concurrent posters,
 * stable pages of older updates, and the invalidation each change sends.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { Services } from '../services.js';
import type { LiveActor } from './live.service.js';

const para = (html: string) => [{ type: 'paragraph' as const, html }];

describeTargets('live coverage on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  let editor: LiveActor;
  let contributor: LiveActor;
  const dropped: string[][] = [];

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    const make = async (role: 'editor' | 'contributor', name: string) => {
      const u = await s.accounts.createUser('operator', {
        email: `${role}@news.test`,
        name,
        role,
        password: 'correct horse battery staple',
      });
      return { id: u.id, role: u.role, active: u.active, name: u.name };
    };
    editor = await make('editor', 'Eve Editor');
    contributor = await make('contributor', 'Carl Contributor');
    s.invalidator.subscribe((tags) => dropped.push(tags));
  });
  afterAll(() => t.cleanup());

  it('posts, pins, marks key events, corrects with a note and deletes with an audit record', async () => {
    const c = await s.live.createCoverage({ headline: 'Storm makes landfall', standfirst: 'Follow along.' }, editor);
    expect(c).toMatchObject({ slug: 'storm-makes-landfall', status: 'live' });
    dropped.length = 0;
    const first = await s.live.post(c.id, { body: para('Winds at <b>200 km/h</b><script>alert(1)</script>.') }, editor);
    expect(first).toMatchObject({ state: 'published', authors: ['Eve Editor'], pinned: false });
    expect(first.body).toEqual(para('Winds at <b>200 km/h</b>.'));
    expect(dropped).toContainEqual([`live:${c.id}`, 'live']);

    const second = await s.live.post(c.id, { body: para('Evacuations ordered.') }, editor);
    await s.live.pin(first.id, true, editor);
    await s.live.pin(second.id, true, editor);
    expect((await s.live.pinned(c.id))?.id).toBe(second.id);
    expect((await s.live.entry(first.id))?.pinned).toBe(false);

    await s.live.keyEvent(second.id, 'Evacuations ordered', editor);
    expect((await s.live.keyEvents(c.id)).map((e) => e.keyEvent)).toEqual(['Evacuations ordered']);

    const corrected = await s.live.correct(
      first.id,
      { body: para('Winds at 180 km/h.'), note: 'Wind speed was wrong.' },
      editor,
    );
    expect(corrected).toMatchObject({ body: para('Winds at 180 km/h.'), correction: 'Wind speed was wrong.' });
    await expect(s.live.correct(first.id, { body: para('x'), note: ' ' }, editor)).rejects.toMatchObject({
      code: 'INVALID_LIVE',
    });

    await s.live.remove(second.id, editor);
    expect((await s.live.page(c.id)).entries.map((e) => e.id)).toEqual([first.id]);
    expect(await s.live.pinned(c.id)).toBeUndefined();
    const audit = await s.audit.list({ action: 'liveEntry.deleted' });
    expect(audit.entries[0]).toMatchObject({ actorId: editor.id, subject: `liveEntry:${second.id}` });
    expect(audit.entries[0]?.detail).toMatchObject({ text: 'Evacuations ordered.' });
    await expect(s.live.pin(second.id, true, editor)).rejects.toMatchObject({ code: 'LIVE_ENTRY_NOT_FOUND' });
  });

  it('sends a contributor’s entry to review; only the desk manages coverages and entries', async () => {
    const c = await s.live.createCoverage({ headline: 'Election night' }, editor);
    const e = await s.live.post(c.id, { body: para('Turnout is high.') }, contributor);
    expect(e.state).toBe('in_review');
    expect((await s.live.page(c.id)).entries).toEqual([]);
    expect((await s.live.desk(c.id)).map((x) => x.id)).toEqual([e.id]);
    await expect(s.live.approve(e.id, contributor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.live.createCoverage({ headline: 'Mine' }, contributor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await s.live.approve(e.id, editor);
    expect((await s.live.page(c.id)).entries.map((x) => x.id)).toEqual([e.id]);
  });

  it('refuses empty or unsafe bodies and keeps only safe links and media', async () => {
    const c = await s.live.createCoverage({ headline: 'Bad input' }, editor);
    for (const body of [[], para('<script>x()</script>'), [{ type: 'embed' as const, url: 'javascript:alert(1)' }]]) {
      await expect(s.live.post(c.id, { body }, editor)).rejects.toMatchObject({ code: 'INVALID_LIVE' });
    }
    const e = await s.live.post(
      c.id,
      {
        body: [
          ...para('<a href="javascript:x()">see</a> <a href="https://ok.test/">ok</a>'),
          { type: 'image', src: 'data:x', alt: '' },
        ],
      },
      editor,
    );
    expect(e.body).toEqual(para('see <a href="https://ok.test/">ok</a>'));
    await expect(s.live.createCoverage({ headline: '  ' }, editor)).rejects.toMatchObject({ code: 'INVALID_LIVE' });
  });

  it('breaks an entry out into a draft article that links back to it', async () => {
    const c = await s.live.createCoverage({ headline: 'Floods' }, editor);
    const e = await s.live.post(c.id, { body: para('The river burst its banks.') }, editor);
    const articleId = await s.live.breakOut(e.id, { headline: 'River bursts its banks', section: 'World' }, editor);
    const article = await s.articles.get(articleId);
    expect(article).toMatchObject({ headline: 'River bursts its banks', status: 'draft' });
    expect(JSON.stringify(article?.body)).toContain(`/live/${c.id}-floods#entry-${e.id}`);
    expect((await s.live.entry(e.id))?.articleId).toBe(articleId);
  });

  it('locks an ended coverage', async () => {
    const c = await s.live.createCoverage({ headline: 'Summit' }, editor);
    const e = await s.live.post(c.id, { body: para('Leaders arrive.') }, editor);
    await s.live.setStatus(c.id, 'paused', editor);
    const ended = await s.live.setStatus(c.id, 'ended', editor);
    expect(ended.endedAt).toBeInstanceOf(Date);
    await expect(s.live.post(c.id, { body: para('More.') }, editor)).rejects.toMatchObject({ code: 'LIVE_ENDED' });
    await expect(s.live.pin(e.id, true, editor)).rejects.toMatchObject({ code: 'LIVE_ENDED' });
    await expect(s.live.setStatus(c.id, 'live', editor)).rejects.toMatchObject({ code: 'LIVE_ENDED' });
    expect((await s.live.coverage(c.id))?.status).toBe('ended');
  });

  it('takes posts from several editors at once, and pages older updates by entry id', async () => {
    const c = await s.live.createCoverage({ headline: 'Marathon' }, editor);
    const posted = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        s.live.post(c.id, { body: para(`Update ${k}`) }, k % 2 ? editor : { ...editor, name: 'Other' }),
      ),
    );
    expect(new Set(posted.map((e) => e.id)).size).toBe(12);
    const first = await s.live.page(c.id, { limit: 5 });
    expect(first.entries).toHaveLength(5);
    const ids = posted.map((e) => e.id).sort((a, b) => b - a);
    expect(first.entries.map((e) => e.id)).toEqual(ids.slice(0, 5));
    // A new entry does not move the second page: it is named by the entry it starts before.
    await s.live.post(c.id, { body: para('Late') }, editor);
    const second = await s.live.page(c.id, { before: first.older!, limit: 5 });
    expect(second.entries.map((e) => e.id)).toEqual(ids.slice(5, 10));
    const last = await s.live.page(c.id, { before: second.older!, limit: 5 });
    expect(last.older).toBeUndefined();
    expect((await s.live.since(c.id, ids[1]!)).map((e) => e.id)).toEqual([ids[0], expect.any(Number)]);
  });
});
