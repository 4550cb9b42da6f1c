import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, type TestApp, targets } from '../../test/helpers.js';
import { rank } from './related.service.js';

describe('rank', () => {
  const summary = (id: number, headline: string, day: number) => ({
    id,
    slug: `s${id}`,
    headline,
    standfirst: '',
    section: { slug: 'world', name: 'World' },
    publishedAt: new Date(Date.UTC(2024, 0, day)),
  });

  it('prefers closer coverage in time at equal relevance', () => {
    const ranked = rank(
      [summary(1, 'Far quake story', 1), summary(2, 'Near quake story', 19)],
      new Map([
        [1, 0.8],
        [2, 0.8],
      ]),
      {
        headline: 'Quake story',
        standfirst: '',
        publishedAt: new Date(Date.UTC(2024, 0, 20)),
      },
    );
    expect(ranked.map((r) => r.id)).toEqual([2, 1]);
  });

  it('keeps one of several copies of the same headline and never the article’s own headline', () => {
    const ranked = rank(
      [
        summary(1, 'Quake hits city', 2),
        summary(2, 'Quake Hits City!', 2),
        summary(3, 'City quake warning', 2),
        summary(4, 'Other quake in city', 2),
      ],
      new Map([
        [1, 0.9],
        [2, 0.9],
        [3, 0.9],
        [4, 0.5],
      ]),
      { headline: 'City quake warning', standfirst: '', publishedAt: new Date(Date.UTC(2024, 0, 2)) },
    );
    expect(ranked.map((r) => r.id)).toEqual([1, 4]);
  });

  it('drops a candidate sharing fewer than two distinctive words', () => {
    const ranked = rank(
      [summary(1, 'Election called in Valmora', 2), summary(2, 'Valmora quake toll rises', 2)],
      new Map([
        [1, 0.9],
        [2, 0.5],
      ]),
      {
        headline: 'Quake shakes Valmora',
        standfirst: '',
        publishedAt: new Date(Date.UTC(2024, 0, 2)),
      },
    );
    expect(ranked.map((r) => r.id)).toEqual([2]);
  });
});

describe.each(targets())('related news on $dialect', (target) => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const save = async (
      key: string,
      headline: string,
      standfirst: string,
      day: number,
      status: 'published' | 'draft' = 'published',
    ) => {
      ids[key] = (
        await t.app.dateline.articles.save(
          articleInput({ headline, standfirst, status, publishedAt: new Date(Date.UTC(2024, 5, day, 12)) }),
        )
      ).id;
    };
    await save(
      'quake',
      'Earthquake shakes coastal city of Valmora',
      'A strong earthquake hit Valmora, damaging the harbour.',
      1,
    );
    await save(
      'followup',
      'Valmora earthquake: rescuers search harbour rubble',
      'Rescuers in Valmora searched the harbour after the earthquake.',
      3,
    );
    await save(
      'draft',
      'Valmora earthquake draft not yet published',
      'Draft about the Valmora earthquake harbour.',
      4,
      'draft',
    );
    await save(
      'unrelated',
      'Chess champion retains title after long final',
      'The champion won the final game in a tiebreak.',
      2,
    );
  });
  afterAll(() => t.cleanup());

  it('links older coverage forward to a follow-up published later', async () => {
    const related = await t.app.dateline.related.read(ids.quake!);
    expect(related.map((r) => r.id)).toEqual([ids.followup]);
  });

  it('never lists the article itself, an unpublished one, or an unrelated one', async () => {
    const related = (await t.app.dateline.related.read(ids.followup!)).map((r) => r.id);
    expect(related).toContain(ids.quake);
    expect(related).not.toContain(ids.followup);
    expect(related).not.toContain(ids.draft);
    expect(related).not.toContain(ids.unrelated);
    expect(await t.app.dateline.related.read(ids.unrelated!)).toEqual([]);
  });

  it('drops an article from other lists when it is unpublished', async () => {
    const input = articleInput({
      headline: 'Valmora earthquake toll rises',
      standfirst: 'The Valmora earthquake toll rose.',
    });
    const { id } = await t.app.dateline.articles.save(input);
    expect((await t.app.dateline.related.read(ids.quake!)).map((r) => r.id)).toContain(id);
    await t.app.dateline.articles.save({ ...input, status: 'archived' });
    expect((await t.app.dateline.related.read(ids.quake!)).map((r) => r.id)).not.toContain(id);
  });
});
