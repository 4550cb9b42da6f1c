/**
 * Planner statistics (and, for the related index, the visibility map) after
 * bulk changes. PostgreSQL plans from statistics that autovacuum refreshes
 * only some time after a large import; until then it may, say, hash-join
 * every published article to read five related ones.
 * SQLite keeps its own (`pragma optimize` at connect).
 */
import { sql } from 'kysely';
import type { Database } from './connect.js';

const CONTENT_TABLES = [
  'sections',
  'tags',
  'authors',
  'articles',
  'article_tags',
  'article_authors',
  'related_articles',
  'article_search',
  'article_search_heads',
  'search_words',
];

/** The related engine's index: read by key at every publication, so its pages should be marked visible too. */
const INDEX_TABLES = ['related_postings', 'related_docs', 'related_df'];

export async function refreshStatistics(database: Database): Promise<void> {
  if (database.dialect !== 'postgres') return;
  await sql`analyze ${sql.join(CONTENT_TABLES.map((t) => sql.table(t)))}`.execute(database.db);
  // Vacuum sets the visibility map, without which PostgreSQL cannot answer a
  // postings read from the index alone (migration 0005) and fetches every row.
  // Autovacuum does it eventually; after a bulk import "eventually" is slow pages.
  await sql`vacuum (analyze) ${sql.join(INDEX_TABLES.map((t) => sql.table(t)))}`.execute(database.db);
}
