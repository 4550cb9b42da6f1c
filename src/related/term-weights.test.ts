import { describe, expect, it } from 'vitest';
import { TermWeights } from './term-weights.js';
import { addInto, cosine, fromMap, termHash, toMap } from './vector.js';

describe('TermWeights', () => {
  const words = Array.from({ length: 300 }, (_, i) => termHash(`word${i}`));
  const v = fromMap(new Map(words.slice(0, 128).map((t, i) => [t, 1 / (i + 1)])));

  it('holds what a Map of the vector holds, 0 for an absent feature', () => {
    const w = TermWeights.of(v);
    const m = toMap(v);
    for (const t of words) expect(w.get(t)).toBe(m.get(t) ?? 0);
    expect(w.has(words[0] as number)).toBe(true);
    expect(w.has(words[200] as number)).toBe(false);
    expect(w.size).toBe(128);
  });

  it('sums as a Map does while it grows, and lists its entries in insertion order', () => {
    const w = TermWeights.of(v);
    const m = toMap(v);
    const other = fromMap(new Map(words.slice(100).map((t, i) => [t, 1 + (i % 7)])));
    addInto(w, other, 0.3);
    other.terms.forEach((t, i) => {
      m.set(t, (m.get(t) ?? 0) + 0.3 * (other.weights[i] as number));
    });
    expect(w.entries()).toEqual([...m]);
    expect(fromMap(w)).toEqual(fromMap(m));
    expect(cosine(v, w)).toBe(cosine(v, m));
  });
});
