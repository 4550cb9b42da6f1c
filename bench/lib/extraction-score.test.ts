import { describe, expect, it } from 'vitest';
import { scorePage, shingles, summarize, tokens } from './extraction-score.js';

describe('extraction scorer', () => {
  it('tokenizes on Unicode word characters, keeping case', () => {
    expect(tokens("Ogunjobi's $250,000 fine")).toEqual(['Ogunjobi', 's', '250', '000', 'fine']);
    expect(tokens('Привет, мир! 東京')).toEqual(['Привет', 'мир', '東京']);
  });

  it('makes 4-shingles, one shorter shingle for short texts, none for empty ones', () => {
    expect([...shingles(['a', 'b', 'c', 'd', 'e']).keys()]).toHaveLength(2);
    expect([...shingles(['a', 'b']).values()]).toEqual([1]);
    expect(shingles([]).size).toBe(0);
  });

  it('counts run-together words as misses', () => {
    const truth = 'one two three four. Five six seven eight';
    expect(scorePage('one two three four\nFive six seven eight', truth).f1).toBe(1);
    expect(scorePage('one two three fourFive six seven eight', truth).recall).toBeLessThan(0.5);
  });

  it('averages precision only over pages with output and takes F1 of the means', () => {
    const s = summarize([scorePage('', 'a b c d'), scorePage('a b c d x y z w', 'a b c d')]);
    expect(s.recall).toBe(0.5);
    expect(s.precision).toBe(0.2);
    expect(s.f1).toBeCloseTo((2 * 0.5 * 0.2) / 0.7);
    expect(s.exact).toBe(0);
  });
});
