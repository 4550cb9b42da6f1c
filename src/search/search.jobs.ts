/**
 * The full-text index's background work:
 *
 * - daily upkeep (`optimize-index`, 04:30 UTC): merges FTS5 segments on
 *   SQLite, refreshes planner statistics on both databases;
 * - re-indexing (`search-reindex`, every 5 minutes, and again at once while
 *   work remains): the articles migration 0028 queued, whose entries were
 *   written before the index read each article in its language, in batches
 *   of 100 (one short write transaction each) for up to two minutes a run.
 *
 * @example
 *   registerSearchJobs({ jobs, database });
 */
import { publishedTexts, toIndexDocument } from '../articles/article-text.repository.js';
import type { Database } from '../db/connect.js';
import type { Invalidator } from '../instances/invalidation.js';
import type { JobQueue } from '../jobs/jobs.js';
import { dequeueReindex, optimizeIndex, queuedForReindex, searchIndex } from './search.repository.js';

export const OPTIMIZE_INDEX_JOB = 'optimize-index';
export const REINDEX_JOB = 'search-reindex';
/** What a re-index invalidates: no page carries it, but every invalidation drops the search cache's answers. */
export const SEARCH_TAG = 'search';

const REINDEX_BATCH = 100;
/** An import's batches: its saves queue 500 at a time. */
const IMPORT_REINDEX_BATCH = 500;
const REINDEX_BUDGET_MS = 120_000;
/**
 * PostgreSQL: writers draining an import's queue once its saves are done. At a million articles one writer
 * left 80,000 entries (about 100 s) to write after the last save; the server has a core for each.
 */
const SETTLE_WRITERS = 2;

export function registerSearchJobs({
  jobs,
  database,
  invalidator,
}: {
  jobs: JobQueue;
  database: Database;
  /** Told when entries were written again: answers kept by the search cache, on every instance, are dropped. */
  invalidator: Pick<Invalidator, 'invalidate'>;
}): void {
  jobs.work(OPTIMIZE_INDEX_JOB, () => optimizeIndex(database.db, database.dialect));
  jobs.every(OPTIMIZE_INDEX_JOB, '30 4 * * *');
  jobs.work(REINDEX_JOB, async () => {
    const changed = () => invalidator.invalidate([SEARCH_TAG]);
    if (await reindexQueued(database, changed)) await jobs.send(REINDEX_JOB, {}, { singletonKey: REINDEX_JOB });
  });
  jobs.every(REINDEX_JOB, '*/5 * * * *');
}

/**
 * Indexes queued articles again, a batch per transaction (read, written and dequeued together, so a save in
 * between is never overwritten by older text), until none is left or the time budget is spent. Returns whether
 * some remain. An article no longer published is only dequeued: unpublishing removed its entry. `changed` is
 * called after each batch that wrote entries (answers found before it may be wrong now).
 */
export async function reindexQueued(
  database: Database,
  changed: () => void = () => {},
  budgetMs = REINDEX_BUDGET_MS,
  batch = REINDEX_BATCH,
): Promise<boolean> {
  const index = searchIndex(database.dialect);
  const started = performance.now();
  for (;;) {
    const done = await database.db.transaction().execute(async (trx) => {
      const ids = await queuedForReindex(trx, batch, database.dialect);
      if (ids.length === 0) return true;
      const texts = await publishedTexts(trx, ids);
      await index.add(trx, texts.map(toIndexDocument));
      await dequeueReindex(trx, ids);
      return false;
    });
    if (done) return false;
    changed();
    if (performance.now() - started > budgetMs) return true;
  }
}

/** The re-index queue drained in the background while a bulk save fills it (`import.service.ts`). */
export interface BackgroundReindex {
  /** More was queued: drain it, now or after the pass running. */
  kick(): void;
  /** Waits until the queue is empty; rejects with the error that stopped a pass (the queue keeps what is left). */
  settle(): Promise<void>;
}

/**
 * Drains the queue a bulk save on PostgreSQL fills (`searchIndex`'s `defer`)
 * on a connection of its own, while the save goes on: the server indexes on
 * one core what the save writes on the other. What is queued is durable: if
 * the process ends first, the `search-reindex` job indexes the rest.
 *
 * @example
 *   const reindex = backgroundReindex(database);
 *   for (const batch of batches) { await save(batch); reindex.kick(); }
 *   await reindex.settle();
 */
export function backgroundReindex(
  database: Database,
  batch = IMPORT_REINDEX_BATCH,
  writers = database.dialect === 'postgres' ? SETTLE_WRITERS : 1,
): BackgroundReindex {
  const running = new Set<Promise<void>>();
  let again = false;
  let failure: unknown;
  const drain = async () => {
    try {
      do {
        again = false;
        while (await reindexQueued(database, () => {}, REINDEX_BUDGET_MS, batch)) {}
      } while (again);
    } catch (error) {
      failure ??= error;
    }
  };
  const pass = () => {
    const run = drain().finally(() => running.delete(run));
    running.add(run);
  };
  const kick = () => {
    if (failure !== undefined) return;
    if (running.size > 0) again = true;
    else pass();
  };
  return {
    kick,
    async settle() {
      kick();
      // The save is done: what is left is drained by more than one writer (each takes batches the others have not
      // locked), while the bulk save's own connection is idle.
      while (failure === undefined && running.size < writers) pass();
      while (running.size > 0) await Promise.all(running);
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw error;
      }
    },
  };
}
