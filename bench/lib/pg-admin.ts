/**
 * Runs one administrative statement (create or drop a benchmark's schema) on
 * its own connection.
 *
 * @example
 *   await admin('postgres://postgres@127.0.0.1/test', 'create schema bench_x');
 */
import pg from 'pg';

export async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
