import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import type { EventName } from '../events/event-bus.js';
import { type ArticleInput, workflowState } from './article.js';

/** A draft as a writer starts it: no external id, no publication time. */
const draft = (overrides: Partial<ArticleInput> = {}): ArticleInput => {
  const { externalId: _wire, publishedAt: _time, ...input } = articleInput({ status: 'draft' });
  return { ...input, ...overrides };
};

/** The users who write and edit (their ids are what the articles and revisions record). */
let WRITER: number;
let EDITOR: number;

describeTargets('the newsroom workflow on $dialect', (target) => {
  let t: TestApp;
  const seen: { name: EventName; id: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const { accounts } = t.app.dateline;
    const password = 'correct horse battery staple';
    WRITER = (await accounts.createFirstAdmin({ name: 'Wren Writer', email: 'writer@news.test', password })).id;
    EDITOR = (
      await accounts.createUser('operator', { name: 'Eda Editor', email: 'editor@news.test', password, role: 'editor' })
    ).id;
    for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const) {
      t.app.dateline.events.onCommit(name, ({ id }) => void seen.push({ name, id }));
    }
  });
  afterAll(() => t.cleanup());

  const articles = () => t.app.dateline.articles;
  const state = async (id: number) => workflowState((await articles().get(id))!);

  it('takes a draft through review: submitted, sent back with a note, submitted again, approved and published', async () => {
    const { id } = await articles().create(draft({ headline: 'Tram line extension costed' }), { by: WRITER });
    expect(await state(id)).toBe('draft');
    // Nobody approves what nobody submitted.
    await expect(articles().approve(id, { by: EDITOR })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });

    await articles().submit(id, { by: WRITER });
    expect(await state(id)).toBe('in_review');
    await expect(articles().sendBack(id, { by: EDITOR, comment: '  ' })).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
    });
    await articles().sendBack(id, { by: EDITOR, comment: 'Add the council’s figures.' });
    expect(await articles().get(id)).toMatchObject({ review: 'returned', reviewNote: 'Add the council’s figures.' });
    expect(await state(id)).toBe('sent_back');

    await articles().submit(id, { by: WRITER });
    const published = await articles().approve(id, { by: EDITOR });
    expect(published).toMatchObject({ status: 'published', published: true });
    const article = await articles().get(id);
    expect(article?.review).toBeUndefined();
    expect(article?.reviewNote).toBeUndefined();
    expect(await state(id)).toBe('published');
    expect((await t.app.inject('/')).body).toContain('Tram line extension costed');
  });

  it('approves for a later time as a schedule', async () => {
    const { id } = await articles().create(draft(), { by: WRITER });
    await articles().submit(id);
    const at = new Date(Date.now() + 3_600_000);
    expect(await articles().approve(id, { by: EDITOR, at })).toMatchObject({ status: 'scheduled' });
    expect((await articles().get(id))?.publishedAt).toEqual(at);
  });

  it('refuses to publish or schedule before the embargo, whoever asks, and allows it once lifted or passed', async () => {
    const embargoUntil = new Date(Date.now() + 2 * 3_600_000);
    const { id, version } = await articles().create(draft({ headline: 'Embargoed report', embargoUntil }));
    await expect(articles().publish(id, { expectedVersion: version })).rejects.toMatchObject({
      code: 'EMBARGOED',
      statusCode: 409,
    });
    await expect(articles().schedule(id, new Date(Date.now() + 3_600_000))).rejects.toMatchObject({
      code: 'EMBARGOED',
    });
    expect(await state(id)).toBe('draft');
    // A schedule after the embargo is fine.
    const after = new Date(embargoUntil.getTime() + 60_000);
    expect(await articles().schedule(id, after)).toMatchObject({ status: 'scheduled' });
    // Lifting it lets an editor publish now.
    const current = (await articles().get(id))!;
    const lifted = await articles().update(
      id,
      { ...draft({ headline: 'Embargoed report' }), status: 'scheduled', publishedAt: after, embargoUntil: null },
      { expectedVersion: current.version },
    );
    expect(await articles().publish(id, { expectedVersion: lifted.version })).toMatchObject({ status: 'published' });
    // The import path is held to it too.
    await expect(
      articles().save(articleInput({ externalId: 'wire:embargoed', embargoUntil: new Date(Date.now() + 3_600_000) })),
    ).rejects.toMatchObject({ code: 'EMBARGOED' });
  });

  it('unpublishes to a draft that remembers it was published, and archives', async () => {
    const { id } = await articles().create(draft());
    await articles().publish(id);
    await articles().unpublish(id);
    expect(await state(id)).toBe('unpublished');
    await expect(articles().unpublish(id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await articles().archive(id);
    expect(await state(id)).toBe('archived');
  });

  it('adds a dated correction shown on the article page, moving its modified time and refreshing it', async () => {
    const { id } = await articles().create(draft({ headline: 'Minister resigns over budget row' }));
    await expect(articles().addNote(id, { kind: 'correction', text: 'Too early.' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    await articles().publish(id);
    const before = (await articles().get(id))!;
    const url = (await t.app.inject('/')).body.match(/href="(\/world\/[^"]*minister-resigns[^"]*)"/)![1]!;
    expect((await t.app.inject(url)).body).not.toContain('article-notes');
    seen.length = 0;
    await articles().addNote(
      id,
      { kind: 'correction', text: 'An earlier version misspelt the minister’s name.' },
      {
        by: EDITOR,
      },
    );
    const after = (await articles().get(id))!;
    expect(after.notes).toEqual([
      { kind: 'correction', text: 'An earlier version misspelt the minister’s name.', at: expect.any(Date) },
    ]);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(seen).toEqual([{ name: 'article.updated', id }]);
    const page = (await t.app.inject(url)).body;
    expect(page).toMatch(
      /<strong>Correction, <time datetime="[^"]+">[A-Z][a-z]+ \d{1,2}, \d{4}<\/time>:<\/strong> An earlier version/,
    );
  });

  it('keeps a revision per meaningful save, compares two revisions, and restores one', async () => {
    const { id } = await articles().create(draft({ headline: 'Harbour dredging begins' }), { by: WRITER });
    let v = (await articles().get(id))!.version;
    // Autosaves by the writer within minutes fold into one revision.
    for (const headline of ['Harbour dredging begins on Monday', 'Harbour dredging to begin on Monday']) {
      v = (await articles().update(id, draft({ headline }), { expectedVersion: v, by: WRITER })).version;
    }
    // Another person's save, and a change of status, each start a new one.
    v = (
      await articles().update(id, draft({ headline: 'Harbour dredging to start Monday' }), {
        expectedVersion: v,
        by: EDITOR,
      })
    ).version;
    v = (await articles().publish(id, { expectedVersion: v, by: EDITOR })).version;
    const history = await articles().history(id);
    expect(history.map((r) => [r.savedBy, r.status, r.headline])).toEqual([
      [EDITOR, 'published', 'Harbour dredging to start Monday'],
      [EDITOR, 'draft', 'Harbour dredging to start Monday'],
      [WRITER, 'draft', 'Harbour dredging to begin on Monday'],
    ]);
    const [, , first] = history;
    const diff = await articles().compare(id, first!.id, history[0]!.id);
    const headline = diff.find((d) => d.field === 'Headline')!;
    expect(headline.parts.filter((p) => p.removed).some((p) => p.value.includes('begin'))).toBe(true);
    expect(headline.parts.filter((p) => p.added).some((p) => p.value.includes('start'))).toBe(true);
    expect(headline.parts.map((p) => (p.removed ? '' : p.value)).join('')).toBe('Harbour dredging to start Monday');
    expect(diff.find((d) => d.field === 'Status')?.parts.some((p) => p.added && p.value === 'published')).toBe(true);

    const restored = await articles().restore(id, first!.id, { expectedVersion: v, by: EDITOR });
    const now = (await articles().get(id))!;
    expect(now).toMatchObject({
      headline: 'Harbour dredging to begin on Monday',
      status: 'published',
      version: restored.version,
    });
    // The text is the first revision's again; only its status has moved on since.
    expect((await articles().compare(id, first!.id, 'current')).map((d) => d.field)).toEqual(['Status']);
    await expect(articles().revision(id, 999_999)).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
  });
});
