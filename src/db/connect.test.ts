import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, dialectOf, sqlitePath } from './connect.js';
import { migrate } from './migrate.js';

describe('connect', () => {
  it('tells dialects and SQLite paths apart from the URL', () => {
    expect(dialectOf('postgres://u@h/db')).toBe('postgres');
    expect(dialectOf('postgresql://u@h/db')).toBe('postgres');
    expect(dialectOf('sqlite:./x.db')).toBe('sqlite');
    expect(sqlitePath(':memory:')).toBe(':memory:');
    expect(sqlitePath('sqlite:/tmp/a.db')).toBe('/tmp/a.db');
    expect(sqlitePath('file:///tmp/b.db')).toBe('/tmp/b.db');
  });

  it('lets the SQLite reader see committed writes, refuse writes, and closes both connections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-connect-'));
    try {
      const database = await connect(`sqlite:${join(dir, 'x.db')}`);
      await migrate(database);
      await database.db.insertInto('sections').values({ slug: 'world', name: 'World', position: 0 }).execute();
      expect(await database.reader.selectFrom('sections').select('slug').execute()).toEqual([{ slug: 'world' }]);
      await expect(
        database.reader.insertInto('sections').values({ slug: 'x', name: 'X', position: 1 }).execute(),
      ).rejects.toThrow(/readonly|read-only|query_only/i);
      await database.close();
      // Both connections are closed: the files can go (and reopening works).
      const again = await connect(`sqlite:${join(dir, 'x.db')}`);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
