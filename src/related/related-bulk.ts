/**
 * Stories and related lists for many articles at once (an import, a
 * rebuild): the whole index is read into memory once
 * (`related-bulk-index.ts`), story links are computed for every article in
 * parallel on worker threads, settled one after the other in publication
 * order (a link points back in time, so an article joins the story its
 * earlier link already has: the incremental engine's stories), then every
 * list is computed on the workers while this thread writes them.
 *
 * @example
 *   await bulkStoriesAndLists(database, ids, { progress: (phase, done, total) => bar.update(done) });
 */
import { availableParallelism } from 'node:os';
import { publishedTexts, toIndexDocument } from '../articles/article-text.repository.js';
import type { Database } from '../db/connect.js';
import {
  countIndexed,
  indexedAmong,
  indexInPublicationOrder,
  insertPostings,
  type PostingRow,
  readAllDf,
  type StoredList,
  storeLists,
  storeStories,
} from './related-bulk.repository.js';
import { DfTable } from './related-bulk-df.js';
import { BulkIndexBuilder, type BulkIndexData, memorySource, withStories } from './related-bulk-index.js';
import type { BulkPool } from './related-bulk-pool.js';
import { PackSpill } from './related-bulk-spill.js';
import type { BulkResult, BulkTask, CountedPack } from './related-bulk-task.js';

type WeighedDoc = NonNullable<BulkResult['weighed']>[number];

import { addDf, dayOf, deletePostings, readDf, readDocs, storePackedVectors } from './related-index.repository.js';
import { STORED, siteFloor } from './related-list.js';
import { floorMatters, NO_FLOOR } from './scoring.js';
import { DOCUMENT_COUNT_TERM } from './vector.js';

/** Articles per task: small enough for a steady progress bar, large enough that messages cost nothing. */
const SLICE = 250;

/**
 * Counted features kept in memory between the two indexing passes, at most (beyond, in a temporary file).
 * None by default: the file is read back from the OS's cache about as fast, and packs kept here stayed in
 * the C allocator's heap once freed (256 MB of them at a million articles, still resident through the
 * lists). Tests set a budget to cover both paths.
 */
const KEEP_BYTES = 0;
/** Texts per task when indexing. */
const TEXTS = 500;

export type BulkPhase = 'index' | 'weigh' | 'load' | 'postings' | 'stories' | 'lists';
export type BulkProgress = (phase: BulkPhase, done: number, total: number) => void;

export interface BulkOptions {
  /** Stored per article (the service's limit). */
  limit?: number;
  /** Articles whose postings are to be written (those `bulkIndex` weighed): once the index is in memory, in key order. */
  post?: Set<number>;
  progress?: BulkProgress;
}

export function defaultThreads(): number {
  return Math.min(4, Math.max(1, availableParallelism()));
}

/**
 * Clusters the given articles (those not in a story yet) and computes and
 * stores their lists, against every indexed article. `ids` undefined: all.
 * Returns how many lists were stored.
 */
