/**
 * Sparse weighted vectors of an article's features, as the index stores them:
 * features hashed to int32 (FNV-1a; a rare collision blurs two words, which
 * ranking tolerates), TF-IDF weights (log tf × BM25 idf), the strongest
 * VECTOR_TERMS kept, L2-normalised. Plus SimHash for near-duplicate text.
 *
 * @example
 *   const v = buildVector(new Map([[termHash('quake'), 2]]), () => 3, 1000);
 *   cosine(v, v); // 1
 */
import { TermWeights } from './term-weights.js';

/** Features kept per article: enough to compare, small enough to read a hundred vectors fast. */
export const VECTOR_TERMS = 128;
/** Of those, how many go into the postings (the candidates index). */
export const POSTED_TERMS = 32;
/** Term hash 0 is reserved: its document frequency row counts the indexed articles. */
export const DOCUMENT_COUNT_TERM = 0;

export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

/** Feature → weight, as a Map or a `TermWeights` (what the hot paths use); absent: undefined or 0. */
export interface WeightLookup {
  get(term: number): number | undefined;
}

/**
 * FNV-1a over UTF-16 code units, as a non-zero int32. Word pairs (`a+b`)
 * hash to odd numbers and everything else to even ones, so a stored vector
 * still tells which of its features are pairs (see `isPair`).
 */
export function termHash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h = term.includes('+') ? h | 1 : h & ~1;
  return h | 0 || 2;
}

export const isPair = (term: number) => (term & 1) === 1;

/** The vector with word-pair weights scaled by `factor`, normalised again. */
export function scalePairs(v: SparseVector, factor: number): SparseVector {
  const weights = Float32Array.from(v.weights, (w, i) => (isPair(v.terms[i] as number) ? w * factor : w));
  const norm = Math.hypot(...weights) || 1;
  return { terms: v.terms, weights: weights.map((w) => w / norm) };
}

/**
 * TF-IDF vector from feature weights (hash → field-weighted count) and
 * document frequencies; `documents` is the number of indexed articles.
 * Strongest first.
 */
export function buildVector(
  counts: Map<number, number>,
  df: (term: number) => number,
  documents: number,
  limit = VECTOR_TERMS,
): SparseVector {
  const scored: [number, number][] = [];
  for (const [term, count] of counts) {
    // BM25's idf: positive even for a word in every article, so a new site's first articles still have vectors.
    const d = Math.min(df(term), documents);
    const idf = Math.log(1 + (documents - d + 0.5) / (d + 0.5));
    const w = (1 + Math.log(count)) * idf;
    if (w > 0) scored.push([term, w]);
  }
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = scored.slice(0, limit);
  const norm = Math.hypot(...top.map(([, w]) => w)) || 1;
  return {
    terms: Int32Array.from(top, ([t]) => t),
    weights: Float32Array.from(top, ([, w]) => w / norm),
  };
}

export function toMap(v: SparseVector): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < v.terms.length; i++) m.set(v.terms[i] as number, v.weights[i] as number);
  return m;
}

/** Dot product of a vector with a map (both normalised: the cosine). */
export function cosine(a: SparseVector, b: SparseVector | WeightLookup): number {
  const other = 'terms' in b ? toMap(b) : b;
  let s = 0;
  for (let i = 0; i < a.terms.length; i++) s += (a.weights[i] as number) * (other.get(a.terms[i] as number) ?? 0);
  return s;
}

/**
 * `cosine(scalePairs(a, pairFactor), b)` without building the scaled vector:
 * ranking scores a few hundred candidates per article, and allocating a copy
 * of each was a tenth of its time.
 */
