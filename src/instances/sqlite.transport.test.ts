import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb, until } from '../../test/helpers.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { createInvalidator } from './invalidation.js';
import { sqliteTransport } from './sqlite.transport.js';

const log = { warn: () => {}, error: () => {} };

describe('invalidation between processes of one SQLite file', () => {
  let t: TestDb;
  let other: Database;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    t = await createTestDb();
    await migrate(t.database);
    other = await connect(t.url); // another process's connections to the same file
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await other.close();
    await t.cleanup();
  });

  function member(database: Database, options: { keepMs?: number } = {}) {
    const invalidator = createInvalidator({ transport: sqliteTransport(database, { pollMs: 10, ...options }), log });
    const seen: string[][] = [];
    invalidator.subscribe((tags) => seen.push(tags));
    closers.push(() => invalidator.close());
    return { invalidator, seen };
  }

  it('delivers each invalidation to the other process once, in order, and not back to its sender', async () => {
    const worker = member(t.database);
    const web = member(other);
    await worker.invalidator.start();
    await web.invalidator.start();
    worker.invalidator.invalidate(['article:1', 'latest']);
    worker.invalidator.invalidate(['section:2']);
    await until(() => web.seen.length === 2);
    web.invalidator.invalidate(['tag:3']);
    await until(() => worker.seen.length === 3);
    expect(web.seen).toEqual([['article:1', 'latest'], ['section:2'], ['tag:3']]);
    expect(worker.seen).toEqual([['article:1', 'latest'], ['section:2'], ['tag:3']]);
  });

  it('starts after what was logged before it', async () => {
    const early = member(t.database);
    await early.invalidator.start();
    early.invalidator.invalidate(['article:1']);
    early.invalidator.invalidate(['article:2']);
    // Publishing is not awaited by `invalidate`: both rows are in before the late process starts.
    await until(
      async () => (await t.database.db.selectFrom('cache_invalidations').select('id').execute()).length === 2,
    );
    const late = member(other);
    await late.invalidator.start();
    early.invalidator.invalidate(['article:3']);
    await until(() => late.seen.length === 1);
    expect(late.seen).toEqual([['article:3']]);
  });

  it('prunes old rows, and a reader that missed pruned rows is told to drop everything, then reads on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const rows = () => t.database.db.selectFrom('cache_invalidations').select('message').execute();
      const writer = sqliteTransport(t.database, { pollMs: 100, keepMs: 60_000 });
      const reader = sqliteTransport(other, { pollMs: 100 });
      const got: string[] = [];
      await reader.start(
        (m) => got.push(m),
        () => got.push('missed'),
      );
      await writer.publish('one');
      await vi.advanceTimersByTimeAsync(100);
      expect(got).toEqual(['one']);
      await writer.publish('two');
      // Two minutes pass while the reader does not look (its process stalled): its next look is still ahead.
      vi.setSystemTime(Date.now() + 120_000);
      await writer.publish('three'); // a minute since the last pruning: rows older than 60 s go
      expect((await rows()).map((r) => r.message)).toEqual(['three']);
      await vi.advanceTimersByTimeAsync(100);
      expect(got).toEqual(['one', 'missed', 'three']);
      await reader.close();
      await writer.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
