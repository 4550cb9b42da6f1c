/**
 * Breaking news without HTTP, on each database: who may flag what, the
 * banner's time box checked by the clock (no job takes a flag down), ending
 * early, the audit trail, and every instance's memory following a change.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices, until } from '../../test/helpers.js';
import { liveEditor, para } from '../../test/live-helpers.js';
import type { LiveActor } from '../live/live.service.js';
import type { Services } from '../services.js';

describeTargets('breaking news on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  let editor: LiveActor;

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    editor = await liveEditor(s);
  });
  afterAll(() => t.cleanup());

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (err: { code?: string }) => err.code,
    );

  it('flags a published article for its time box, with the headline and the article’s address', async () => {
    const a = await s.articles.save(articleInput({ headline: 'Dam gives way' }));
    const before = Date.now();
    const b = await s.breaking.flag({ target: { kind: 'article', id: a.id }, minutes: 30 }, editor);
    expect(b.headline).toBe('Dam gives way');
    expect(b.href).toMatch(/^\/world\/2024\/01\/01\/dam-gives-way$/);
    expect(b.endsAt.getTime() - b.startsAt.getTime()).toBe(30 * 60_000);
    expect(b.startsAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(s.breaking.current()?.id).toBe(b.id);
    // The time box is the clock's question: no job has to run for the flag to stop showing.
    expect(s.breaking.current(new Date(b.endsAt.getTime() - 1))?.id).toBe(b.id);
    expect(s.breaking.current(b.endsAt)).toBeUndefined();
    const audit = await s.audit.list({ action: 'breaking.flagged' });
    expect(audit.entries.map((e) => e.subject)).toContain(`breaking:${b.id}`);
  });

  it('flags a live entry, leading to its anchor on the live page, with its words as the banner', async () => {
    const c = await s.live.createCoverage({ headline: 'Flood' }, editor);
    const e = await s.live.post(c.id, { body: para('The river is over the <b>quay</b>.') }, editor);
    const b = await s.breaking.flag({ target: { kind: 'entry', id: e.id }, minutes: 5 }, editor);
    expect(b.href).toBe(`/live/${c.id}-flood#entry-${e.id}`);
    expect(b.headline).toBe('The river is over the quay.');
    expect(s.breaking.current()?.id).toBe(b.id);
  });

  it('refuses what readers cannot see, a time box out of range, and anyone but the desk', async () => {
    const draft = await s.articles.save(articleInput({ status: 'draft' }));
    const a = await s.articles.save(articleInput());
    expect(await code(s.breaking.flag({ target: { kind: 'article', id: draft.id }, minutes: 30 }, editor))).toBe(
      'INVALID_BREAKING',
    );
    expect(await code(s.breaking.flag({ target: { kind: 'entry', id: 99_999 }, minutes: 30 }, editor))).toBe(
      'INVALID_BREAKING',
    );
    expect(await code(s.breaking.flag({ target: { kind: 'article', id: a.id }, minutes: 2 }, editor))).toBe(
      'INVALID_BREAKING',
    );
    const author = { ...editor, id: editor.id, role: 'author' as const };
    expect(await code(s.breaking.flag({ target: { kind: 'article', id: a.id }, minutes: 30 }, author))).toBe(
      'FORBIDDEN',
    );
  });

  it('ends a flag early: the one before it shows again until its own time box ends', async () => {
    const shown = s.breaking.current()!;
    const a = await s.articles.save(articleInput({ headline: 'Second story' }));
    const b = await s.breaking.flag({ target: { kind: 'article', id: a.id }, minutes: 10 }, editor);
    expect(s.breaking.current()?.id).toBe(b.id);
    await s.breaking.end(b.id, editor);
    expect(s.breaking.current()?.id).toBe(shown.id);
    expect((await s.breaking.recent()).find((r) => r.id === b.id)?.endedAt).toBeInstanceOf(Date);
    expect((await s.audit.list({ action: 'breaking.ended' })).entries.map((e) => e.subject)).toEqual([
      `breaking:${b.id}`,
    ]);
    expect(await code(s.breaking.end(99_999, editor))).toBe('BREAKING_NOT_FOUND');
  });

  it('reads the flags again when the invalidation bus says so (another instance made one)', async () => {
    const a = await s.articles.save(articleInput({ headline: 'Written elsewhere' }));
    const now = new Date();
    const row = await s.database.db
      .insertInto('breaking_news')
      .values({
        headline: 'Written elsewhere',
        href: '/elsewhere',
        article_id: a.id,
        entry_id: null,
        starts_at: now.toISOString(),
        ends_at: new Date(now.getTime() + 60_000).toISOString(),
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(s.breaking.current()?.id).not.toBe(row.id);
    s.invalidator.invalidate(['breaking']);
    await until(() => s.breaking.current()?.id === row.id);
  });
});
