/**
 * Runs the schema migrations, each in a transaction: a failed migration
 * leaves the schema as it was and throws.
 */
import { type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import type { Database } from './connect.js';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_jobs.js';
import * as m0003 from './migrations/0003_related_engine.js';
import * as m0004 from './migrations/0004_weather.js';
import * as m0005 from './migrations/0005_related_postings_covering.js';
import * as m0006 from './migrations/0006_article_versions.js';
import * as m0010 from './migrations/0010_accounts.js';
import * as m0011 from './migrations/0011_images.js';
import * as m0012 from './migrations/0012_workflow.js';
import * as m0013 from './migrations/0013_newsroom_list.js';
import * as m0014 from './migrations/0014_settings.js';
import * as m0015 from './migrations/0015_author_photos.js';
import * as m0016 from './migrations/0016_desk_bylines.js';
import * as m0017 from './migrations/0017_webhooks.js';
import * as m0019 from './migrations/0019_search_keys.js';
import * as m0020 from './migrations/0020_reader_furniture.js';
import * as m0021 from './migrations/0021_related_publication_order.js';
import * as m0022 from './migrations/0022_desk_headline_words.js';
import * as m0024 from './migrations/0024_sources.js';
import * as m0025 from './migrations/0025_old_permalinks.js';
import * as m0026 from './migrations/0026_live.js';
import * as m0028 from './migrations/0028_search_languages.js';
import * as m0029 from './migrations/0029_cache_invalidations.js';
import * as m0030 from './migrations/0030_breaking.js';
import * as m0031 from './migrations/0031_search_heads_words.js';
import * as m0032 from './migrations/0032_related_lists_unchecked.js';

function migrations(database: Database): Record<string, Migration> {
  return {
    '0001_initial': { up: m0001.up(database.dialect) },
    '0002_jobs': { up: m0002.up(database.dialect) },
    '0003_related_engine': { up: m0003.up(database.dialect) },
    '0004_weather': { up: m0004.up(database.dialect) },
    '0005_related_postings_covering': { up: m0005.up(database.dialect) },
    '0006_article_versions': { up: m0006.up(database.dialect) },
    '0010_accounts': { up: m0010.up(database.dialect) },
    '0011_images': { up: m0011.up(database.dialect) },
    '0012_workflow': { up: m0012.up(database.dialect) },
    '0013_newsroom_list': { up: m0013.up(database.dialect) },
    '0014_settings': { up: m0014.up(database.dialect) },
    '0015_author_photos': { up: m0015.up(database.dialect) },
    '0016_desk_bylines': { up: m0016.up(database.dialect) },
    '0017_webhooks': { up: m0017.up(database.dialect) },
    '0019_search_keys': { up: m0019.up(database.dialect) },
    '0020_reader_furniture': { up: m0020.up(database.dialect) },
    '0021_related_publication_order': { up: m0021.up(database.dialect) },
    '0022_desk_headline_words': { up: m0022.up(database.dialect) },
    '0024_sources': { up: m0024.up(database.dialect) },
    '0025_old_permalinks': { up: m0025.up(database.dialect) },
    '0026_live': { up: m0026.up(database.dialect) },
    '0028_search_languages': { up: m0028.up(database.dialect) },
    '0029_cache_invalidations': { up: m0029.up(database.dialect) },
    '0030_breaking': { up: m0030.up(database.dialect) },
    '0031_search_heads_words': { up: m0031.up(database.dialect) },
    '0032_related_lists_unchecked': { up: m0032.up(database.dialect) },
  };
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migration: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Applies pending migrations; returns the names applied (empty when up to
 * date). On PostgreSQL, Kysely first lists the tables of every schema in the
 * database; a schema or table dropped meanwhile by someone else (another
 * site, a test) fails that listing — before any migration ran, so none is
 * named — not our migration: it is tried again, a few times.
 */
export async function migrate(database: Database, options: { to?: string } = {}): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(database, options.to);
    } catch (err) {
      const { migration, cause } = err as MigrationError;
      const listing =
        migration === undefined && LISTING_RACES.has((cause as { code?: string } | undefined)?.code ?? '');
      if (attempt >= 5 || database.dialect !== 'postgres' || !listing) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** What Kysely's listing of every schema's tables meets when one is dropped under it: no schema, column or table. */
const LISTING_RACES = new Set(['3F000', '42703', '42P01']);

/** `to`: up to that migration only (a test of what a later one does to existing rows); all when undefined. */
async function migrateOnce(database: Database, to: string | undefined): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations(database) },
    // On PostgreSQL, Kysely looks for its bookkeeping tables in every schema unless told which one: name ours,
    // so that sites (or tests) sharing a database in separate schemas do not see each other's.
    ...(database.dialect === 'postgres' ? { migrationTableSchema: await currentSchema(database) } : {}),
  });
  const { error, results } = await (to === undefined ? migrator.migrateToLatest() : migrator.migrateTo(to));
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(database: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  const schema = rows[0]?.schema;
  if (!schema) throw new MigrationError(undefined, new Error('no current schema: check the search_path'));
  return schema;
}
