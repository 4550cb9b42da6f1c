import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { parseQuery } from './query.js';
import { indexWords, oneEditAway, suggestQuery } from './suggest.js';

describe('suggestions, pure', () => {
  it('keeps the distinct words of 3 to 24 letters, lower-cased', () => {
    expect(indexWords('Dam talks: the DAM holds, 2024 at 5 a.m.')).toEqual(['dam', 'talks', 'the', 'holds']);
    expect(indexWords('Переговоры о плотине')).toEqual(['переговоры', 'плотине']);
  });

  it('reaches a word by one dropped, added, changed or swapped letter, in any script', () => {
    const near = oneEditAway('goverment');
    expect(near).toContain('government');
    expect(oneEditAway('teh')).toContain('the');
    expect(oneEditAway('govenrment')).toContain('government');
    expect(oneEditAway('governmennt')).toContain('government');
    expect(oneEditAway('плотена')).toContain('плотина');
    expect(near).not.toContain('goverment');
  });

  it('replaces unknown words by their most used neighbour, and keeps phrases, exclusions and prefixes', () => {
    const counts = new Map([
      ['government', 40],
      ['governmentt', 1],
      ['budget', 12],
      ['peaceful', 5],
      ['solution', 9],
    ]);
    expect(suggestQuery(parseQuery('Goverment budget'), counts)).toBe('government budget');
    expect(suggestQuery(parseQuery('"peacefull solution" -crimea talk*'), counts)).toBe(
      '"peaceful solution" -crimea talk*',
    );
    expect(suggestQuery(parseQuery('government budget'), counts)).toBeUndefined();
    expect(suggestQuery(parseQuery('zyzzyva'), counts)).toBeUndefined();
  });

  it('keeps a known word unless a neighbour is far more used', () => {
    expect(
      suggestQuery(
        parseQuery('governmentt'),
        new Map([
          ['governmentt', 1],
          ['government', 40],
        ]),
      ),
    ).toBe('government');
    expect(
      suggestQuery(
        parseQuery('form'),
        new Map([
          ['form', 10],
          ['from', 100],
        ]),
      ),
    ).toBeUndefined();
  });
});

describeTargets('"Did you mean" on $dialect', (target) => {
  let t: TestApp;
  const search = (q: string, more: Record<string, unknown> = {}) => t.app.dateline.search.search({ q, ...more });

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const { articles } = t.app.dateline;
    await articles.save(articleInput({ headline: 'Government budget passes', section: { name: 'Politics' } }));
    await articles.save(articleInput({ headline: 'Government talks stall', standfirst: 'The reservoir plan waits.' }));
    await articles.save(articleInput({ headline: 'Lighthouse keepers retire', section: { name: 'Local' } }));
  });
  afterAll(() => t?.cleanup());

  it('offers the query with its misspelt words corrected when nothing matched', async () => {
    const result = await search('goverment budgte');
    expect(result.total).toBe(0);
    expect(result.suggestion).toBe('government budget');
    expect((await search('resevoir')).suggestion).toBe('reservoir');
  });

  it('offers it beside articles that match only some words', async () => {
    const result = await search('goverment budget');
    expect(result.partial).toBe(true);
    expect(result.suggestion).toBe('government budget');
  });

  it('offers nothing for a query that matches, for junk, or for a correction that finds nothing', async () => {
    expect((await search('government budget')).suggestion).toBeUndefined();
    expect((await search('zyzzyva qwxq')).suggestion).toBeUndefined();
    // "lighthouse" is one edit from "lighthoue", but not in this section.
    expect((await search('lighthoue', { section: 'politics' })).suggestion).toBeUndefined();
    expect((await search('lighthoue')).suggestion).toBe('lighthouse');
  });

  it('learns the words of newly published articles', async () => {
    expect((await search('aqeduct')).suggestion).toBeUndefined();
    await t.app.dateline.articles.save(articleInput({ headline: 'Aqueduct reopens' }));
    expect((await search('aqeduct')).suggestion).toBe('aqueduct');
  });

  it('links the corrected search from the empty search page, keeping the filters', async () => {
    const page = await t.app.inject(`/search?q=${encodeURIComponent('goverment')}&section=politics`);
    expect(page.body).toContain(
      '<p class="search-suggestion">Did you mean <a href="/search?q=government&amp;section=politics">government</a>?</p>',
    );
  });
});
