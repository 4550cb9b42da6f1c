import { describe, expect, it } from 'vitest';
import { buildTfidf, sectionNewest, terms, timeDecay, topK } from './related-tfidf.js';

describe('tfidf baselines', () => {
  it('tokenises to lowercase words without stopwords', () => {
    expect(terms('The Fed raises RATES, and 2014 growth')).toEqual(['fed', 'raises', 'rates', '2014', 'growth']);
  });

  it('ranks documents sharing rare terms first and skips documents sharing none', () => {
    const index = buildTfidf([
      'volcano erupts in iceland',
      'iceland volcano ash cloud',
      'bank raises interest rates',
      'volcano tours sold out',
    ]);
    const top = index.neighbours(0, 5).map((n) => n.doc);
    expect(top[0]).toBe(1);
    expect(top).not.toContain(2);
    expect(top).not.toContain(0);
  });

  it('topK keeps the best by a rescored value, ties by lower doc', () => {
    const items = [
      { doc: 3, score: 0.5 },
      { doc: 1, score: 0.9 },
      { doc: 2, score: 0.5 },
      { doc: 4, score: 0.1 },
    ];
    expect(topK(items, 2).map((n) => n.doc)).toEqual([1, 2]);
    expect(topK(items, 3, (n) => (n.doc === 4 ? 1 : n.score)).map((n) => n.doc)).toEqual([4, 1, 2]);
  });

  it('decays with time and ignores missing dates', () => {
    expect(timeDecay(0, 12 * 3_600_000)).toBeCloseTo(Math.exp(-1));
    expect(timeDecay(undefined, 5)).toBe(1);
  });

  it('sectionNewest lists the newest others in the same section', () => {
    const newest = sectionNewest(['a', 'a', 'b', 'a'], [10, 30, 40, 20]);
    expect(newest(0, 5)).toEqual([1, 3]);
    expect(newest(2, 5)).toEqual([]);
  });
});
