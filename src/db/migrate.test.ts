import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { readRelatedSummaries } from '../related/related.repository.js';
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
      '0032_related_lists_unchecked',
    ]);
    expect(await migrate(t.database)).toEqual([]);
  });

  it('0032 keeps every stored list row, and a list may then name an article that is not there', async () => {
    t = await createTestDb(target);
    await migrate(t.database, { to: '0031_search_heads_words' });
    const { db } = t.database;
    const now = new Date('2026-12-01T10:00:00Z');
    const at = target.dialect === 'postgres' ? now : now.toISOString();
    await sql`insert into sections (id, slug, name) values (1, 'world', 'World')`.execute(db);
    for (const id of [1, 2, 3])
      await sql`insert into articles (id, slug, headline, standfirst, body, section_id, status, published_at, updated_at, created_at)
        values (${id}, ${`a-${id}`}, ${`Headline ${id}`}, '', '[]', 1, 'published', ${at}, ${at}, ${at})`.execute(db);
    const rows = [
      { article_id: 1, rank: 0, related_id: 3, score: 0.5 },
      { article_id: 1, rank: 1, related_id: 2, score: 0.25 },
    ];
    await db.insertInto('related_articles').values(rows).execute();
    // Before: a row naming an article that does not exist is refused.
    await expect(
      db.insertInto('related_articles').values({ article_id: 2, rank: 0, related_id: 99, score: 0.1 }).execute(),
    ).rejects.toThrow(/foreign key/i);

    expect(await migrate(t.database)).toEqual(['0032_related_lists_unchecked']);
    const kept = await db.selectFrom('related_articles').selectAll().orderBy('article_id').orderBy('rank').execute();
    expect(kept.map((r) => ({ ...r, score: Number(r.score) }))).toEqual(rows);
    await db.insertInto('related_articles').values({ article_id: 1, rank: 2, related_id: 99, score: 0.1 }).execute();
    // Read as the page reads it: the row naming no article is not shown, the others are, in rank order.
    const shown = await readRelatedSummaries(db, 1);
    expect(shown.map((a) => a.id)).toEqual([3, 2]);
    // The index that finds the lists naming an article (to take an unpublished one out) is still there.
    const indexes =
      target.dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'related_articles' and schemaname = current_schema()`.execute(
              db,
            )
          ).rows
        : (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'related_articles'`.execute(db)
          ).rows;
    expect(indexes.map((r) => r.name)).toContain('related_articles_related');
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
