/**
 * A vector's features as feature hash → weight on typed arrays, for the
 * cosines of ranking (a few hundred candidates × up to 128 features per
 * list): a Map keyed by feature hashes, most of them beyond V8's small
 * integers, boxed every key it was asked for and was a third of a list's
 * time. It holds the values a Map would (`toMap`), so every sum
 * over it is the same. Feature hashes are never 0 (`termHash`): 0 marks an
 * empty slot.
 *
 * @example
 *   const own = TermWeights.of(vector);
 *   own.get(vector.terms[0]); // its weight; 0 for a feature not in the vector
 */
import type { SparseVector } from './vector.js';

export class TermWeights {
  private keys: Int32Array;
  private values: Float64Array;
  /** Slots in insertion order (`entries`, as a Map iterates). */
  private order: Int32Array;
  private count = 0;
  private shift: number;

  /** Room for `expected` features before growing. */
  constructor(expected = 128) {
    let bits = 4;
    // A quarter full at most: most lookups are of features the vector lacks, and end at an empty slot.
    while (1 << bits < expected * 4) bits++;
    this.shift = 32 - bits;
    this.keys = new Int32Array(1 << bits);
    this.values = new Float64Array(1 << bits);
    this.order = new Int32Array(1 << (bits - 2));
  }

  static of(v: SparseVector): TermWeights {
    const w = new TermWeights(v.terms.length);
    for (let i = 0; i < v.terms.length; i++) w.values[w.slot(v.terms[i] as number)] = v.weights[i] as number;
    return w;
  }

  get size(): number {
    return this.count;
  }

  /** The weight of `term`, 0 when absent. */
  get(term: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    // Fibonacci hashing on the high bits: feature hashes share their low bit (`isPair`).
    for (let i = Math.imul(term, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const k = keys[i] as number;
      if (k === term) return this.values[i] as number;
      if (k === 0) return 0;
    }
  }

  has(term: number): boolean {
    return this.keys[this.find(term)] === term;
  }

  /** Adds `delta` to the weight of `term` (from 0 when absent). */
  add(term: number, delta: number): void {
    const s = this.slot(term);
    this.values[s] = (this.values[s] as number) + delta;
  }

  /** Every (term, weight), in the order the terms were first added. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.count; k++) {
      const s = this.order[k] as number;
      out.push([this.keys[s] as number, this.values[s] as number]);
    }
    return out;
  }

  private find(term: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    let i = Math.imul(term, 0x9e3779b1) >>> this.shift;
    while (keys[i] !== 0 && keys[i] !== term) i = (i + 1) & mask;
    return i;
  }

  /** The slot of `term`, added (weight 0) if new. */
  private slot(term: number): number {
    let s = this.find(term);
    if (this.keys[s] === term) return s;
    if ((this.count + 1) * 4 > this.keys.length) {
      this.grow();
      s = this.find(term);
    }
    this.keys[s] = term;
    this.order[this.count++] = s;
    return s;
  }

  private grow(): void {
    const { keys, values, order, count } = this;
    this.shift--;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    this.order = new Int32Array(keys.length >> 1);
    this.count = 0;
    for (let k = 0; k < count; k++) {
      const from = order[k] as number;
      const s = this.find(keys[from] as number);
      this.keys[s] = keys[from] as number;
      this.values[s] = values[from] as number;
      this.order[this.count++] = s;
    }
  }
}
