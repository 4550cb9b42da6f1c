import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../test/feed-server.js';
import { articleInput, createTestDb, describeTargets, type TestDb, until } from '../test/helpers.js';
import { loadConfig } from './config.js';
import { sqlitePath } from './db/connect.js';
import { openServer } from './server.js';
import { POLL_JOB } from './sources/sources.service.js';

const root = new URL('../', import.meta.url).pathname;

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>http://wire.test/</link>
<item><guid>wire-1</guid><title>Lighthouse keepers vote to strike</title><link>http://wire.test/1</link>
<pubDate>Mon, 06 Jan 2025 10:00:00 GMT</pubDate><description>The keepers voted on Monday.</description></item>
</channel></rss>`;

/** Niceness of every thread of a process (field 19 of `/proc/<pid>/task/<tid>/stat`). */
function threadNiceness(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describeTargets('dateline serve with JOBS=off beside dateline worker, on $dialect', (target) => {
  let db: TestDb;
  let feeds: FeedServer;
  let web: FastifyInstance;
  let worker: ChildProcess | undefined;
  let output = '';
  const media = mkdtempSync(join(tmpdir(), 'dateline-worker-media-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDb(target);
    feeds = await startFeedServer();
    feeds.routes.set('/wire.xml', { body: FEED, etag: '"v1"' });
    env = {
      DATABASE_URL: db.url,
      SITE_URL: 'http://news.test',
      LOG_LEVEL: 'silent',
      DEMO_CONTENT: 'off',
      WEATHER_PROVIDER: 'none',
      MEDIA_DIR: media,
      SOURCES_ALLOW_HOSTS: '127.0.0.1',
      JOBS: 'off',
      ...(db.schema ? { JOBS_SCHEMA: `${db.schema}_jobs`, CACHE_CHANNEL: db.schema } : {}),
    };
    web = await openServer(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }));
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await web?.close();
    await feeds?.stop();
    await db?.cleanup();
    rmSync(media, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${(web.server.address() as { port: number }).port}`;
  const home = async () => (await fetch(`${base()}/`)).text();
  /** Recurring schedules written by a queue that started working (the web server must write none). */
  const schedules = async () => {
    if (target.dialect === 'sqlite') {
      const row = await db.database.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('singleton_key', 'like', 'every:%')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from ${sql.id(`${db.schema}_jobs`, 'schedule')}`.execute(db.database.db);
    return Number(rows[0]!.n);
  };

  it('serves pages without consuming jobs: a queued poll waits, and no recurring job is scheduled', async () => {
    await web.dateline.articles.save(articleInput({ headline: 'Harbour master retires' }));
    const source = await web.dateline.sources.add({
      url: `${feeds.origin}/wire.xml`,
      section: 'World',
      mode: 'publish',
    });
    const page = await home();
    expect(page).toContain('Harbour master retires');
    expect(await home()).toBe(page); // cached from here on
    await web.dateline.jobs.send(POLL_JOB, { sourceId: source.id });
    // A running queue would have written its schedules before the server answered its first request.
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    expect(await schedules()).toBe(0);
    expect(await web.dateline.jobs.pending()).toBeGreaterThanOrEqual(1);
    expect(feeds.hits.get('/wire.xml')).toBeUndefined();
  });

  // SQLite only: PostgreSQL readers never wait for writers.
  if (target.dialect === 'sqlite')
    it("renders pages while another process holds SQLite's write lock, without waiting for it", async () => {
      const logged = async () =>
        Number(
          (
            await db.database.db
              .selectFrom('cache_invalidations')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await logged();
      await web.dateline.articles.save(articleInput({ headline: 'Ferry timetable changes' }));
      // The save's own invalidation is logged after its commit: a write, which would wait for the lock below.
      await until(async () => (await logged()) > before);
      // A write transaction of the worker's, open (uncommitted) for as long as the web server renders.
      const other = new SQLite(sqlitePath(db.url));
      other.pragma('busy_timeout = 0');
      try {
        other.exec('begin immediate');
        other
          .prepare('insert into cache_invalidations (message, created_at) values (?, ?)')
          .run('{"from":"x","tags":["*"]}', new Date().toISOString());
        // Not cached yet: rendered from the database. A read that waited would fail after busy_timeout (500).
        const res = await fetch(`${base()}/world`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('Ferry timetable changes');
        expect((await fetch(`${base()}/readyz`)).status).toBe(200);
        other.exec('rollback');
      } finally {
        other.close();
      }
    });

  it('runs the jobs in a worker process without loading the web app, at a lower CPU priority', async () => {
    // JOBS=off in its environment too, as in a shared env file: the worker runs jobs regardless.
    const code = `const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(['worker']);`;
    worker = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', './test/fixtures/no-web-app.mjs', '--input-type=module', '-e', code],
      { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'info', WORKER_NICE: '10' }, stdio: 'pipe' },
    );
    worker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('Dateline worker is running jobs') || worker?.exitCode !== null, 60_000);
    expect(output).toContain('Dateline worker is running jobs');
    if (existsSync('/proc/self/task')) {
      expect(new Set(threadNiceness(worker.pid!))).toEqual(new Set([10]));
    }
  }, 90_000);

  it("drops the web server's cached pages when an article the worker's job published comes in", async () => {
    // The home page stays cached (no expiry) until an invalidation from the worker's process arrives.
    await until(async () => (await home()).includes('Lighthouse keepers vote to strike'), 60_000);
    expect(feeds.hits.get('/wire.xml')?.total).toBe(1);
    await until(async () => (await web.dateline.jobs.pending()) === 0, 60_000);
  }, 150_000);

  it('stops on SIGTERM with exit code 0, leaving no job running', async () => {
    const exited = once(worker!, 'exit');
    worker!.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).not.toMatch(/the web app was loaded|"level":(50|60)/);
    expect(await web.dateline.jobs.pending()).toBe(0);
  });
});
