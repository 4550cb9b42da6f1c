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
import { pino } from 'pino';
import { afterAll, beforeAll, describe, inject, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import type { ArticleInput } from '../src/articles/article.js';
import { type Config, loadConfig } from '../src/config.js';
import { connect, type Database } from '../src/db/connect.js';
import { buildServices, type ServiceOptions, type Services } from '../src/services.js';

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

export interface TestServices {
  services: Services;
  config: Config;
  cleanup(): Promise<void>;
}

/**
 * Builds the services alone (no web server) on a fresh database, configured
 * as `createTestApp` does.
 */
export async function createTestServices(
  env: Record<string, string> = {},
  target?: Target,
  options: Pick<ServiceOptions, 'httpDispatcher'> = {},
): Promise<TestServices> {
  const { config, testDb, mediaDir } = await testSetup(env, target, options);
  const services = await buildServices(config, {
    log: pino({ level: 'silent' }),
    database: testDb.database,
    ...options,
  });
  return {
    services,
    config,
    cleanup: async () => {
      await services.close();
      await testDb.cleanup();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

async function testSetup(
  env: Record<string, string>,
  target: Target | undefined,
  options: Pick<ServiceOptions, 'httpDispatcher'>,
) {
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
  return { config, testDb, mediaDir };
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
  options: Pick<ServiceOptions, 'httpDispatcher'> = {},
): Promise<TestApp> {
  const t = await createTestServices(env, target, options);
  const app = await buildApp(t.services);
  return {
    app,
    config: t.config,
    cleanup: async () => {
      await app.close();
      await t.cleanup();
    },
  };
}

/**
 * Another instance of the site on a shared test database (its own
 * connections, as a second server would have): the multi-instance tests.
 * Jobs go to the database's own pg-boss schema, dropped with it.
 */
export async function createInstance(testDb: TestDb, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    LOG_LEVEL: 'silent',
    WEATHER_PROVIDER: 'none',
    SITE_URL: 'http://news.test',
    DEMO_CONTENT: 'off',
    ...(testDb.schema ? { JOBS_SCHEMA: `${testDb.schema}_jobs` } : {}),
    ...env,
  });
  return buildApp(await buildServices(config, { log: pino({ level: 'silent' }) }));
}

/**
 * Two instances of the site on a fresh shared database, once per way
 * instances hear each other (PostgreSQL NOTIFY, and Redis when a server
 * answers), each pair closed and its database dropped after `body`.
 *
 * @example
 *   await withInstancePairs(target, 'live', async (a, b, transport) => { … });
 */
export async function withInstancePairs(
  target: Target,
  channel: string,
  body: (a: FastifyInstance, b: FastifyInstance, transport: 'notify' | 'redis') => Promise<void>,
): Promise<void> {
  for (const transport of ['notify', ...(redisUrl ? ['redis' as const] : [])] as const) {
    const db = await createTestDb(target);
    const env = {
      CACHE_CHANNEL: `${channel}_${process.pid}_${Date.now()}`,
      ...(transport === 'redis' ? { REDIS_URL: redisUrl! } : {}),
    };
    const a = await createInstance(db, env);
    const b = await createInstance(db, env);
    try {
      await body(a, b, transport);
    } finally {
      await a.close();
      await b.close();
      await db.cleanup();
    }
  }
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

/**
 * Waits until `check` holds, looking every 20 ms; fails after `timeoutMs`.
 * For what must eventually happen (a job runs, a message arrives), never to
 * assert how soon.
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for a condition`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the background jobs queued so far (related lists, cache invalidation…)
 * to the end: starts the app's workers if they are not running, then waits
 * until nothing due is left.
 *
 * @example
 *   await app.dateline.articles.save(articleInput());
 *   await settle(app); // related lists computed, pages invalidated
 */
export async function settle(app: FastifyInstance | Services): Promise<void> {
  const services = 'dateline' in app ? app.dateline : app;
  await services.jobs.start();
  services.jobs.wake();
  await until(async () => (await services.jobs.pending()) === 0, 20_000);
}