export async function bulkStoriesAndLists(
  database: Database,
  pool: BulkPool,
  ids: number[] | undefined,
  options: BulkOptions = {},
): Promise<number> {
  const { db } = database;
  const progress = options.progress ?? (() => {});
  const limit = options.limit ?? STORED;
  const total = await countIndexed(db);
  const builder = new BulkIndexBuilder(total);
  let loaded = 0;
  for await (const page of indexInPublicationOrder(db, database.dialect)) {
    for (const doc of page) builder.add(doc);
    loaded += page.length;
    progress('load', loaded, total);
  }
  const documents = (await readDf(db, [DOCUMENT_COUNT_TERM])).get(DOCUMENT_COUNT_TERM) ?? 0;
  // (the index is read after any bulk indexing, so its count is final)
  let index = builder.finish(documents);
  const n = index.ids.length;
  if (options.post && options.post.size > 0) {
    progress('postings', 0, options.post.size);
    await insertPostings(db, postingsInKeyOrder(index, options.post), database.dialect);
    progress('postings', options.post.size, options.post.size);
  }

  // Targets as positions, in publication order.
  let targets: Int32Array;
  if (ids === undefined) targets = Int32Array.from({ length: n }, (_, i) => i);
  else {
    const wanted = new Set<number>();
    for (const id of ids) {
      const p = id < index.posOfId.length ? (index.posOfId[id] as number) - 1 : -1;
      if (p >= 0) wanted.add(p);
    }
    targets = Int32Array.from([...wanted].sort((a, b) => a - b));
  }

  pool.broadcast({ kind: 'index', index });
  // 1. Story links of the articles not in a story yet, in parallel.
  const unclustered = targets.filter((p) => index.story[p] === 0);
  const links = new Int32Array(n).fill(-1);
  let done = 0;
  await pool.run(
    slices(unclustered, (positions) => ({ kind: 'links', positions })),
    (r) => {
      const positions = r.positions ?? new Int32Array();
      for (let i = 0; i < positions.length; i++) links[positions[i] as number] = r.links?.[i] ?? -1;
      done += positions.length;
      progress('stories', done, unclustered.length);
    },
  );

  // 2. Settled in publication order: an article joins its link's story (or starts one).
  const story = Int32Array.from(index.story);
  const changed = new Set<number>();
  for (const p of unclustered) {
    const l = links[p] as number;
    let s = index.ids[p] as number;
    if (l >= 0) {
      if (story[l] === 0) {
        story[l] = index.ids[l] as number;
        changed.add(l);
      }
      s = story[l] as number;
    }
    story[p] = s;
    changed.add(p);
  }
  await storeStories(
    db,
    [...changed].map((p) => [index.ids[p] as number, story[p] as number]),
  );
  index = withStories(index, story);
  pool.broadcast({ kind: 'index', index });

  // 3. Lists, in parallel, written as they come, above the floor of the site as indexed now.
  // (read from the index only when it matters: a large archive's main thread builds no source)
  const site = floorMatters(index.documents) ? await siteFloor(memorySource(index)) : NO_FLOOR;
  done = 0;
  await pool.run(
    slices(targets, (positions) => ({ kind: 'lists', positions, limit, site })),
    async (r) => {
      const positions = r.positions ?? new Int32Array();
      const lists: StoredList[] = [];
      for (let i = 0; i < positions.length; i++) {
        const items: StoredList['items'] = [];
        for (let k = 0; k < limit; k++) {
          const id = r.ids?.[i * limit + k] ?? 0;
          if (id === 0) break;
          items.push({ id, score: r.scores?.[i * limit + k] ?? 0 });
        }
        lists.push({ articleId: index.ids[positions[i] as number] as number, items });
      }
      await storeLists(db, lists, database.dialect);
      done += positions.length;
      progress('lists', done, targets.length);
    },
  );
  return targets.length;
}

/**
 * Indexes (or re-indexes) the given published articles at once: their
 * features are counted on the workers into the document frequencies (an
 * article already indexed is not counted twice), then every vector is
 * weighed with the final frequencies and written with its postings.
 */
export async function bulkIndex(
  database: Database,
  pool: BulkPool,
  ids: number[],
  progress: BulkProgress = () => {},
  keepBytes = KEEP_BYTES,
) {
  const { db } = database;
  const df = new DfTable();
  for await (const page of readAllDf(db)) {
    for (const [term, n] of page) {
      if (term === DOCUMENT_COUNT_TERM) df.documents = n;
      else df.add(term, n);
    }
  }
  const deltas = new DfTable();

  let done = 0;
  const unindexed = async (slice: number[]) => {
    const known = await indexedAmong(db, slice);
    done += known.size;
    return slice.filter((id) => !known.has(id));
  };
  // What was counted is kept for weighing: in memory within the budget, beyond it in a temporary file (a second
  // read and extraction of every text saved either way).
  const kept: CountedPack[] = [];
  let keptBytes = 0;
  let spill: PackSpill | undefined;
  try {
    let added = 0;
    await pool.run(textTasks(db, ids, unindexed, 'count'), async (r) => {
      const pack = r.counted;
      if (!pack) return;
      for (const term of pack.terms) {
        df.add(term, 1);
        deltas.add(term, 1);
      }
      keptBytes += pack.terms.length * 12 + pack.ids.length * 100;
      if (keptBytes <= keepBytes) kept.push(pack);
      else {
        spill ??= await PackSpill.open();
        await spill.write(pack);
      }
      added += pack.ids.length;
      done += pack.ids.length;
      progress('index', done, ids.length);
    });
    df.documents += added;
    // In key order, as the postings: the table's pages fill one after the other.
    for (const part of deltas.sorted(10_000)) await addDf(db, new Map(part));
    if (added > 0) await addDf(db, new Map([[DOCUMENT_COUNT_TERM, added]]));
    return await weighAll(database, pool, ids, df, kept, spill, progress);
  } finally {
    await spill?.close();
  }
}

