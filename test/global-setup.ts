/**
 * Vitest global setup: finds the PostgreSQL and Redis servers the tests may
 * use, once, before any worker starts, and hands them to the workers with
 * `provide` (read back in `test/helpers.ts`).
 *
 * - PostgreSQL: `TEST_DATABASE_URL` if set; otherwise the local server at
 *   `postgres://postgres@127.0.0.1:5432/test` when it answers a query.
 * - Redis: `TEST_REDIS_URL` if set; otherwise `redis://127.0.0.1:6379` when it
 *   answers PING.
 *
 * `TEST_DATABASE_PROBE_URL` and `TEST_REDIS_PROBE_URL` change the local
 * addresses tried (point them at an unused port to see the run without
 * PostgreSQL or Redis). One line says what was found; without PostgreSQL its
 * suites are reported as skipped (and counted by `test/postgres-reporter.ts`).
 *
 * @example
 *   // vitest.config.ts
 *   test: { globalSetup: ['test/global-setup.ts'] }
 *   // a test file
 *   inject('testDatabaseUrl'); // 'postgres://postgres@127.0.0.1:5432/test', or '' without PostgreSQL
 */
import { connect as netConnect } from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL test database, or '' when there is none. */
    testDatabaseUrl: string;
    /** The Redis server for the multi-instance tests, or '' when there is none. */
    testRedisUrl: string;
  }
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';
/** Long enough for a busy machine, short enough not to stall a run on a filtered port. */
const PROBE_TIMEOUT_MS = 3000;

/** Why PostgreSQL at `url` cannot be used, or undefined when it answers a query. */
async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Why Redis at `url` cannot be used, or undefined when it answers PING. */
function redisProblem(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = netConnect({ host: hostname, port: Number(port || 6379) });
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done('no answer'));
    socket.once('error', (err) => done(err.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') ? undefined : 'no PONG'));
  });
}

export default async function setup(project: TestProject): Promise<void> {
  let postgres = process.env.TEST_DATABASE_URL ?? '';
  let postgresLine = `PostgreSQL: ${postgres} (TEST_DATABASE_URL)`;
  if (!postgres) {
    const probe = process.env.TEST_DATABASE_PROBE_URL || LOCAL_POSTGRES;
    const problem = await postgresProblem(probe);
    if (problem) {
      postgresLine =
        `PostgreSQL: not available (TEST_DATABASE_URL is unset; ${probe}: ${problem}); ` +
        'its suites are reported as skipped';
    } else {
      postgres = probe;
      postgresLine = `PostgreSQL: ${postgres} (found locally)`;
    }
  }

  let redis = process.env.TEST_REDIS_URL ?? '';
  let redisLine = `Redis: ${redis} (TEST_REDIS_URL)`;
  if (!redis) {
    const probe = process.env.TEST_REDIS_PROBE_URL || LOCAL_REDIS;
    const problem = await redisProblem(probe);
    if (problem) {
      redisLine = `Redis: not available (${probe}: ${problem}); the multi-instance tests use LISTEN/NOTIFY only`;
    } else {
      redis = probe;
      redisLine = `Redis: ${redis} (found locally)`;
    }
  }

  project.provide('testDatabaseUrl', postgres);
  project.provide('testRedisUrl', redis);
  process.stdout.write(`${postgresLine}\n${redisLine}\n`);
}
