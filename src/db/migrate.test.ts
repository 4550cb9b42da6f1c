import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { MigrationError, migrate } from './migrate.js';

describeTargets('migrations on $dialect', (target) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('applies every migration once and reports nothing to do the second time', async () => {
    t = await createTestDb(target);
    expect(await migrate(t.database)).toEqual([
      '0001_initial',
      '0002_jobs',
      '0003_related_engine',
      '0004_weather',
      '0005_related_postings_covering',
      '0006_article_versions',
      '0010_accounts',
      '0011_images',
      '0012_workflow',
      '0013_newsroom_list',
      '0014_settings',
      '0015_author_photos',
      '0016_desk_bylines',
      '0017_webhooks',
      '0019_search_keys',
      '0020_reader_furniture',
      '0021_related_publication_order',
      '0022_desk_headline_words',
      '0024_sources',
      '0025_old_permalinks',
      '0026_live',
      '0028_search_languages',
      '0029_cache_invalidations',
      '0030_breaking',
      '0031_search_heads_words',
    ]);
    expect(await migrate(t.database)).toEqual([]);
  });

  it('leaves the schema as it was when a migration fails', async () => {
    t = await createTestDb(target);
    // A table in the way makes 0001 fail part-way through, after it created `sections` and `authors`.
    await sql`create table tags (x integer)`.execute(t.database.db);
    await expect(migrate(t.database)).rejects.toBeInstanceOf(MigrationError);
    // Only this test's schema: a shared PostgreSQL database may hold other schemas' tables.
    const schema =
      target.dialect === 'postgres'
        ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.database.db)).rows[0]?.s
        : undefined;
    const tables = (await t.database.db.introspection.getTables()).filter((x) => x.schema === schema);
    expect(tables.map((x) => x.name).filter((n) => !n.startsWith('kysely_'))).toEqual(['tags']);
  });
});