/** Every counted article weighed on the workers with the final frequencies, then the rest read again. */
async function weighAll(
  database: Database,
  pool: BulkPool,
  ids: number[],
  df: DfTable,
  kept: CountedPack[],
  spill: PackSpill | undefined,
  progress: BulkProgress,
): Promise<Set<number>> {
  const { db } = database;
  let done = 0;
  const store = async (vectors: WeighedDoc[]) => {
    const previous = await readDocs(
      db,
      vectors.map((v) => v.id),
    );
    await db.transaction().execute(async (trx) => {
      await deletePostings(trx, previous);
      await storePackedVectors(
        trx,
        vectors.map((v) => ({
          article_id: v.id,
          published_ms: v.publishedMs,
          words: v.words,
          vector: v.vector,
          simhash: v.simhash,
        })),
      );
    });
    done += vectors.length;
    progress('weigh', done, ids.length);
  };
  const weighed = new Set<number>();
  pool.broadcast({ kind: 'df', df: df.share() });
  // Kept packs first (each dropped once sent: its memory goes back as the next is read), then those in the file.
  await pool.run(
    async () => {
      const pack = kept.shift() ?? (await spill?.read());
      return pack && { kind: 'weighCounted', pack };
    },
    (r) => {
      for (const v of r.weighed ?? []) weighed.add(v.id);
      return store(r.weighed ?? []);
    },
  );
  // The rest (indexed before): read and extracted again, on the workers.
  const rest = ids.filter((id) => !weighed.has(id));
  if (rest.length > 0) {
    await pool.run(
      textTasks(db, rest, async (slice) => slice, 'weigh'),
      (r) => {
        for (const v of r.weighed ?? []) weighed.add(v.id);
        return store(r.weighed ?? []);
      },
    );
  }
  return weighed;
}

/** Tasks of `kind` over the published texts of `ids`, `TEXTS` at a time, those `wanted` of each slice. */
function textTasks(
  db: Database['db'],
  ids: number[],
  wanted: (slice: number[]) => Promise<number[]>,
  kind: 'count' | 'weigh',
): () => Promise<BulkTask | undefined> {
  let i = 0;
  return async () => {
    while (i < ids.length) {
      const slice = ids.slice(i, i + TEXTS);
      i += TEXTS;
      const docs = (await publishedTexts(db, await wanted(slice))).map(toIndexDocument);
      if (docs.length > 0) return { kind, docs };
    }
    return undefined;
  };
}

/** The in-memory postings of these articles, as rows in the table's key order (term, day, article). */
function* postingsInKeyOrder(index: BulkIndexData, articles: Set<number>): Generator<PostingRow> {
  const { keys } = index.terms;
  const slots: number[] = [];
  for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) slots.push(s);
  slots.sort((a, b) => (keys[a] as number) - (keys[b] as number));
  for (const s of slots) {
    const term = keys[s] as number;
    const to = index.postOffsets[s + 1] as number;
    // Within a term, the memory index orders postings by (day, article id), as the table does.
    for (let k = index.postOffsets[s] as number; k < to; k++) {
      const p = index.postDocs[k] as number;
      const id = index.ids[p] as number;
      if (articles.has(id))
        yield {
          term,
          day: dayOf(index.publishedMs[p] as number),
          article_id: id,
          weight: index.postWeights[k] as number,
        };
    }
  }
}

function slices(positions: Int32Array, task: (positions: Int32Array) => BulkTask): BulkTask[] {
  const out: BulkTask[] = [];
  for (let i = 0; i < positions.length; i += SLICE) out.push(task(positions.slice(i, i + SLICE)));
  return out;
}
