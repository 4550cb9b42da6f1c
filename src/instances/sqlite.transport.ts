/**
 * Invalidation messages between the processes of one SQLite site: `dateline
 * serve` and `dateline worker` beside it, or a `dateline import`. SQLite has
 * no NOTIFY, so each message is a row of `cache_invalidations`, and every
 * process reads the rows after the last it saw, every `pollMs` (a query on the
 * reader connection that WAL never makes wait). Rows are kept `keepMs`; a
 * process that finds rows gone before it read them (it did not look for that
 * long) may have missed some, and is told as a reconnecting transport is:
 * it drops everything.
 *
 * @example
 *   const transport = sqliteTransport(database);
 *   const invalidator = createInvalidator({ transport, log });
 */
import type { Database } from '../db/connect.js';
import type { Transport } from './invalidation.js';
import {
  appendInvalidation,
  invalidationsAfter,
  lastInvalidationId,
  pruneInvalidations,
} from './invalidation-log.repository.js';

export interface SqliteTransportOptions {
  /** How often the log is read (default 200 ms: a page is stale on another process at most this long). */
  pollMs?: number;
  /** How long rows are kept (default 5 minutes). */
  keepMs?: number;
}

/** Rows read at once; a full batch is followed by another read at once. */
const BATCH = 500;
const PRUNE_EVERY_MS = 60_000;

export function sqliteTransport(database: Database, options: SqliteTransportOptions = {}): Transport {
  const pollMs = options.pollMs ?? 200;
  const keepMs = options.keepMs ?? 5 * 60_000;
  let cursor = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let readable = true;
  let prunedAt = 0;

  return {
    name: 'sqlite',
    async publish(message) {
      const now = new Date();
      await appendInvalidation(database.db, message, now);
      if (now.getTime() - prunedAt < PRUNE_EVERY_MS) return;
      prunedAt = now.getTime();
      await pruneInvalidations(database.db, new Date(now.getTime() - keepMs));
    },
    async start(onMessage, onMissed) {
      cursor = await lastInvalidationId(database.reader);
      const poll = async () => {
        try {
          for (;;) {
            const rows = await invalidationsAfter(database.reader, cursor, BATCH);
            if (closed) return;
            if (rows.length && rows[0]!.id !== cursor + 1) onMissed(); // rows this process never read were pruned
            for (const row of rows) {
              cursor = row.id;
              onMessage(row.message);
            }
            readable = true;
            if (rows.length < BATCH) break;
          }
        } catch {
          readable = false; // the database is unreachable; /readyz says so until a read succeeds again
        }
        if (!closed) timer = setTimeout(poll, pollMs).unref();
      };
      timer = setTimeout(poll, pollMs).unref();
    },
    ready: async () => readable,
    async close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
