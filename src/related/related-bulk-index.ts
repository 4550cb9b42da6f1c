/**
 * The whole related-news index in memory, for a bulk pass (an import's
 * articles, `dateline related rebuild`): every article's vector and the
 * postings of its strongest features as typed arrays on SharedArrayBuffers,
 * so worker threads read one copy. It answers what the database index
 * answers (`CandidateSource` of `related-list.ts`), the same way: the
 * postings nearest in time per term, partial scores weighed by days apart,
 * ties broken by id; so a bulk pass gives the incremental engine's stories
 * and lists, without a query per article.
 *
 * Memory: 8 bytes per vector feature (at most 128 per article), 8 per
 * posting (at most 32), 40 per article; feature hashes are kept as they are,
 * in an open-addressing table of their own (no Map of millions of keys).
 *
 * @example
 *   const builder = new BulkIndexBuilder(count);
 *   for (const doc of docsInPublicationOrder) builder.add(doc);
 *   const index = builder.finish(documents);
 *   const source = memorySource(index); // hand `index.data` to workers
 */

import { HashTable, type HashTableData, sharedInt32 } from './related-bulk-hash.js';
import type { IndexedDoc } from './related-index.repository.js';
import { dayOf } from './related-index.repository.js';
import { type CandidateSource, PER_TERM } from './related-list.js';
import { RANKING, textShare } from './scoring.js';
import { TermWeights } from './term-weights.js';
import { POSTED_TERMS, type SparseVector, VECTOR_TERMS } from './vector.js';

const DAY_MS = 86_400_000;
/** A position's flags while candidates are scored: left out, touched by a posting. */
const SKIPPED = 1;
const SEEN = 2;
/** Terms whose last search is kept per source (a power of 2). */
const SEARCH_CACHE = 1 << 16;

/**
 * `exp(−days · perDay)` for every number of days apart it is not 0 at (six
 * weeks and a half): a list's postings are a few thousand, their
 * distances a few dozen.
 */
const DECAY = (() => {
  const perDay = DAY_MS / RANKING.timeScaleMs;
  const out: number[] = [];
  for (let d = 0; Math.exp(-d * perDay) > 0; d++) out.push(Math.exp(-d * perDay));
  return Float64Array.from(out);
})();

/** Everything a worker needs, as plain typed arrays (structured-cloned by reference when shared). */
export interface BulkIndexData {
  /** Indexed articles, in publication order (published time, then id): a position is an index into these. */
  ids: Int32Array;
  publishedMs: Float64Array;
  words: Int32Array;
  simLo: Uint32Array;
  simHi: Uint32Array;
  /** Story id per position; 0 for none yet. */
  story: Int32Array;
  vecOffsets: Uint32Array;
  vecTerms: Int32Array;
  vecWeights: Float32Array;
  /** Article id → position + 1 (0: not indexed). */
  posOfId: Int32Array;
  terms: HashTableData;
  /** Per term slot (see `terms`), its postings' range; postings by (day, article id). */
  postOffsets: Uint32Array;
  postDocs: Int32Array;
  postWeights: Float32Array;
  /** Stories: positions grouped by story, oldest first; `stories` maps a story id to its first index in `storyOrder`. */
  storyOrder: Int32Array;
  storyCount: Int32Array;
  stories: HashTableData;
  documents: number;
}

const shared = <T>(make: (b: SharedArrayBuffer) => T, bytes: number) => make(new SharedArrayBuffer(Math.max(8, bytes)));
const sharedUint32 = (n: number) => shared((b) => new Uint32Array(b), n * 4);
const sharedFloat32 = (n: number) => shared((b) => new Float32Array(b), n * 4);
const sharedFloat64 = (n: number) => shared((b) => new Float64Array(b), n * 8);

export interface BulkDocInput {
  id: number;
  publishedMs: number;
  words: number;
  /** The vector as stored (`packVector`), in hexadecimal. */
  vector: string;
  simhash: string;
  storyId: number | null;
}

/** Fills the index from documents given in publication order (published time, then id). */
export class BulkIndexBuilder {
  private n = 0;
  private total = 0;
  private scratch = Buffer.alloc(VECTOR_TERMS * 8);
  private maxId = 0;
  private readonly d: Omit<
    BulkIndexData,
    | 'posOfId'
    | 'terms'
    | 'postOffsets'
    | 'postDocs'
    | 'postWeights'
    | 'storyOrder'
    | 'storyCount'
    | 'stories'
    | 'documents'
  >;

