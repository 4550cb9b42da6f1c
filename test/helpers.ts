/**
 * Shared test helpers: a fresh database per test (SQLite always; PostgreSQL
 * too when `test/global-setup.ts` found one), and a built app on top of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject, vi } from 'vitest';
import { type BuildOptions, buildApp } from '../src/app.js';
import type { ArticleInput } from '../src/articles/article.js';
import { type Config, loadConfig } from '../src/config.js';
import { connect, type Database } from '../src/db/connect.js';

export interface Target {
  dialect: 'sqlite' | 'postgres';
}

/**
 * The PostgreSQL test database found by `test/global-setup.ts` (TEST_DATABASE_URL,
 * or a local server), or undefined. Outside that setup (another config), TEST_DATABASE_URL.
 */
export const postgresUrl: string | undefined = provided('testDatabaseUrl') ?? process.env.TEST_DATABASE_URL;

/** The Redis server for the multi-instance tests (TEST_REDIS_URL, or a local server), or undefined. */
export const redisUrl: string | undefined = provided('testRedisUrl') ?? process.env.TEST_REDIS_URL;

/** What the global setup provided: undefined when it did not run, '' mapped to undefined too. */
function provided(key: 'testDatabaseUrl' | 'testRedisUrl'): string | undefined {
  const value = inject(key) as string | undefined;
  return value === undefined ? undefined : value || undefined;
}

/** Marks a suite as needing PostgreSQL, for `test/postgres-reporter.ts`. */
declare module 'vitest' {
  interface TaskMeta {
    needsPostgres?: boolean;
  }
}

/**
 * A suite that needs PostgreSQL: run when there is one, otherwise listed as
 * skipped (never left out silently).
 *
 * @example
 *   describePostgres('the pg-boss job queue', () => {
 *     it('runs a job once', async () => {  });
 *   });
 */
export function describePostgres(title: string, fn: () => void): void {
  describe(title, { skip: !postgresUrl, meta: { needsPostgres: true } }, fn);
}

/**
 * A dialect-sensitive suite, once per database: on SQLite always, and on
 * PostgreSQL when there is one (otherwise that variant is listed as skipped).
 * `$dialect` in the title is replaced by the dialect's name.
 *
 * @example
 *   describeTargets('saving articles on $dialect', (target) => {
 *     beforeAll(async () => { t = await createTestApp({}, target); });
 *   });
 */
export function describeTargets(title: string, fn: (target: Target) => void): void {
  const named = (dialect: Target['dialect']) => title.replaceAll('$dialect', dialect);
  describe(named('sqlite'), () => fn({ dialect: 'sqlite' }));
  describePostgres(named('postgres'), () => fn({ dialect: 'postgres' }));
}

export interface TestDb {
  url: string;
  database: Database;
  /** PostgreSQL: the test's schema. Jobs (pg-boss) go in `<schema>_jobs`, dropped with it. */
  schema?: string;
  /** Drops the schema or removes the file. */
  cleanup(): Promise<void>;
}

/** A fresh, empty database: a temporary SQLite file, or a new schema in the PostgreSQL test database. */
export async function createTestDb(target: Target = { dialect: 'sqlite' }): Promise<TestDb> {
  if (target.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const database = await connect(url);
    return {
      url,
      database,
      cleanup: async () => {
        await database.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = postgresUrl;
  if (!base) throw new Error('no PostgreSQL to test on (TEST_DATABASE_URL unset, none found locally)');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const database = await connect(url, { poolSize: 4 });
  return {
    url,
    database,
    schema,
    cleanup: async () => {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.query(`drop schema if exists ${schema}_jobs cascade`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  cleanup(): Promise<void>;
}

/**
 * Builds the real app on a fresh database. `env` overrides configuration
 * variables. The weather widget is off (WEATHER_PROVIDER=none) unless a test
 * turns it on, and then it needs `options.httpDispatcher` (an undici
 * MockAgent): tests never reach the network.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  target?: Target,
  options: Pick<BuildOptions, 'httpDispatcher'> = {},
): Promise<TestApp> {
  const testDb = await createTestDb(target);
  const mediaDir = mkdtempSync(join(tmpdir(), 'dateline-media-'));
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    SITE_URL: 'http://news.test',
    SITE_TIMEZONE: 'America/New_York',
    LOG_LEVEL: 'silent',
    DEMO_CONTENT: 'off',
    MEDIA_DIR: mediaDir,
    WEATHER_PROVIDER: 'none',
    ...(testDb.schema ? { JOBS_SCHEMA: `${testDb.schema}_jobs` } : {}),
    ...env,
  });
  if (config.weather.providers.length > 0 && !options.httpDispatcher) {
    throw new Error('a test app with weather needs options.httpDispatcher (an undici MockAgent)');
  }
  const app = await buildApp(config, { logger: false, database: testDb.database, ...options });
  return {
    app,
    config,
    cleanup: async () => {
      await app.close();
      await testDb.cleanup();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A valid published article; override any field. */
export function articleInput(overrides: Partial<ArticleInput> = {}): ArticleInput {
  counter++;
  return {
    externalId: `test:${counter}`,
    headline: `Test headline number ${counter}`,
    standfirst: `Standfirst of test article ${counter}.`,
    body: [{ type: 'paragraph', html: `Body of test article ${counter}.` }],
    authors: [],
    section: { name: 'World' },
    tags: [],
    status: 'published',
    publishedAt: new Date(Date.UTC(2024, 0, 1, 12) + counter * 60_000),
    ...overrides,
  };
}

/**
 * For CLI tests: sets these environment variables and silences stdout and
 * stderr (as spies, for assertions) for the enclosing suite, then restores both.
 */
export function quietCli(env: () => Record<string, string>): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { LOG_LEVEL: 'silent', ...env() });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    process.env = saved;
    vi.restoreAllMocks();
  });
}
