/**
 * One unit of a bulk pass, run by a worker thread (or in the calling thread
 * when there are none), through the incremental engine's own code:
 * features and vectors (`related-index.repository.ts`, `vector.ts`) for a
 * slice of texts, story links or related lists (`related-list.ts`) for a
 * slice of articles over the in-memory index.
 */
import { DfTable } from './related-bulk-df.js';
import { type BulkIndexData, memorySource } from './related-bulk-index.js';
import { featureCounts, type IndexInput } from './related-index.repository.js';
import { firstCandidates, type NearestMemo, relatedList, storyLinkOf } from './related-list.js';
import type { SiteFloor } from './scoring.js';
import { buildVector, packVectors, simhash } from './vector.js';

export type BulkTask =
  /** The features of each text, for document frequencies. */
  | { kind: 'count'; docs: IndexInput[] }
  /** Each article's vector, weighed with the document frequencies the worker was given. */
  | { kind: 'weigh'; docs: IndexInput[] }
  /** The same, from features counted before (a `count` task's result). */
  | { kind: 'weighCounted'; pack: CountedPack }
  /** The position of each article's story link, -1 for none. */
  | { kind: 'links'; positions: Int32Array }
  /** Each article's list above the site's floor: up to `limit` ids and scores per article (id 0 after the last). */
  | { kind: 'lists'; positions: Int32Array; limit: number; site: SiteFloor };

/**
 * count: each article's features and their counts (what its vector is weighed
 * from), a task's articles packed in a few arrays: kept by the thousand, a
 * pair of small arrays per article would be a million allocations the
 * allocator cannot give back once dropped (half a gigabyte of its heap at a
 * million articles, freed but still resident).
 */
export interface CountedPack {
  ids: Int32Array;
  publishedMs: Float64Array;
  words: Int32Array;
  simhashes: string[];
  /** Article k's features are `terms[offsets[k]]` to `terms[offsets[k + 1]]` (one more offset than articles). */
  offsets: Uint32Array;
  terms: Int32Array;
  /** Float64, as `featureCounts` sums them: the vector is then the one the incremental engine weighs. */
  counts: Float64Array;
}

export interface BulkResult {
  counted?: CountedPack;
  /** weigh: per article of the slice, in order, each vector as stored (views of one buffer per task). */
  weighed?: {
    id: number;
    publishedMs: number;
    words: number;
    simhash: string;
    vector: Uint8Array;
  }[];
  positions?: Int32Array;
  links?: Int32Array;
  ids?: Int32Array;
  scores?: Float64Array;
}

/**
 * The buffers of a result, to move rather than copy to the calling thread:
 * each is the task's own (typed arrays made for the result, one buffer for
 * all its packed vectors), never shared memory or Node's pool. A copy would
 * be allocated by the calling thread, from its heap, once per task.
 */
export function transferables(result: BulkResult): ArrayBuffer[] {
  const arrays: (ArrayBufferView | undefined)[] = [
    result.positions,
    result.links,
    result.ids,
    result.scores,
    result.weighed?.[0]?.vector,
  ];
  const c = result.counted;
  if (c) arrays.push(c.ids, c.publishedMs, c.words, c.offsets, c.terms, c.counts);
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  return [...out];
}

/** What a worker holds: the index once loaded, the document frequencies while weighing. */
export interface WorkerState {
  source?: ReturnType<typeof memorySource>;
  /** Articles' nearest on the loaded index (`related-list.ts: NearestMemo`), kept for the lists of one index. */
  nearest?: NearestMemo;
  df?: DfTable;
}

export type StateMessage = { kind: 'index'; index: BulkIndexData } | { kind: 'df'; df: ReturnType<DfTable['share']> };

export function applyState(state: WorkerState, message: StateMessage): void {
  if (message.kind === 'index') {
    state.source = memorySource(message.index);
    state.nearest = new Map();
  } else state.df = DfTable.from(message.df);
}

export async function runTask(state: WorkerState, task: BulkTask): Promise<BulkResult> {
  if (task.kind === 'count') return { counted: countedPack(task.docs) };
  if (task.kind === 'weighCounted') {
    const df = state.df;
    if (!df) throw new Error('bulk related: weighing before document frequencies were given');
    const { ids, publishedMs, words, simhashes, offsets, terms, counts: packCounts } = task.pack;
    const vectors = Array.from(ids, (_, d) => {
      const counts = new Map<number, number>();
      for (let k = offsets[d] as number; k < (offsets[d + 1] as number); k++)
        counts.set(terms[k] as number, packCounts[k] as number);
      return buildVector(counts, (t) => df.get(t), df.documents);
    });
    const packed = packVectors(vectors);
    return {
      weighed: Array.from(ids, (id, d) => ({
        id,
        publishedMs: publishedMs[d] as number,
        words: words[d] as number,
        simhash: simhashes[d] as string,
        vector: packed[d] as Uint8Array,
      })),
    };
  }
  if (task.kind === 'weigh') {
    const df = state.df;
    if (!df) throw new Error('bulk related: weighing before document frequencies were given');
    const counted = task.docs.map((doc) => featureCounts(doc.text));
    const packed = packVectors(counted.map(({ counts }) => buildVector(counts, (t) => df.get(t), df.documents)));
    return {
      weighed: task.docs.map((doc, d) => {
        const { words } = counted[d] as (typeof counted)[number];
        return {
          id: doc.id,
          publishedMs: doc.publishedAt.getTime(),
          words: words.length,
          simhash: simhash(words),
          vector: packed[d] as Uint8Array,
        };
      }),
    };
  }
  const source = state.source;
  if (!source) throw new Error('bulk related: no index loaded');
  const { positions } = task;
  if (task.kind === 'links') {
    const links = new Int32Array(positions.length).fill(-1);
    for (let i = 0; i < positions.length; i++) {
      const doc = source.doc(positions[i] as number);
      const link = await storyLinkOf(source, doc, await firstCandidates(source, doc));
      if (link) links[i] = source.position(link.id);
    }
    return { positions, links };
  }
  const ids = new Int32Array(positions.length * task.limit);
  const scores = new Float64Array(positions.length * task.limit);
  for (let i = 0; i < positions.length; i++) {
    const doc = source.doc(positions[i] as number);
    const first = await firstCandidates(source, doc);
    const ranked = await relatedList(source, doc, first, task.limit, task.site, state.nearest);
    for (const [k, r] of ranked.entries()) {
      ids[i * task.limit + k] = r.id;
      scores[i * task.limit + k] = r.score;
    }
  }
  return { positions, ids, scores };
}

function countedPack(docs: IndexInput[]): CountedPack {
  const n = docs.length;
  const pack = {
    ids: new Int32Array(n),
    publishedMs: new Float64Array(n),
    words: new Int32Array(n),
    simhashes: [] as string[],
    offsets: new Uint32Array(n + 1),
  };
  const all = docs.map((doc, k) => {
    const { counts, words } = featureCounts(doc.text);
    pack.ids[k] = doc.id;
    pack.publishedMs[k] = doc.publishedAt.getTime();
    pack.words[k] = words.length;
    pack.simhashes.push(simhash(words));
    pack.offsets[k + 1] = (pack.offsets[k] as number) + counts.size;
    return counts;
  });
  const terms = new Int32Array(pack.offsets[n] as number);
  const counts = new Float64Array(terms.length);
  all.forEach((c, k) => {
    let at = pack.offsets[k] as number;
    for (const [term, count] of c) {
      terms[at] = term;
      counts[at++] = count;
    }
  });
  return { ...pack, terms, counts };
}
