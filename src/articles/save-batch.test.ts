import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { ArticleService } from './article.service.js';
import { saveBatch } from './save-batch.js';

describeTargets('saving an import batch on $dialect', (target) => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices({}, target);
  });
  afterAll(() => t.cleanup());

  /** The real service, with its `saveMany` calls counted (and, when told, the first one failing as a database would). */
  const counted = (failFirst = false) => {
    const real = t.services.articles;
    let calls = 0;
    const saveMany = vi.fn(async (...args: Parameters<ArticleService['saveMany']>) => {
      calls++;
      if (failFirst && calls === 1) throw new Error('connection reset');
      return real.saveMany(...args);
    });
    return { articles: { ...real, saveMany } as ArticleService, saveMany };
  };

  it('sets aside what the rules refuse and saves the rest in one call, outcomes in input order', async () => {
    const { articles, saveMany } = counted();
    const good = [articleInput(), articleInput(), articleInput()];
    const bodiless = articleInput({ body: [] });
    const nameless = articleInput({ headline: '\u0000 ' });
    const outcomes = await saveBatch(articles, [good[0]!, bodiless, good[1]!, nameless, good[2]!], { bulk: true });

    expect(saveMany).toHaveBeenCalledTimes(1);
    expect(saveMany.mock.calls[0]![0].map((i) => i.externalId)).toEqual(good.map((g) => g.externalId));
    expect(outcomes.map((o) => ('reason' in o ? o.reason : 'saved'))).toEqual([
      'saved',
      'a published article needs a body (or a link to the original it stands for)',
      'saved',
      'headline is empty',
      'saved',
    ]);
    for (const [i, g] of [
      [0, good[0]!],
      [2, good[1]!],
    ] as const) {
      const outcome = outcomes[i]!;
      if (!('saved' in outcome)) throw new Error('expected a saved article');
      const stored = await t.services.articles.get(outcome.saved.id);
      expect(stored?.headline).toBe(g.headline);
    }
  });

  it('saves each input alone when the batch fails in the database, and reports only the one that fails alone', async () => {
    const { articles, saveMany } = counted(true);
    const inputs = [articleInput(), articleInput(), articleInput()];
    const outcomes = await saveBatch(articles, inputs, { bulk: true });
    expect(saveMany).toHaveBeenCalledTimes(1 + inputs.length);
    expect(outcomes.every((o) => 'saved' in o)).toBe(true);
  });

  it('saves a batch that repeats itself as one at a time would: slugs, a repeated external id or source, links', async () => {
    const { db } = t.services.database;
    const headline = `Floods close the coastal road ${target.dialect}`;
    const twiceById = articleInput({ externalId: `wire:${target.dialect}:7`, headline: 'First version' });
    const source = { name: 'Wire', url: `https://wire.example/${target.dialect}/story` };
    const inputs = [
      articleInput({ headline, authors: [{ name: 'Ana Ruiz' }], tags: [{ name: 'Floods' }, { name: 'Roads' }] }),
      articleInput({ headline }),
      twiceById,
      articleInput({ externalId: undefined, source, headline: 'From the wire' }),
      articleInput({ headline, tags: [{ name: 'Floods' }] }),
      { ...twiceById, headline: 'Second version' },
      articleInput({ externalId: undefined, source, headline: 'From the wire, updated' }),
    ];
    const { articles, saveMany } = counted();
    const outcomes = await saveBatch(articles, inputs, { bulk: true, deferIndexes: true });
    // In the batch's one transaction: had it failed, each input would have been saved again alone.
    expect(saveMany).toHaveBeenCalledTimes(1);
    const saved = outcomes.map((o) => {
      if (!('saved' in o)) throw new Error(o.reason);
      return o.saved;
    });
    const base = saved[0]!.slug;
    expect(saved.map((s) => s.slug).slice(0, 2)).toEqual([base, `${base}-2`]);
    expect(saved[4]!.slug).toBe(`${base}-3`);
    expect(saved.map((s) => s.created)).toEqual([true, true, true, true, true, false, false]);
    expect(saved[5]!.id).toBe(saved[2]!.id);
    expect(saved[6]!.id).toBe(saved[3]!.id);
    expect(new Set(saved.map((s) => s.id)).size).toBe(5);

    const rows = await db
      .selectFrom('articles')
      .select(['id', 'headline', 'slug'])
      .where(
        'id',
        'in',
        saved.map((s) => s.id),
      )
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.headline)).toEqual([
      headline,
      headline,
      'Second version',
      'From the wire, updated',
      headline,
    ]);
    const tagsOf = async (id: number) =>
      (
        await db
          .selectFrom('article_tags')
          .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
          .select('tags.name')
          .where('article_id', '=', id)
          .orderBy('tags.name')
          .execute()
      ).map((r) => r.name);
    expect(await tagsOf(saved[0]!.id)).toEqual(['Floods', 'Roads']);
    expect(await tagsOf(saved[4]!.id)).toEqual(['Floods']);
    const byline = await db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('authors.name')
      .where('article_id', '=', saved[0]!.id)
      .execute();
    expect(byline.map((r) => r.name)).toEqual(['Ana Ruiz']);
    // The next article, saved alone, gets an id of its own after the batch's.
    const [after] = await t.services.articles.saveMany([articleInput()]);
    expect(after!.id).toBeGreaterThan(Math.max(...saved.map((s) => s.id)));
  });

  it('does not call the service when nothing in the batch can be saved', async () => {
    const { articles, saveMany } = counted();
    const outcomes = await saveBatch(articles, [articleInput({ body: [] })]);
    expect(saveMany).not.toHaveBeenCalled();
    expect(outcomes).toEqual([
      { reason: 'a published article needs a body (or a link to the original it stands for)' },
    ]);
  });
});
