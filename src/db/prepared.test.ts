import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { migrate } from './migrate.js';
import { prepared } from './prepared.js';

describeTargets('prepared queries on $dialect', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
    await t.database.db
      .insertInto('sections')
      .values([
        { slug: 'world', name: 'World', position: 0 },
        { slug: 'sport', name: 'Sport', position: 1 },
        { slug: 'arts', name: 'Arts', position: 2 },
      ])
      .execute();
  });
  afterAll(() => t.cleanup());

  const byPosition = prepared((db, min: number, limit: number) =>
    db.selectFrom('sections').select(['slug']).where('position', '>=', min).orderBy('position').limit(limit),
  );

  it('runs with new values each time, constants kept', async () => {
    expect(await byPosition(t.database.db, 0, 2)).toEqual([{ slug: 'world' }, { slug: 'sport' }]);
    expect(await byPosition(t.database.db, 1, 5)).toEqual([{ slug: 'sport' }, { slug: 'arts' }]);
    const bySlug = prepared((db, slug: string) =>
      db.selectFrom('sections').select('name').where('slug', '=', slug).where('position', '<', 99),
    );
    expect(await bySlug(t.database.db, 'arts')).toEqual([{ name: 'Arts' }]);
    expect(await bySlug(t.database.reader, 'world')).toEqual([{ name: 'World' }]);
  });

  it('refuses a builder that does not use an argument as a value', async () => {
    const bad = prepared((db, _unused: string) => db.selectFrom('sections').select('slug'));
    await expect(bad(t.database.db, 'x')).rejects.toThrow(/not used as a value/);
  });
});