export function cosineWithPairs(a: SparseVector, b: WeightLookup, pairFactor: number): number {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < a.terms.length; i++) {
    const term = a.terms[i] as number;
    const w = (a.weights[i] as number) * (isPair(term) ? pairFactor : 1);
    norm += w * w;
    dot += w * (b.get(term) ?? 0);
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

/** Packed little-endian pairs (int32 term, float32 weight), as stored in `related_docs.vector`. */
export function packVector(v: SparseVector): Uint8Array {
  return packVectors([v])[0] as Uint8Array;
}

/**
 * Many vectors packed as `packVector` packs one, into one buffer: each is a
 * view of it. (A million vectors each in a buffer of its own left the C heap
 * hundreds of MB larger once they were dropped.)
 */
export function packVectors(vs: SparseVector[]): Uint8Array[] {
  let total = 0;
  for (const v of vs) total += v.terms.length * 8;
  const buf = Buffer.allocUnsafeSlow(total);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const v of vs) {
    const start = at;
    for (let i = 0; i < v.terms.length; i++, at += 8) {
      buf.writeInt32LE(v.terms[i] as number, at);
      buf.writeFloatLE(v.weights[i] as number, at + 4);
    }
    out.push(buf.subarray(start, at));
  }
  return out;
}

export function unpackVector(bytes: Uint8Array): SparseVector {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.floor(buf.length / 8);
  const terms = new Int32Array(n);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    terms[i] = buf.readInt32LE(i * 8);
    weights[i] = buf.readFloatLE(i * 8 + 4);
  }
  return { terms, weights };
}

/** Adds `scale × v` into `into` (for expanding a query with its nearest neighbours). */
export function addInto(into: TermWeights, v: SparseVector, scale: number): void {
  for (let i = 0; i < v.terms.length; i++) into.add(v.terms[i] as number, scale * (v.weights[i] as number));
}

/** A map as a normalised vector of its `limit` strongest entries. */
export function fromMap(m: Map<number, number> | TermWeights, limit = VECTOR_TERMS): SparseVector {
  let kept = (m instanceof TermWeights ? m.entries() : [...m]).filter(([, w]) => w > 0);
  if (kept.length > limit) {
    // Weaker than the limit-th weight, an entry cannot be kept: left out before the sort (an expanded query has a thousand).
    const least = Float64Array.from(kept, ([, w]) => w).sort()[kept.length - limit] as number;
    kept = kept.filter(([, w]) => w >= least);
  }
  const top = kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
  const norm = Math.hypot(...top.map(([, w]) => w)) || 1;
  return { terms: Int32Array.from(top, ([t]) => t), weights: Float32Array.from(top, ([, w]) => w / norm) };
}

/** A second, independent 32-bit hash (FNV-1a with another basis) for the high half of SimHash. */
function hash2(text: string): number {
  let h = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * 64-bit SimHash (Charikar) of word 3-shingles, as 16 hex digits: texts that
 * differ in a few words differ in a few bits.
 */
export function simhash(words: string[]): string {
  const bits = new Int32Array(64);
  const shingles =
    words.length < 3 ? [words.join(' ')] : words.slice(2).map((w, i) => `${words[i]} ${words[i + 1]} ${w}`);
  for (const s of shingles) {
    const lo = termHash(s) >>> 0;
    const hi = hash2(s);
    for (let b = 0; b < 32; b++) {
      bits[b] = (bits[b] as number) + ((lo >>> b) & 1 ? 1 : -1);
      bits[b + 32] = (bits[b + 32] as number) + ((hi >>> b) & 1 ? 1 : -1);
    }
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if ((bits[b] as number) > 0) lo |= 1 << b;
    if ((bits[b + 32] as number) > 0) hi |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits in which two SimHashes differ. */
export function hammingDistance(a: string, b: string): number {
  const hi = Number.parseInt(a.slice(0, 8), 16) ^ Number.parseInt(b.slice(0, 8), 16);
  const lo = Number.parseInt(a.slice(8), 16) ^ Number.parseInt(b.slice(8), 16);
  return popcount(hi) + popcount(lo);
}

/**
 * How many features two vectors' similarity rests on: (Σ c)² ÷ Σ c² over the
 * per-feature products c (1 when one shared feature carries it all, n when n
 * share it evenly). Broad agreement says more than one strong shared word.
 *
 * @example
 *   sharedBreadth(fromMap(new Map([[2, 1], [4, 1]])), new Map([[2, 1], [4, 1]])); // 2
 */
export function sharedBreadth(a: SparseVector, b: WeightLookup): number {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < a.terms.length; i++) {
    const c = (a.weights[i] as number) * (b.get(a.terms[i] as number) ?? 0);
    if (c <= 0) continue;
    sum += c;
    squares += c * c;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}
