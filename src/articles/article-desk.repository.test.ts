import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import type { ArticleInput } from './article.js';
import { type DeskFilter, listDesk, searchTerms } from './article-desk.repository.js';

const draft = (overrides: Partial<ArticleInput> = {}): ArticleInput => {
  const { externalId: _wire, publishedAt: _time, ...input } = articleInput({ status: 'draft' });
  return { ...input, ...overrides };
};

const MO = { name: 'Mo Harbour' };

describeTargets('the newsroom desk list on $dialect', (target) => {
  let t: TestApp;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const a = t.app.dateline.articles;
    id.plain = (await a.create(draft({ headline: 'Council meets on the ferry budget', authors: [MO] }))).id;
    id.review = (
      await a.create(draft({ headline: 'Ferry timetable leaked', section: { name: 'Transport' }, authors: [MO] }))
    ).id;
    await a.submit(id.review);
    id.returned = (await a.create(draft({ headline: 'Bridge closure explained' }))).id;
    await a.submit(id.returned);
    await a.sendBack(id.returned, { comment: 'Sources?' });
    id.live = (
      await a.create(
        draft({ headline: 'Ферри: новое расписание', slug: 'ferry-schedule', authors: [{ name: 'Ana Ruiz' }] }),
      )
    ).id;
    await a.publish(id.live);
    id.gone = (await a.create(draft({ headline: 'Withdrawn ferry story' }))).id;
    await a.publish(id.gone);
    await a.unpublish(id.gone);
    id.later = (await a.create(draft({ headline: 'Ferry strike called off', authors: [MO] }))).id;
    await a.schedule(id.later, new Date(Date.now() + 3_600_000));
  });
  afterAll(() => t.cleanup());

  const list = async (filter: DeskFilter, limit = 50) =>
    (await listDesk(t.app.dateline.database.db, target.dialect, filter, { limit })).items.map((i) => i.id);

  it('lists every article, whatever its state, most recently changed first, each with its state', async () => {
    const page = await listDesk(t.app.dateline.database.db, target.dialect, {}, { limit: 50 });
    expect(page.items.map((i) => i.id)).toEqual([id.later, id.gone, id.live, id.returned, id.review, id.plain]);
    expect(Object.fromEntries(page.items.map((i) => [i.id, i.state]))).toEqual({
      [id.plain!]: 'draft',
      [id.review!]: 'in_review',
      [id.returned!]: 'sent_back',
      [id.live!]: 'published',
      [id.gone!]: 'unpublished',
      [id.later!]: 'scheduled',
    });
  });

  it('filters by workflow state, section and byline', async () => {
    expect(await list({ state: 'in_review' })).toEqual([id.review]);
    expect(await list({ state: 'sent_back' })).toEqual([id.returned]);
    expect(await list({ state: 'draft' })).toEqual([id.plain]);
    expect(await list({ state: 'unpublished' })).toEqual([id.gone]);
    expect(await list({ state: 'scheduled' })).toEqual([id.later]);
    const transport = await t.app.dateline.database.db
      .selectFrom('sections')
      .select('id')
      .where('slug', '=', 'transport')
      .executeTakeFirstOrThrow();
    expect(await list({ sectionId: transport.id })).toEqual([id.review]);
    const ana = await t.app.dateline.database.db
      .selectFrom('authors')
      .select('id')
      .where('slug', '=', 'ana-ruiz')
      .executeTakeFirstOrThrow();
    expect(await list({ authorId: ana.id })).toEqual([id.live]);
    // A byline's articles come newest first, alone or with a state or words.
    const mo = await authorId('mo-harbour');
    expect(await list({ authorId: mo })).toEqual([id.later, id.review, id.plain]);
    expect(await list({ authorId: mo, state: 'in_review' })).toEqual([id.review]);
    expect(await list({ authorId: mo, text: 'ferry' })).toEqual([id.later, id.review, id.plain]);
    expect(await list({ authorId: mo, text: 'council' })).toEqual([id.plain]);
  });

  const authorId = async (slug: string) =>
    (
      await t.app.dateline.database.db
        .selectFrom('authors')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;

  it('finds headline words in any state and any script, the last word as a prefix, newest first', async () => {
    expect(await list({ text: 'ferry' })).toEqual([id.later, id.gone, id.review, id.plain]);
    expect(await list({ text: 'fer' })).toEqual([id.later, id.gone, id.review, id.plain]);
    expect(await list({ text: 'ferry strike' })).toEqual([id.later]);
    expect(await list({ text: 'расписание' })).toEqual([id.live]);
    expect(await list({ text: 'ferry', state: 'in_review' })).toEqual([id.review]);
    // Operators and junk are words or nothing, never an error.
    for (const junk of ['"unbalanced', 'ferry OR council', 'NEAR(', '*', '-ferry', 'x'.repeat(5000)]) {
      await expect(list({ text: junk }), junk).resolves.toBeInstanceOf(Array);
    }
  });

  it('pages by keyset without repeating or skipping a row', async () => {
    const mo = await authorId('mo-harbour');
    for (const filter of [{}, { text: 'ferry' }, { authorId: mo }] as DeskFilter[]) {
      const seen: number[] = [];
      let after: Parameters<typeof listDesk>[3]['after'];
      for (;;) {
        const page = await listDesk(t.app.dateline.database.db, target.dialect, filter, {
          limit: 2,
          ...(after ? { after } : {}),
        });
        seen.push(...page.items.map((i) => i.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(await list(filter));
      expect(seen.length).toBeGreaterThan(2);
    }
  });

  it('reads search words as letters and digits only', () => {
    expect(searchTerms('Kyiv talks; "resu')).toEqual(['kyiv', 'talks', 'resu']);
    expect(searchTerms('*()"')).toBeUndefined();
  });
});
