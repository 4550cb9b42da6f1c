/**
 * The few reads of pg-boss's own tables that its API does not offer: the
 * pending-job check behind singleton keys, and the list of failed jobs (in
 * `job`, or moved to `archive` after a while). pg-boss writes these tables;
 * we only read them. `schema` is a validated identifier (see config).
 */
import type pg from 'pg';
import type { FailedJob } from './jobs.js';

interface Sql {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

function assertIdentifier(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return schema;
}

/**
 * Within a transaction: takes a lock on (name, key) until commit, then says
 * whether a job with that name and key is created, waiting to retry, or active.
 */
export async function lockAndFindPending(client: Sql, schema: string, name: string, key: string): Promise<boolean> {
  const s = assertIdentifier(schema);
  await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify([s, name, key])]);
  const { rowCount } = await client.query(
    `select 1 from ${s}.job where name = $1 and singleton_key = $2 and state < 'completed' limit 1`,
    [name, key],
  );
  return (rowCount ?? 0) > 0;
}

interface FailedRow {
  id: string;
  name: string;
  data: unknown;
  output: { message?: string; value?: { message?: string } } | null;
  completed_on: Date;
  retry_count: number;
}

/** Failed jobs, newest first; none when pg-boss has not created its schema yet. */
export async function listFailedJobs(sql: Sql, schema: string, limit: number): Promise<FailedJob[]> {
  const s = assertIdentifier(schema);
  const columns = 'id::text, name, data, output, completed_on, retry_count';
  try {
    const { rows } = await sql.query<FailedRow>(
      `select * from (
         select ${columns} from ${s}.job where state = 'failed'
         union all
         select ${columns} from ${s}.archive where state = 'failed'
       ) f order by completed_on desc limit $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      data: r.data,
      error: r.output?.message ?? r.output?.value?.message ?? JSON.stringify(r.output),
      failedAt: r.completed_on,
      attempts: r.retry_count + 1,
    }));
  } catch (err) {
    // 3F000: no such schema; 42P01: no such table. Nothing has ever been queued here.
    if (['3F000', '42P01'].includes((err as { code?: string }).code ?? '')) return [];
    throw err;
  }
}

/** Jobs due now that have not finished (created, waiting to retry, or active); none before pg-boss's schema exists. */
export async function countPendingJobs(sql: Sql, schema: string): Promise<number> {
  const s = assertIdentifier(schema);
  try {
    const { rows } = await sql.query<{ n: string }>(
      `select count(*)::text as n from ${s}.job where state < 'completed' and start_after <= now()`,
    );
    return Number(rows[0]?.n ?? 0);
  } catch (err) {
    if (['3F000', '42P01'].includes((err as { code?: string }).code ?? '')) return 0;
    throw err;
  }
}
