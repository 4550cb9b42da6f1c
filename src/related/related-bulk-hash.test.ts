import { describe, expect, it } from 'vitest';
import { HashTable } from './related-bulk-hash.js';
import { topByScore } from './related-bulk-index.js';

describe('the bulk pass’s typed hash table', () => {
  it('keeps every key and value as it grows, and says -1 for a key it lacks', () => {
    const t = new HashTable(4);
    for (let k = 1; k <= 10_000; k++) {
      const slot = t.slot(k * 7919 - 5_000_000);
      t.values[slot] = k;
    }
    for (let k = 1; k <= 10_000; k++) expect(t.get(k * 7919 - 5_000_000)).toBe(k);
    expect(t.get(3)).toBe(-1);
    expect(t.find(3)).toBe(-1);
    const shared = new HashTable(0, t.share());
    expect(shared.get(7919 - 5_000_000)).toBe(1);
    expect(shared.keys.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('topByScore', () => {
  it('keeps the best by score, then by higher id, as the database orders them', () => {
    const score = Float64Array.from([0.5, 0.9, 0.5, 0.1, 0.7]);
    const ids = Int32Array.from([10, 11, 12, 13, 14]);
    expect(topByScore([0, 1, 2, 3, 4], score, ids, 3)).toEqual([11, 14, 12]);
    expect(topByScore([0, 1, 2, 3, 4], score, ids, 10)).toEqual([11, 14, 12, 10, 13]);
    expect(topByScore([0, 1], score, ids, 0)).toEqual([]);
  });
});
