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

  it('does not call the service when nothing in the batch can be saved', async () => {
    const { articles, saveMany } = counted();
    const outcomes = await saveBatch(articles, [articleInput({ body: [] })]);
    expect(saveMany).not.toHaveBeenCalled();
    expect(outcomes).toEqual([
      { reason: 'a published article needs a body (or a link to the original it stands for)' },
    ]);
  });
});
