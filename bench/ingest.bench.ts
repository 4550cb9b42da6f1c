/**
 * Feed ingestion under load:
 *
 *   npm run bench:ingest [-- --feeds 100 --items 50 --duration 10] [--setup worker|single] [--nice 10]
 *   BENCH_DATABASE_URL=postgres://… npm run bench:ingest -- --db postgres
 *
 * 1. A local feed server serves `--feeds` RSS feeds of `--items` items each,
 *    written from the shared corpus; one item in ten is another feed's story
 *    again under its own GUID and address (a partner carrying the wire), so
 *    stories form as they do in production.
 * 2. On a fresh database, as docs/DEPLOY.md recommends: `dateline serve` with
 *    `JOBS=off` and `dateline worker` beside it (`WORKER_NICE=--nice`), which
 *    polls the feeds (`--setup single`: one `dateline serve` running the jobs
 *    itself, the one-command setup). The reader's cached article page is
 *    measured with wrk idle first.
 * 3. **First poll**: every source is queued by one sweep; items/s until
 *    every source has been polled (articles saved with their search and
 *    related-index entries), and until the queue is empty (stories and
 *    related lists computed too). wrk runs on the cached article page
 *    back to back while it lasts: the share of the idle req/s kept (idle:
 *    two runs before, two after), and the CPU seconds the web server and the
 *    worker used meanwhile.
 * 4. **Second poll**: every source due again, every feed answers 304:
 *    polls/s, and how many 304s the feed server sent.
 * Progress on stderr; a summary, then one line of JSON, on stdout.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { escapeHtml } from '../src/lib/html.js';
import { buildServices } from '../src/services.js';
import { SWEEP_JOB } from '../src/sources/sources.service.js';
import { startFeedServer } from '../test/feed-server.js';
import { cpuSeconds, freePort, startDateline, startWorker } from './lib/processes.js';
import { loadPool, type SourceArticle } from './lib/related-scale-corpus.js';
import { runInWorkspace } from './lib/workspace.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      feeds: { type: 'string', default: '100' },
      items: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      db: { type: 'string', default: 'sqlite' },
      setup: { type: 'string', default: 'worker' },
      nice: { type: 'string', default: '10' },
    },
  });
  const int = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  if (values.setup !== 'worker' && values.setup !== 'single') throw new Error('--setup must be worker or single');
  if (!/^(1?[0-9])$/.test(values.nice)) throw new Error('--nice must be an integer from 0 to 19');
  if (values.db === 'postgres' && !process.env.BENCH_DATABASE_URL)
    throw new Error('--db postgres needs BENCH_DATABASE_URL=postgres://… (the benchmark works in a schema of its own)');
  return {
    feeds: int('feeds', values.feeds, 1000),
    items: int('items', values.items, 500),
    duration: int('duration', values.duration, 600),
    db: values.db,
    setup: values.setup,
    nice: Number(values.nice),
  };
}

/** An RSS feed of `items` stories; every tenth is another feed's story under this feed's own GUID and address. */
function feedXml(articles: SourceArticle[], feed: number, items: number, base: string, when: number): string {
  const entries: string[] = [];
  for (let j = 0; j < items; j++) {
    const shared = j % 10 === 9 && feed > 0;
    const a = articles[((shared ? feed - 1 : feed) * items + j) % articles.length] as SourceArticle;
    const body = a.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
    const date = new Date(when - (feed * items + j) * 60_000).toUTCString();
    entries.push(`<item><guid isPermaLink="false">feed${feed}-item${j}</guid><title>${escapeHtml(a.title)}</title>
<link>${base}/feed${feed}/item${j}</link><pubDate>${date}</pubDate><description>${escapeHtml(a.paragraphs[0] ?? '')}</description>
<content:encoded><![CDATA[${body}]]></content:encoded></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed ${feed}</title><link>${base}/</link>${entries.join('\n')}</channel></rss>`;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(opts: ReturnType<typeof options>, dir: string, url: string, schema: string | undefined) {
  const feeds = await startFeedServer();
  const pool = await loadPool();
  const articles = pool.fullText.flat().filter((a) => a.paragraphs.length >= 2);
  const now = Date.now();
  for (let f = 0; f < opts.feeds; f++) {
    feeds.routes.set(`/feed${f}.xml`, {
      body: feedXml(articles, f, opts.items, feeds.origin, now),
      etag: `"f${f}-v1"`,
    });
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    DEMO_CONTENT: 'off',
    WEATHER_PROVIDER: 'none',
    MEDIA_DIR: join(dir, 'media'),
    SOURCES_ALLOW_HOSTS: '127.0.0.1',
    SOURCES_PER_HOST: '8',
    ...(schema ? { JOBS_SCHEMA: `${schema}_jobs`, CACHE_CHANNEL: schema } : {}),
  };
  const services = await buildServices(loadConfig(env as Record<string, string>), { log: pino({ level: 'silent' }) });
  try {
    // The page the reader measures: an article that was there before the feeds.
    await services.articles.create({
      headline: 'An article readers keep opening',
      standfirst: 'It was published before the feeds came in.',
      body: articles.slice(0, 6).map((a) => ({ type: 'paragraph' as const, html: escapeHtml(a.paragraphs[0] ?? '') })),
      authors: [{ name: 'Bench Writer' }],
      section: { name: 'News' },
      tags: [],
      status: 'published',
    });
    for (let f = 0; f < opts.feeds; f++) {
      await services.sources.add({ url: `${feeds.origin}/feed${f}.xml`, section: 'World', mode: 'publish' });
    }
    const single = opts.setup === 'single';
    const { child, url: site } = await startDateline(await freePort(), single ? env : { ...env, JOBS: 'off' }, 120_000);
    const worker = single ? undefined : await startWorker({ ...env, WORKER_NICE: String(opts.nice) });
    /** CPU seconds used so far by the web server and the worker. */
    const cpu = () => ({
      web: cpuSeconds(child.process.pid as number),
      worker: worker ? cpuSeconds(worker.process.pid as number) : 0,
    });
    try {
      const home = await (await fetch(site)).text();
      const path = /href="(\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/[^"]+)"/.exec(home)?.[1];
      if (!path) throw new Error('no article link on the home page');
      const page = `${site.replace(/\/$/, '')}${path}`;
      const run = () => runWrk(page, { connections: 50, durationSeconds: opts.duration });
      await runWrk(page, { connections: 50, durationSeconds: 2 });
      /** Mean req/s, the worst p99 and the sum of errors of several runs. */
      const pooled = (runs: WrkResult[]) => ({
        rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
        p99: Math.max(...runs.map((r) => r.p99)),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
      });
      log('Reader page idle…');
      const idleBefore = pooled([await run(), await run()]);

      const db = services.database.db;
      const polled = async (since: Date) =>
        Number(
          (
            await db
              .selectFrom('sources')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('last_success_at', '>=', since.toISOString())
              .executeTakeFirstOrThrow()
          ).n,
        );
      /** When the polls since `since` started (the first claim) and ended (the last success), as the server saw them. */
      const span = async (since: Date) => {
        const rows = await db
          .selectFrom('sources')
          .select(['last_polled_at', 'last_success_at'])
          .where('last_polled_at', '>=', since.toISOString())
          .execute();
        const ms = (v: unknown) => (v ? new Date(v as string).getTime() : Number.NaN);
        const starts = rows.map((r) => ms(r.last_polled_at)).filter((n) => !Number.isNaN(n));
        const ends = rows.map((r) => ms(r.last_success_at)).filter((n) => !Number.isNaN(n));
        return {
          started: starts.length ? Math.min(...starts) : undefined,
          ended: ends.length ? Math.max(...ends) : undefined,
        };
      };
      log(`First poll: ${opts.feeds} feeds × ${opts.items} items, the reader measured meanwhile…`);
      const firstAt = new Date();
      await services.jobs.send(SWEEP_JOB, {});
      // The runner (the worker's, or the single server's) finds the sweep at its next look (up to 5 s on SQLite):
      // times are the polls' own.
      await waitFor(async () => (await span(firstAt)).started !== undefined, 60_000, 'the first poll to start');
      const cpuBefore = cpu();
      // Readers come all the time: runs back to back while the first poll lasts (one at least, a dozen at most).
      const runs: { result: WrkResult; endedAt: number }[] = [];
      do runs.push({ result: await run(), endedAt: Date.now() });
      while ((await polled(firstAt)) < opts.feeds && runs.length < 12);
      const cpuAfter = cpu();
      const cpuDuring = { web: round(cpuAfter.web - cpuBefore.web), worker: round(cpuAfter.worker - cpuBefore.worker) };
      await waitFor(async () => (await polled(firstAt)) === opts.feeds, 30 * 60_000, 'the first poll');
      const first = await span(firstAt);
      const savedSeconds = ((first.ended as number) - (first.started as number)) / 1000;
      await waitFor(async () => (await services.jobs.pending()) === 0, 30 * 60_000, 'the stories and related lists');
      const allSeconds = (Date.now() - (first.started as number)) / 1000;
      // The runs that ended before the last item was saved were wholly during ingestion; else the first, in part.
      const inside = runs.filter((r) => r.endedAt <= (first.ended as number)).map((r) => r.result);
      const whileIngesting = pooled(inside.length ? inside : [runs[0]!.result]);
      const ingestingSeconds = inside.length ? inside.length * opts.duration : Math.min(savedSeconds, opts.duration);
      const status = await services.sources.list();
      const created = status.reduce((n, s) => n + s.status.itemsCreated, 0);
      const seen = status.reduce((n, s) => n + s.status.itemsSeen, 0);
      const stories = Number(
        (
          await db
            .selectFrom('related_docs')
            .select((eb) => eb.fn.count('story_id').distinct().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      log('Reader page idle again…');
      const idleAfter = pooled([await run(), await run()]);

      log('Second poll: every feed unchanged…');
      await db.updateTable('sources').set({ next_poll_at: new Date().toISOString() }).execute();
      const secondAt = new Date();
      await services.jobs.send(SWEEP_JOB, {});
      await waitFor(async () => (await polled(secondAt)) === opts.feeds, 10 * 60_000, 'the second poll');
      const second = await span(secondAt);
      const secondSeconds = ((second.ended as number) - (second.started as number)) / 1000;
      const notModified = [...feeds.hits.values()].reduce((n, h) => n + h.notModified, 0);

      const idle = (idleBefore.rps + idleAfter.rps) / 2;
      const result = {
        bench: 'ingest',
        db: opts.db,
        setup: opts.setup,
        ...(single ? {} : { workerNice: opts.nice }),
        feeds: opts.feeds,
        items: seen,
        created,
        stories,
        first: {
          savedSeconds: round(savedSeconds),
          itemsPerSecond: round(seen / savedSeconds),
          withStoriesSeconds: round(allSeconds),
          itemsPerSecondWithStories: round(seen / allSeconds),
        },
        second: { seconds: round(secondSeconds), pollsPerSecond: round(opts.feeds / secondSeconds), notModified },
        reader: {
          path,
          idleBefore: Math.round(idleBefore.rps),
          whileIngesting: Math.round(whileIngesting.rps),
          idleAfter: Math.round(idleAfter.rps),
          share: Math.round((whileIngesting.rps / idle) * 1000) / 10,
          ingestingSecondsOfWrk: round(ingestingSeconds),
          p99Ms: { idle: idleBefore.p99, ingesting: whileIngesting.p99 },
          non2xx: whileIngesting.non2xx,
          cpuSecondsWhileIngesting: cpuDuring,
        },
      };
      out(
        [
          '',
          `Ingest, ${opts.db}, ${single ? 'one dateline serve running the jobs' : `dateline serve (JOBS=off) + dateline worker (WORKER_NICE=${opts.nice})`}: ${opts.feeds} feeds × ${opts.items} items`,
          `First poll: ${seen} items (${created} articles, ${stories} stories) saved in ${result.first.savedSeconds} s = ${result.first.itemsPerSecond} items/s; with stories and related lists ${result.first.withStoriesSeconds} s = ${result.first.itemsPerSecondWithStories} items/s.`,
          `Second poll: ${opts.feeds} feeds in ${result.second.seconds} s = ${result.second.pollsPerSecond} polls/s, ${notModified} answered 304.`,
          `Cached article page: ${result.reader.idleBefore} req/s idle, ${result.reader.whileIngesting} while ingesting (${result.reader.ingestingSecondsOfWrk} s of wrk), ${result.reader.idleAfter} idle again: ${result.reader.share}% kept (target ≥ 90%: ${result.reader.share >= 90 ? 'met' : 'MISSED'}); CPU s meanwhile: web ${cpuDuring.web}, worker ${cpuDuring.worker}.`,
          '',
          JSON.stringify(result),
          '',
        ].join('\n'),
      );
    } finally {
      child.process.kill('SIGTERM');
      worker?.process.kill('SIGTERM');
    }
  } finally {
    await services.close();
    await feeds.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

let opts: ReturnType<typeof options>;
try {
  opts = options(process.argv.slice(2));
} catch (err) {
  log(`bench:ingest: ${(err as Error).message}`);
  process.exit(2);
}
await runInWorkspace({ name: 'ingest', db: opts.db }, log, ({ dir, url, schema }) => main(opts, dir, url, schema));
