import { describe, expect, it } from 'vitest';
import {
  buildVector,
  cosine,
  cosineWithPairs,
  fromMap,
  hammingDistance,
  isPair,
  packVector,
  scalePairs,
  sharedBreadth,
  simhash,
  termHash,
  toMap,
  unpackVector,
} from './vector.js';

describe('vectors', () => {
  const counts = new Map([
    [termHash('quake'), 3],
    [termHash('harbour'), 1],
    [termHash('the'), 5],
  ]);
  const df = new Map([
    [termHash('quake'), 2],
    [termHash('harbour'), 40],
    [termHash('the'), 1000],
  ]);
  const v = buildVector(counts, (t) => df.get(t) ?? 0, 1000);

  it('weighs rare words up, keeps the strongest first, and is normalised', () => {
    expect(v.terms[0]).toBe(termHash('quake'));
    expect(v.terms[v.terms.length - 1]).toBe(termHash('the'));
    expect(cosine(v, v)).toBeCloseTo(1, 5);
    expect(buildVector(counts, () => 0, 1000, 1).terms).toHaveLength(1);
  });

  it('survives packing as stored', () => {
    const back = unpackVector(packVector(v));
    expect([...back.terms]).toEqual([...v.terms]);
    expect(cosine(back, v)).toBeCloseTo(1, 5);
  });

  it('marks word pairs by hash parity and can weigh them down', () => {
    expect(isPair(termHash('apple+iphon'))).toBe(true);
    expect(isPair(termHash('apple'))).toBe(false);
    const mixed = fromMap(
      new Map([
        [termHash('apple'), 1],
        [termHash('apple+iphon'), 1],
      ]),
    );
    const scaled = scalePairs(mixed, 0.5);
    expect(scaled.weights[mixed.terms.indexOf(termHash('apple+iphon'))]).toBeLessThan(
      scaled.weights[mixed.terms.indexOf(termHash('apple'))] as number,
    );
    expect(cosine(scaled, scaled)).toBeCloseTo(1, 5);
  });

  it('computes the cosine of a pair-scaled vector without building it', () => {
    const a = fromMap(
      new Map([
        [termHash('ferry'), 3],
        [termHash('island'), 1],
        [termHash('ferry+cut'), 2],
      ]),
    );
    const b = toMap(
      fromMap(
        new Map([
          [termHash('ferry'), 1],
          [termHash('ferry+cut'), 1],
          [termHash('winter'), 2],
        ]),
      ),
    );
    for (const factor of [0.25, 1]) {
      expect(cosineWithPairs(a, b, factor)).toBeCloseTo(cosine(scalePairs(a, factor), b), 6);
    }
    expect(cosineWithPairs(a, b, 0.25)).toBeLessThan(cosineWithPairs(a, b, 1));
    expect(cosineWithPairs(fromMap(new Map()), b, 1)).toBe(0);
  });

  it('gives close SimHashes to texts that differ by a word, distant ones to different texts', () => {
    const a = 'the storm closed every road into the valley on tuesday night and left thousands without power'.split(
      ' ',
    );
    const b = [...a];
    b[4] = 'road';
    const c = 'the central bank held interest rates steady as inflation slowed for a third month'.split(' ');
    expect(hammingDistance(simhash(a), simhash(a))).toBe(0);
    expect(hammingDistance(simhash(a), simhash(b))).toBeLessThan(hammingDistance(simhash(a), simhash(c)));
    expect(hammingDistance(simhash(a), simhash(c))).toBeGreaterThan(15);
  });
});

describe('sharedBreadth', () => {
  it('counts how many features a similarity rests on', () => {
    const even = fromMap(
      new Map([
        [2, 1],
        [4, 1],
        [6, 1],
      ]),
    );
    expect(
      sharedBreadth(
        even,
        new Map([
          [2, 1],
          [4, 1],
          [6, 1],
        ]),
      ),
    ).toBeCloseTo(3);
    // One strong shared feature and a faint one: barely more than one.
    const skewed = fromMap(
      new Map([
        [2, 10],
        [4, 1],
      ]),
    );
    expect(
      sharedBreadth(
        skewed,
        new Map([
          [2, 1],
          [4, 1],
        ]),
      ),
    ).toBeLessThan(1.3);
    expect(sharedBreadth(even, new Map([[8, 1]]))).toBe(0);
  });
});
