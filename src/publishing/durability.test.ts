import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import {
  articleInput,
  createInstance,
  createTestDb,
  describeTargets,
  settle,
  type TestDb,
  until,
} from '../../test/helpers.js';
import type { ArticleInput } from '../articles/article.js';

const root = new URL('../../', import.meta.url).pathname;
const paragraphs = (...texts: string[]) => texts.map((html) => ({ type: 'paragraph' as const, html }));

const FIRST = articleInput({
  headline: 'Volcano eruption near Grindavik forces evacuation of Reykjanes fishing town',
  standfirst: 'Lava fountains rose from a fissure north of Grindavik on the Reykjanes peninsula.',
  body: paragraphs('The volcano eruption began before dawn; Grindavik was evacuated as lava flowed toward the town.'),
  publishedAt: new Date(Date.now() - 3 * 3_600_000),
});
const MATE = articleInput({
  headline: 'Volcano eruption near Grindavik: lava reaches the Reykjanes fishing town defences',
  standfirst: 'Lava from the fissure north of Grindavik reached the earth barriers around the town.',
  body: paragraphs('An hour after the volcano eruption began, lava reached the barriers built to protect Grindavik.'),
  publishedAt: new Date(Date.now() - 2 * 3_600_000),
});
const LATER = articleInput({
  headline: 'Grindavik volcano eruption: Reykjanes lava flow slows near the evacuated town',
  standfirst: 'The lava flow from the Grindavik fissure slowed overnight, officials on Reykjanes said.',
  body: paragraphs('The volcano eruption near Grindavik weakened; lava stopped short of the evacuated fishing town.'),
  publishedAt: new Date(Date.now() - 3_600_000),
});

describeTargets('publishing side effects after a crash, on $dialect', (target) => {
  let db: TestDb;
  let media: string;
  const apps: FastifyInstance[] = [];
  const children: ChildProcess[] = [];
  const env = () => ({
    DATABASE_URL: db.url,
    MEDIA_DIR: media,
    CACHE_CHANNEL: `d_${process.pid}_${Date.now()}`,
    ...(db.schema ? { JOBS_SCHEMA: `${db.schema}_jobs` } : {}),
  });
  const instance = async () => {
    const app = await createInstance(db, env());
    apps.push(app);
    return app;
  };

  /** Publishes in a process of its own with its workers stopped, and kills it (SIGKILL) once the save has committed. */
  async function publishThenKill(input: ArticleInput): Promise<number> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/publish-and-hang.ts', JSON.stringify(input)],
      {
        cwd: root,
        env: { ...process.env, ...env(), LOG_LEVEL: 'silent', WEATHER_PROVIDER: 'none', JOBS: 'off' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await until(() => out.includes('\n') || child.exitCode !== null, 30_000);
    child.kill('SIGKILL');
    await once(child, 'exit');
    return (JSON.parse(out) as { id: number }).id;
  }

  const relatedIds = async (app: FastifyInstance, id: number) => (await app.dateline.related.read(id)).map((a) => a.id);

  beforeEach(async () => {
    db = await createTestDb(target);
    media = mkdtempSync(join(tmpdir(), 'dateline-durability-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const app of apps.splice(0)) await app.close();
    await db.cleanup();
    rmSync(media, { recursive: true, force: true });
  });

  it('computes the related lists on the next start, and updates a running server’s cached pages', async () => {
    // The site before: one article, its jobs done.
    const before = await instance();
    const first = await before.dateline.articles.create(FIRST);
    await settle(before);
    await before.close();
    apps.length = 0;

    // A writer publishes a follow-up with no worker running, and dies at once.
    const mate = await publishThenKill(MATE);
    const site = await instance();
    expect(await relatedIds(site, mate)).toEqual([]);
    // The next start runs what the dead writer queued: the follow-up's list, and the first article's.
    await site.dateline.jobs.start();
    await until(async () => (await relatedIds(site, mate)).includes(first.id), 30_000);
    await until(async () => (await relatedIds(site, first.id)).includes(mate), 30_000);

    // Now with the server running and the first article's page in its cache.
    // (Its address from the content API: the home page lists one article per story, the newest.)
    const firstUrl = new URL(
      (await site.inject(`/api/v1/articles/${first.id}`)).json<{ data: { url: string } }>().data.url,
    ).pathname;
    const page = async () => (await site.inject(firstUrl)).body;
    expect(await page()).toContain('lava reaches the Reykjanes fishing town defences');
    expect(site.dateline.pageCache?.get(firstUrl)).toBeDefined();
    await publishThenKill(LATER);
    // The server runs the dead writer's jobs and drops its cached page: the new article appears on it.
    await until(async () => (await page()).includes('lava flow slows near the evacuated town'), 30_000);
  });

  // Several instances share PostgreSQL. On SQLite the second process beside a server is the command line,
  // which queues jobs and runs none (see src/cli/cli-services.test.ts); two servers in one test process
  // would block each other on the file's write lock (better-sqlite3 waits synchronously).
  it.runIf(target.dialect === 'postgres')('runs each side-effect job once across two instances', async () => {
    const [a, b] = [await instance(), await instance()];
    const calls = [vi.spyOn(a.dateline.related, 'refreshAround'), vi.spyOn(b.dateline.related, 'refreshAround')];
    await Promise.all([a.dateline.jobs.start(), b.dateline.jobs.start()]);
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const writer = i % 2 === 0 ? a : b;
      ids.push((await writer.dateline.articles.create(articleInput({ headline: `Ferry timetable change ${i}` }))).id);
    }
    await until(() => calls.reduce((n, spy) => n + spy.mock.calls.length, 0) >= ids.length, 30_000);
    await settle(a);
    await settle(b);
    const refreshed = calls.flatMap((spy) => spy.mock.calls.map(([id]) => id)).sort((x, y) => x - y);
    expect(refreshed).toEqual(ids);
  });
});
