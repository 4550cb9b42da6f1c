/**
 * Daily upkeep of the full-text index (`optimize-index`, 04:30 UTC): merges
 * FTS5 segments on SQLite, refreshes planner statistics on both databases.
 *
 * @example
 *   registerSearchJobs({ jobs, database });
 */
import type { Database } from '../db/connect.js';
import type { JobQueue } from '../jobs/jobs.js';
import { optimizeIndex } from './search.repository.js';

export const OPTIMIZE_INDEX_JOB = 'optimize-index';

export function registerSearchJobs({ jobs, database }: { jobs: JobQueue; database: Database }): void {
  jobs.work(OPTIMIZE_INDEX_JOB, () => optimizeIndex(database.db, database.dialect));
  jobs.every(OPTIMIZE_INDEX_JOB, '30 4 * * *');
}
