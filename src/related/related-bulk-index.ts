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
import { POSTED_TERMS, type SparseVector, VECTOR_TERMS } from './vector.js';

const DAY_MS = 86_400_000;

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
  vector: SparseVector;
  simhash: string;
  storyId: number | null;
}

/** Fills the index from documents given in publication order (published time, then id). */
export class BulkIndexBuilder {
  private n = 0;
  private total = 0;
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
    const len = Math.min(doc.vector.terms.length, VECTOR_TERMS);
    d.vecTerms.set(doc.vector.terms.subarray(0, len), this.total);
    d.vecWeights.set(doc.vector.weights.subarray(0, len), this.total);
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
export function topByScore(positions: number[], score: Float64Array, ids: Int32Array, limit: number): number[] {
  // Min-heap on (score, id): its root is the worst kept.
  const heap: number[] = [];
  const worse = (a: number, b: number) => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa < sb || (sa === sb && (ids[a] as number) < (ids[b] as number));
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && worse(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (const p of positions) {
    if (heap.length < limit) {
      heap.push(p);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] as number, heap[parent] as number)) break;
        [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
        i = parent;
      }
    } else if (limit > 0 && worse(heap[0] as number, p)) {
      heap[0] = p;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0)).map((p) => ids[p] as number);
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/** The index as a list's source (`related-list.ts`), in memory. */
export function memorySource(
  data: BulkIndexData,
): CandidateSource & { doc(position: number): IndexedDoc; position(id: number): number } {
  const terms = new HashTable(0, data.terms);
  const stories = new HashTable(0, data.stories);
  const n = data.ids.length;
  const partial = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touched: number[] = [];
  const perDay = DAY_MS / RANKING.timeScaleMs;

  const doc = (i: number): IndexedDoc => {
    const from = data.vecOffsets[i] as number;
    const to = data.vecOffsets[i + 1] as number;
    const story = data.story[i] as number;
    return {
      id: data.ids[i] as number,
      publishedMs: data.publishedMs[i] as number,
      words: data.words[i] as number,
      vector: { terms: data.vecTerms.subarray(from, to), weights: data.vecWeights.subarray(from, to) },
      // Only near-duplicate checks read it, for a few candidates of each list: made when read.
      get simhash() {
        return hex(data.simHi[i] as number) + hex(data.simLo[i] as number);
      },
      storyId: story === 0 ? null : story,
    };
  };
  const position = (id: number) => (id < data.posOfId.length ? (data.posOfId[id] as number) - 1 : -1);

  return {
    doc,
    position,
    candidateIds(article, query, queryTerms, limit, skip) {
      const day = dayOf(article.publishedMs);
      const floor = textShare(article.words);
      const half = Math.max(1, Math.floor(PER_TERM / 2));
      const weight = new Map<number, number>();
      for (let i = 0; i < query.terms.length; i++) weight.set(query.terms[i] as number, query.weights[i] as number);
      const visit = (k: number, w: number) => {
        const p = data.postDocs[k] as number;
        if (skip.has(data.ids[p] as number)) return;
        const pday = dayOf(data.publishedMs[p] as number);
        const add =
          w * (data.postWeights[k] as number) * (floor + (1 - floor) * Math.exp(-Math.abs(pday - day) * perDay));
        if (seen[p] === 0) {
          seen[p] = 1;
          touched.push(p);
        }
        partial[p] = (partial[p] as number) + add;
      };
      for (const term of queryTerms) {
        const slot = terms.find(term);
        if (slot < 0) continue;
        const w = weight.get(term) ?? 0;
        const from = data.postOffsets[slot] as number;
        const to = data.postOffsets[slot + 1] as number;
        // The first posting of a later day: postings before it are on or before the article's day.
        let lo = from;
        let hi = to;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (dayOf(data.publishedMs[data.postDocs[mid] as number] as number) <= day) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo - 1; k >= Math.max(from, lo - half); k--) visit(k, w);
        for (let k = lo; k < Math.min(to, lo + half); k++) visit(k, w);
      }
      const best = topByScore(touched, partial, data.ids, limit);
      for (const p of touched) {
        partial[p] = 0;
        seen[p] = 0;
      }
      touched.length = 0;
      return best;
    },
    readDocs(ids) {
      return [...new Set(ids)]
        .map(position)
        .filter((p) => p >= 0)
        .sort((a, b) => (data.ids[a] as number) - (data.ids[b] as number))
        .map(doc);
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
