import { describe, expect, it } from 'vitest';
import { bcubed, pairedDifference, RankingAverage, ScoreBands, scoreRanking } from './related-metrics.js';

describe('scoreRanking', () => {
  it('caps precision at the number of relevant items', () => {
    // Two relevant items exist and both are found: a perfect list, although k = 5.
    const s = scoreRanking(['a', 'x', 'b', 'y', 'z'], new Set(['a', 'b']), 5);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });

  it('uses k when more relevant items exist than k', () => {
    const relevant = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const s = scoreRanking(['a', 'x', 'b', 'y', 'c'], relevant, 5);
    expect(s.precision).toBeCloseTo(3 / 5);
    expect(s.recall).toBeCloseTo(3 / 8);
  });

  it('counts only the top k and handles short or empty lists', () => {
    expect(scoreRanking(['x', 'y', 'a'], new Set(['a']), 2)).toEqual({ precision: 0, recall: 0, ndcg: 0 });
    expect(scoreRanking([], new Set(['a']), 5)).toEqual({ precision: 0, recall: 0, ndcg: 0 });
  });

  it('computes nDCG against an ideal of min(k, #relevant) ones', () => {
    expect(scoreRanking(['a', 'b'], new Set(['a', 'b']), 5).ndcg).toBeCloseTo(1);
    // One relevant item, found second: (1 / log2 3) / 1.
    expect(scoreRanking(['x', 'a'], new Set(['a']), 5).ndcg).toBeCloseTo(1 / Math.log2(3));
    // Three relevant, k = 2, found at ranks 1 and 3 → only rank 1 counts; ideal is 2 ones.
    const ideal = 1 + 1 / Math.log2(3);
    expect(scoreRanking(['a', 'x', 'b'], new Set(['a', 'b', 'c']), 2).ndcg).toBeCloseTo(1 / ideal);
  });

  it('rejects an empty relevant set', () => {
    expect(() => scoreRanking(['a'], new Set<string>(), 5)).toThrow();
  });
});

describe('RankingAverage', () => {
  it('averages', () => {
    const avg = new RankingAverage();
    avg.add({ precision: 1, recall: 0.5, ndcg: 1 });
    avg.add({ precision: 0, recall: 0.5, ndcg: 0 });
    expect(avg.mean()).toEqual({ precision: 0.5, recall: 0.5, ndcg: 0.5 });
    expect(avg.count).toBe(2);
  });
});

describe('bcubed', () => {
  const gold = new Map([
    [1, 'A'],
    [2, 'A'],
    [3, 'A'],
    [4, 'B'],
    [5, 'B'],
  ]);

  it('is perfect for the gold clustering', () => {
    expect(bcubed(gold, gold)).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('scores singletons: precision 1, recall low', () => {
    const singletons = new Map([...gold.keys()].map((k) => [k, `s${k}`]));
    const r = bcubed(singletons, gold);
    expect(r.precision).toBe(1);
    // Items of A: 1/3 each (×3), of B: 1/2 each (×2) → (1 + 1) / 5.
    expect(r.recall).toBeCloseTo(2 / 5);
  });

  it('scores one cluster of everything: recall 1, precision low', () => {
    const all = new Map([...gold.keys()].map((k) => [k, 'all']));
    const r = bcubed(all, gold);
    expect(r.recall).toBe(1);
    // A items: 3/5 each, B items: 2/5 each → (9/5 + 4/5) / 5 = 13/25.
    expect(r.precision).toBeCloseTo(13 / 25);
    expect(r.f1).toBeCloseTo((2 * (13 / 25)) / (13 / 25 + 1));
  });

  it('scores a mixed clustering by hand', () => {
    // Predicted {1,2} {3,4,5}: item 1,2 precision 1, recall 2/3; item 3 precision 1/3, recall 1/3;
    // items 4,5 precision 2/3, recall 1.
    const predicted = new Map([
      [1, 'x'],
      [2, 'x'],
      [3, 'y'],
      [4, 'y'],
      [5, 'y'],
    ]);
    const r = bcubed(predicted, gold);
    expect(r.precision).toBeCloseTo((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5);
    expect(r.recall).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5);
  });
});

describe('pairedDifference', () => {
  it('gives the mean per-query difference and its standard error', () => {
    const { mean, se } = pairedDifference([1, 0.8, 0.6, 1], [0.8, 0.8, 0.4, 0.6]);
    expect(mean).toBeCloseTo(0.2, 10);
    // Differences 0.2, 0, 0.2, 0.4: sample sd 0.1633, over √4.
    expect(se).toBeCloseTo(0.08165, 4);
  });

  it('has no error when every query differs alike, and refuses lists of different queries', () => {
    expect(pairedDifference([0.6, 0.4], [0.4, 0.2])).toEqual({
      mean: expect.closeTo(0.2, 10),
      se: expect.closeTo(0, 10),
    });
    expect(() => pairedDifference([1], [1, 0])).toThrow(/same queries/);
  });
});

describe('ScoreBands', () => {
  it('counts listed items and relevant ones per score band, lowest bound catching what is below it', () => {
    const bands = new ScoreBands<string>([0.02, 0.05, 0.1]);
    bands.add(
      [
        { id: 'a', score: 0.3 },
        { id: 'b', score: 0.1 },
        { id: 'c', score: 0.07 },
        { id: 'd', score: 0.05 },
        { id: 'e', score: 0.01 },
      ],
      new Set(['a', 'c', 'e']),
    );
    expect(bands.bands).toEqual([
      { from: 0.02, to: 0.05, items: 1, relevant: 1 },
      { from: 0.05, to: 0.1, items: 2, relevant: 1 },
      { from: 0.1, to: Number.POSITIVE_INFINITY, items: 2, relevant: 1 },
    ]);
  });
});