  /** `capacity`: how many documents at most. Vector space is reserved for 128 features each, used as filled. */
  constructor(private readonly capacity: number) {
    this.d = {
      ids: sharedInt32(capacity),
      publishedMs: sharedFloat64(capacity),
      words: sharedInt32(capacity),
      simLo: sharedUint32(capacity),
      simHi: sharedUint32(capacity),
      story: sharedInt32(capacity),
      vecOffsets: sharedUint32(capacity + 1),
      // Shared memory is reserved, not touched: only the pages written count in the process's memory.
      vecTerms: sharedInt32(capacity * VECTOR_TERMS),
      vecWeights: sharedFloat32(capacity * VECTOR_TERMS),
    };
  }

  add(doc: BulkDocInput): void {
    if (this.n >= this.capacity) throw new Error('bulk index: more documents than announced');
    const { d } = this;
    const i = this.n++;
    d.ids[i] = doc.id;
    d.publishedMs[i] = doc.publishedMs;
    d.words[i] = doc.words;
    d.simHi[i] = Number.parseInt(doc.simhash.slice(0, 8), 16);
    d.simLo[i] = Number.parseInt(doc.simhash.slice(8), 16);
    d.story[i] = doc.storyId ?? 0;
    // Decoded through one scratch buffer (pairs of int32 term, float32 weight, little-endian): nothing is
    // allocated per document, which a million of left the C heap hundreds of MB larger.
    const bytes = doc.vector.length >> 1;
    if (bytes > this.scratch.length) this.scratch = Buffer.alloc(bytes);
    this.scratch.write(doc.vector, 0, bytes, 'hex');
    const len = Math.min(Math.floor(bytes / 8), VECTOR_TERMS);
    for (let k = 0; k < len; k++) {
      d.vecTerms[this.total + k] = this.scratch.readInt32LE(k * 8);
      d.vecWeights[this.total + k] = this.scratch.readFloatLE(k * 8 + 4);
    }
    this.total += len;
    d.vecOffsets[i + 1] = this.total;
    if (doc.id > this.maxId) this.maxId = doc.id;
  }

  /** The index with its postings, `documents` being the number of indexed articles as the statistics count them. */
  finish(documents: number): BulkIndexData {
    const { d, n } = this;
    const posOfId = sharedInt32(this.maxId + 1);
    for (let i = 0; i < n; i++) posOfId[d.ids[i] as number] = i + 1;
    const postings = buildPostings(d, n);
    const data: BulkIndexData = {
      ...d,
      ids: d.ids.subarray(0, n),
      publishedMs: d.publishedMs.subarray(0, n),
      words: d.words.subarray(0, n),
      simLo: d.simLo.subarray(0, n),
      simHi: d.simHi.subarray(0, n),
      story: d.story.subarray(0, n),
      vecOffsets: d.vecOffsets.subarray(0, n + 1),
      posOfId,
      ...postings,
      storyOrder: sharedInt32(0),
      storyCount: sharedInt32(0),
      stories: new HashTable(2).share(),
      documents,
    };
    return data;
  }
}

/** The postings of each article's `POSTED_TERMS` strongest features, by term, then (day, article id). */
function buildPostings(
  d: Pick<BulkIndexData, 'ids' | 'publishedMs' | 'vecOffsets' | 'vecTerms' | 'vecWeights'>,
  n: number,
) {
  const table = new HashTable();
  const posted = (i: number) => Math.min(POSTED_TERMS, (d.vecOffsets[i + 1] as number) - (d.vecOffsets[i] as number));
  for (let i = 0; i < n; i++) {
    const from = d.vecOffsets[i] as number;
    for (let k = 0; k < posted(i); k++) {
      // The slot first: adding may grow the table, replacing its arrays.
      const slot = table.slot(d.vecTerms[from + k] as number);
      table.values[slot] = (table.values[slot] as number) + 1;
    }
  }
  // Prefix sums per slot: offsets[slot] is where the term's postings start.
  const postOffsets = sharedUint32(table.keys.length + 1);
  let total = 0;
  for (let s = 0; s < table.keys.length; s++) {
    postOffsets[s] = total;
    total += table.values[s] as number;
  }
  postOffsets[table.keys.length] = total;
  const fill = Uint32Array.from(postOffsets.subarray(0, table.keys.length));
  const postDocs = sharedInt32(total);
  const postWeights = sharedFloat32(total);
  // Fill in (day, id) order, as the database's key orders postings within a term.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const day = (i: number) => dayOf(d.publishedMs[i] as number);
  order.sort((a, b) => day(a) - day(b) || (d.ids[a] as number) - (d.ids[b] as number));
  for (const i of order) {
    const from = d.vecOffsets[i] as number;
    for (let k = 0; k < posted(i); k++) {
      const s = table.find(d.vecTerms[from + k] as number);
      const at = fill[s] as number;
      fill[s] = at + 1;
      postDocs[at] = i;
      postWeights[at] = d.vecWeights[from + k] as number;
    }
  }
  return { terms: table.share(), postOffsets, postDocs, postWeights };
}

