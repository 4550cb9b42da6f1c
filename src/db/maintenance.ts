/**
 * Planner statistics after bulk changes. PostgreSQL plans from statistics
 * that autovacuum refreshes only some time after a large import; until then
 * it may, say, hash-join every published article to read five related ones.
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
];

export async function refreshStatistics(database: Database): Promise<void> {
  if (database.dialect !== 'postgres') return;
  await sql`analyze ${sql.join(CONTENT_TABLES.map((t) => sql.table(t)))}`.execute(database.db);
}
