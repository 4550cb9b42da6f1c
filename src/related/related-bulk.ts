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
import type { Database } from '../db/connect.js';
import {
  countIndexed,
  indexInPublicationOrder,
  type StoredList,
  storeLists,
  storeStories,
} from './related-bulk.repository.js';
import { BulkIndexBuilder, withStories } from './related-bulk-index.js';
import { createPool } from './related-bulk-pool.js';
import type { BulkTask } from './related-bulk-task.js';
import { readDf } from './related-index.repository.js';
import { STORED } from './related-list.js';
import { DOCUMENT_COUNT_TERM } from './vector.js';

/** Articles per task: small enough for a steady progress bar, large enough that messages cost nothing. */
const SLICE = 250;

export type BulkPhase = 'load' | 'stories' | 'lists';

export interface BulkOptions {
  /** Worker threads (default: one per core, at most 4); 0 runs everything in this thread. */
  threads?: number;
  /** Stored per article (the service's limit). */
  limit?: number;
  progress?: (phase: BulkPhase, done: number, total: number) => void;
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
  ids: number[] | undefined,
  options: BulkOptions = {},
): Promise<number> {
  const { db } = database;
  const progress = options.progress ?? (() => {});
  const limit = options.limit ?? STORED;
  const total = await countIndexed(db);
  const builder = new BulkIndexBuilder(total);
  let loaded = 0;
  for await (const page of indexInPublicationOrder(db)) {
    for (const doc of page) builder.add(doc);
    loaded += page.length;
    progress('load', loaded, total);
  }
  const documents = (await readDf(db, [DOCUMENT_COUNT_TERM])).get(DOCUMENT_COUNT_TERM) ?? 0;
  let index = builder.finish(documents);
  const n = index.ids.length;

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

  const pool = createPool(index, options.threads ?? defaultThreads());
  try {
    // 1. Story links of the articles not in a story yet, in parallel.
    const unclustered = targets.filter((p) => index.story[p] === 0);
    const links = new Int32Array(n).fill(-1);
    let done = 0;
    await pool.run(
      slices(unclustered, (positions) => ({ kind: 'links', positions })),
      (r) => {
        for (let i = 0; i < r.positions.length; i++) links[r.positions[i] as number] = r.links?.[i] ?? -1;
        done += r.positions.length;
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
    pool.setIndex(index);

    // 3. Lists, in parallel, written as they come.
    done = 0;
    await pool.run(
      slices(targets, (positions) => ({ kind: 'lists', positions, limit })),
      async (r) => {
        const lists: StoredList[] = [];
        for (let i = 0; i < r.positions.length; i++) {
          const items: StoredList['items'] = [];
          for (let k = 0; k < limit; k++) {
            const id = r.ids?.[i * limit + k] ?? 0;
            if (id === 0) break;
            items.push({ id, score: r.scores?.[i * limit + k] ?? 0 });
          }
          lists.push({ articleId: index.ids[r.positions[i] as number] as number, items });
        }
        await storeLists(db, lists);
        done += r.positions.length;
        progress('lists', done, targets.length);
      },
    );
    return targets.length;
  } finally {
    await pool.close();
  }
}

function slices(positions: Int32Array, task: (positions: Int32Array) => BulkTask): BulkTask[] {
  const out: BulkTask[] = [];
  for (let i = 0; i < positions.length; i += SLICE) out.push(task(positions.slice(i, i + SLICE)));
  return out;
}