/** Sets the stories (story id per position) and groups their members for `storyMemberIds`. */
export function withStories(data: BulkIndexData, story: Int32Array): BulkIndexData {
  const n = data.ids.length;
  const shared = sharedInt32(n);
  shared.set(story);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (shared[a] as number) - (shared[b] as number) || a - b);
  const storyOrder = sharedInt32(n);
  storyOrder.set(order);
  const table = new HashTable();
  const storyCount = sharedInt32(n);
  let start = -1;
  for (let k = 0; k < n; k++) {
    const s = shared[order[k] as number] as number;
    if (s === 0) continue;
    if (start < 0 || shared[order[start] as number] !== s) {
      start = k;
      const slot = table.slot(s);
      table.values[slot] = k;
    }
    storyCount[start] = (storyCount[start] as number) + 1;
  }
  return { ...data, story: shared, storyOrder, storyCount, stories: table.share() };
}

/**
 * The `limit` best of `positions` by score, then id, both descending (the
 * database's `order by sum desc, article_id desc limit`): a bounded heap, as
 * a few thousand articles are touched and two hundred kept.
 */
export function topByScore(
  positions: ArrayLike<number>,
  score: Float64Array,
  ids: Int32Array,
  limit: number,
): number[] {
  // Min-heap on (score, id): its root is the worst kept.
  const heap = new Int32Array(Math.max(0, Math.min(limit, positions.length)));
  let size = 0;
  const worse = (a: number, b: number) => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa < sb || (sa === sb && (ids[a] as number) < (ids[b] as number));
  };
  const down = (i: number) => {
    const p = heap[i] as number;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const m = r < size && worse(heap[r] as number, heap[l] as number) ? r : l;
      if (!worse(heap[m] as number, p)) break;
      heap[i] = heap[m] as number;
      i = m;
    }
    heap[i] = p;
  };
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k] as number;
    if (size < heap.length) {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(p, heap[parent] as number)) break;
        heap[i] = heap[parent] as number;
        i = parent;
      }
      heap[i] = p;
    } else if (size > 0) {
      // Most touched articles are weaker than the worst kept: one comparison each.
      const root = heap[0] as number;
      const sp = score[p] as number;
      const sr = score[root] as number;
      if (sp > sr || (sp === sr && (ids[p] as number) > (ids[root] as number))) {
        heap[0] = p;
        down(0);
      }
    }
  }
  return Array.from(heap.subarray(0, size))
    .sort((a, b) => (score[b] as number) - (score[a] as number) || (ids[b] as number) - (ids[a] as number))
    .map((p) => ids[p] as number);
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/**
 * An indexed article read from memory. Its vector is a view made when first
 * read (a story link reads the vectors of the few candidates published just
 * before, of two hundred), its SimHash a string made when first read (only
 * near-duplicate checks read it, for a few candidates of each list).
 */
class MemoryDoc implements IndexedDoc {
  readonly id: number;
  readonly publishedMs: number;
  readonly words: number;
  readonly storyId: number | null;
  private view: SparseVector | undefined;
  private hash: string | undefined;

  constructor(
    private readonly data: BulkIndexData,
    private readonly at: number,
  ) {
    this.id = data.ids[at] as number;
    this.publishedMs = data.publishedMs[at] as number;
    this.words = data.words[at] as number;
    const story = data.story[at] as number;
    this.storyId = story === 0 ? null : story;
  }

  get vector(): SparseVector {
    if (this.view === undefined) {
      const { vecTerms, vecWeights, vecOffsets } = this.data;
      const from = vecOffsets[this.at] as number;
      const length = (vecOffsets[this.at + 1] as number) - from;
      // Views made by their constructors: `subarray` costs twice as much.
      this.view = {
        terms: new Int32Array(vecTerms.buffer, vecTerms.byteOffset + from * 4, length),
        weights: new Float32Array(vecWeights.buffer, vecWeights.byteOffset + from * 4, length),
      };
    }
    return this.view;
  }

  get simhash(): string {
    this.hash ??= hex(this.data.simHi[this.at] as number) + hex(this.data.simLo[this.at] as number);
    return this.hash;
  }
}

/** The index as a list's source (`related-list.ts`), in memory. */
export function memorySource(
  data: BulkIndexData,
): CandidateSource & { doc(position: number): IndexedDoc; position(id: number): number } {
  const terms = new HashTable(0, data.terms);
  const stories = new HashTable(0, data.stories);
  const n = data.ids.length;
  const partial = new Float64Array(n);
  // Per position, whether it is left out of the candidates (SKIPPED) and whether a posting touched it (SEEN): one byte, one read.
  const flags = new Uint8Array(n);
  const touched: number[] = [];
  // Each article's day, read for every posting visited.
  const days = Int32Array.from(data.publishedMs, dayOf);
  // The article's time weight by days apart (`floor + (1 − floor) · exp(−days · perDay)`), and beyond the table (`floor`).
  const near = new Float64Array(DECAY.length);
  let far = 0;
  let today = 0;
  const visit = (k: number, w: number) => {
    const p = data.postDocs[k] as number;
    const f = flags[p] as number;
    if ((f & SKIPPED) !== 0) return;
    const apart = Math.abs((days[p] as number) - today);
    const time = apart < near.length ? (near[apart] as number) : far;
    partial[p] = (partial[p] as number) + w * (data.postWeights[k] as number) * time;
    if (f === 0) {
      flags[p] = SEEN;
      touched.push(p);
    }
  };

  const later = (k: number) => (days[data.postDocs[k] as number] as number) > today;
  // Where the last search of each term ended (direct-mapped by slot): the articles of a task are
  // in publication order, so the next search of a term starts a step or two from there.
  const searchSlot = new Int32Array(SEARCH_CACHE).fill(-1);
  const searchEnd = new Int32Array(SEARCH_CACHE);
  /** The first of a term's postings (`from` to `to`) of a day after the article's: those before are on or before it. */
  const firstLater = (slot: number, from: number, to: number) => {
    const c = slot & (SEARCH_CACHE - 1);
    let lo = from;
    let hi = to;
    if (searchSlot[c] === slot) {
      // Galloping from the last answer to a range that holds this one.
      let b = searchEnd[c] as number;
      let step = 1;
      if (b < to && !later(b)) {
        while (b + step < to && !later(b + step)) {
          b += step;
          step *= 2;
        }
        lo = b + 1;
        hi = Math.min(to, b + step);
      } else {
        while (b - step >= from && later(b - step)) {
          b -= step;
          step *= 2;
        }
        lo = Math.max(from, b - step + 1);
        hi = b;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (later(mid)) hi = mid;
      else lo = mid + 1;
    }
    searchSlot[c] = slot;
    searchEnd[c] = lo;
    return lo;
  };

  const doc = (i: number): IndexedDoc => new MemoryDoc(data, i);
  const position = (id: number) => (id < data.posOfId.length ? (data.posOfId[id] as number) - 1 : -1);

  return {
    doc,
    position,
    candidateIds(article, query, queryTerms, limit, skip) {
      today = dayOf(article.publishedMs);
      const floor = textShare(article.words);
      for (let d = 0; d < DECAY.length; d++) near[d] = floor + (1 - floor) * (DECAY[d] as number);
      far = floor;
      const half = Math.max(1, Math.floor(PER_TERM / 2));
      const weight = TermWeights.of(query);
      for (const id of skip) {
        const p = position(id);
        if (p >= 0) flags[p] = SKIPPED;
      }
      for (const term of queryTerms) {
        const slot = terms.find(term);
        if (slot < 0) continue;
        const w = weight.get(term);
        const from = data.postOffsets[slot] as number;
        const to = data.postOffsets[slot + 1] as number;
        const lo = firstLater(slot, from, to);
        const first = Math.max(from, lo - half);
        const last = Math.min(to, lo + half);
        for (let k = lo - 1; k >= first; k--) visit(k, w);
        for (let k = lo; k < last; k++) visit(k, w);
      }
      for (const id of skip) {
        const p = position(id);
        if (p >= 0) flags[p] = 0;
      }
      const best = topByScore(touched, partial, data.ids, limit);
      for (const p of touched) {
        partial[p] = 0;
        flags[p] = 0;
      }
      touched.length = 0;
      return best;
    },
    readDocs(ids) {
      const sorted = Int32Array.from(ids).sort();
      const out: IndexedDoc[] = [];
      for (let k = 0; k < sorted.length; k++) {
        const id = sorted[k] as number;
        if (k > 0 && id === sorted[k - 1]) continue;
        const p = position(id);
        if (p >= 0) out.push(doc(p));
      }
      return out;
    },
    storyMemberIds(storyId, limit) {
      const start = stories.get(storyId);
      if (start < 0) return [];
      const count = Math.min(limit, data.storyCount[start] as number);
      return Array.from(data.storyOrder.subarray(start, start + count), (p) => data.ids[p] as number);
    },
    publishedBefore(article, limit) {
      const p = position(article.id);
      const out: number[] = [];
      for (let k = p - 1; k >= Math.max(0, p - limit); k--) out.push(data.ids[k] as number);
      return out;
    },
    latest(limit) {
      const out: number[] = [];
      for (let k = n - 1; k >= Math.max(0, n - limit); k--) out.push(data.ids[k] as number);
      return out;
    },
    documents: () => data.documents,
  };
}
