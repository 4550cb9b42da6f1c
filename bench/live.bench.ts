/**
 * Live coverage's fan-out on one instance (SQLite, loopback only):
 *
 *   npm run bench:live [-- --readers 10000 --rounds 5 --seconds 4 --windows 3 --pollers 1000 --poll-seconds 30]
 *
 * 1. Opens `readers` Server-Sent Events streams to one coverage from a child
 *    process (8 per loopback address: the server's per-address cap), then
 *    measures the server's memory per connection (RSS and heap, after a GC,
 *    against the same process before the readers came).
 * 2. Posts `rounds` entries, one at a time, and times from the start of each
 *    post call (the write included) to each reader receiving it: p50, p95 and
 *    max over every delivery, the last reader per round, and the server's CPU
 *    per fan-out.
 * 3. A cached article page's throughput (16 keep-alive connections, another
 *    child process) with every reader connected, idle, then while entries are
 *    posted every 250 ms to all of them: the same run, the same page, in
 *    `windows` alternating pairs of `seconds` each (the machine's other load
 *    drifts; the ratio is of the means).
 * 4. Last, once the streams are closed: the polling fallback behind the repository's
 *    nginx config (bench/lib/nginx.ts), `pollers` readers (another child
 *    process) each asking for the current ten-second bucket every 10 s, as
 *    live.js does without streams, for `poll-seconds` while an entry is
 *    posted every 2 s: the share of polls nginx answered from its cache
 *    (X-Cache-Status HIT) and the requests per second that reached the app.
 * A table on stdout, then one line of JSON.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { limitHeapGrowth } from '../src/lib/heap.js';
import { createClock } from '../src/lib/time.js';
import { buildServices } from '../src/services.js';
import { articlePath } from '../src/site/urls.js';
import { nginxConf, startNginx } from './lib/nginx.js';
import { freePort, stop } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    readers: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    windows: { type: 'string', default: '3' },
    'nice-readers': { type: 'boolean', default: false },
    streams: { type: 'string', default: 'inline' },
    pollers: { type: 'string', default: '1000' },
    'poll-seconds': { type: 'string', default: '30' },
  },
});
const readers = Math.min(Math.max(Number(values.readers) || 10_000, 1), 18_000);
const rounds = Math.min(Math.max(Number(values.rounds) || 5, 1), 50);
const seconds = Math.min(Math.max(Number(values.seconds) || 4, 1), 30);
const windows = Math.min(Math.max(Number(values.windows) || 3, 1), 10);
const pollers = Math.min(Math.max(Number(values.pollers) || 0, 0), 5000);
const pollSeconds = Math.min(Math.max(Number(values['poll-seconds']) || 30, 10), 120);
const log = (text: string) => process.stderr.write(`${text}\n`);
const now = () => performance.timeOrigin + performance.now();
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => bytes / 1024 / 1024;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-live-'));
const config = loadConfig({
  DATABASE_URL: `sqlite:${join(dir, 'live.db')}`,
  SITE_URL: 'http://news.test',
  LOG_LEVEL: 'silent',
  DEMO_CONTENT: 'off',
  MEDIA_DIR: join(dir, 'media'),
  WEATHER_PROVIDER: 'none',
  LIVE_STREAMS: values.streams === 'process' ? 'process' : 'inline',
});
// As `dateline serve` does (src/server.ts); the stream process gets the same from buildApp.
limitHeapGrowth(config.heapGrowthPercent);
const services = await buildServices(config, { log: pino({ level: 'silent' }) });
const app = await buildApp(services);
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const port = Number(new URL(base).port);
const user = await services.accounts.createUser('operator', {
  email: 'bench@news.test',
  name: 'Bench Editor',
  role: 'editor',
  password: 'correct horse battery staple',
});
const editor = { id: user.id, role: user.role, active: true, name: user.name };
const coverage = await services.live.createCoverage({ headline: 'Benchmark coverage' }, editor);
const post = (k: number) =>
  services.live.post(coverage.id, { body: [{ type: 'paragraph', html: `Update ${k} of the benchmark.` }] }, editor);
await post(0);
const saved = await services.articles.save({
  headline: 'A cached article',
  body: [{ type: 'paragraph', html: 'Text of the article. '.repeat(200) }],
  authors: [{ name: 'Ann Author' }],
  section: { name: 'World' },
  tags: [],
  status: 'published',
  publishedAt: new Date('2026-01-02T10:00:00Z'),
});
const article = (await services.articles.get(saved.id))!;
const clock = createClock(services.settings.current().timeZone, config.language);
const articleUrl = `${base}${articlePath({ ...article, publishedAt: article.publishedAt! }, clock)}`;

async function load(): Promise<{ rps: number; bad: number }> {
  const child = spawn(process.execPath, [
    join(import.meta.dirname, 'live-load.mjs'),
    articleUrl,
    '16',
    String(seconds),
  ]);
  let text = '';
  child.stdout.on('data', (c: Buffer) => {
    text += c.toString();
  });
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(text) as { rps: number; bad: number };
}

/** The polling fallback behind nginx: what share of polls its cache answers, and what reaches the app. */
async function polling(): Promise<{
  polls: number;
  hitShare: number;
  appRps: number;
  statuses: Record<string, number>;
}> {
  const nginxDir = join(dir, 'nginx');
  const nginx = await startNginx(nginxDir, nginxConf(nginxDir, await freePort(), [port, port]));
  let appRequests = 0;
  const count = (req: { url?: string }) => {
    if (req.url?.includes('/updates/')) appRequests++;
  };
  app.server.on('request', count);
  let posting = true;
  const poster = (async () => {
    for (let k = 1000; posting; k++) {
      await post(k);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  const started = performance.now();
  const child = spawn(process.execPath, [
    join(import.meta.dirname, 'live-pollers.mjs'),
    nginx.url,
    String(coverage.id),
    String(pollers),
    String(pollSeconds),
  ]);
  let text = '';
  child.stdout.on('data', (c: Buffer) => {
    text += c.toString();
  });
  await new Promise((resolve) => child.on('exit', resolve));
  const elapsed = (performance.now() - started) / 1000;
  posting = false;
  await poster;
  app.server.off('request', count);
  await stop(nginx.child.process);
  const r = JSON.parse(text) as { polls: number; bad: number; statuses: Record<string, number> };
  if (r.bad) log(`polling: ${r.bad} answers were not 200`);
  return {
    polls: r.polls,
    hitShare: (r.statuses.HIT ?? 0) / r.polls,
    appRps: appRequests / elapsed,
    statuses: r.statuses,
  };
}

/**
 * The stream process's memory and CPU so far (LIVE_STREAMS=process), from /proc: the child of this
 * process running live-stream.worker; zeros when there is none.
 */
function streamWorker(): { rssBytes: number; cpuMs: number } {
  try {
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      for (const pid of readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('live-stream.worker')) continue;
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        // utime and stime, in clock ticks (100 a second on Linux).
        return { rssBytes: rss, cpuMs: (Number(stat[11]) + Number(stat[12])) * 10 };
      }
    }
  } catch {
    // No /proc: the web process's figures alone.
  }
  return { rssBytes: 0, cpuMs: 0 };
}

// Warm the article page into the page cache (measured idle once the readers are connected).
const warm = await fetch(articleUrl);
if (warm.status !== 200) throw new Error(`article page: ${warm.status} at ${articleUrl}`);

gc();
const before = process.memoryUsage();
const workerBefore = streamWorker();
const child = fork(
  join(import.meta.dirname, 'live-readers.mjs'),
  [String(port), String(coverage.id), String(readers)],
  {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  },
);
// The readers stand for browsers on other machines; on this one they compete with the server for its two
// cores. --nice-readers lowers their priority so that what is measured is the server's own cost.
if (values['nice-readers'] && child.pid) setPriority(child.pid, 19);
const ask = <T>(message: object | undefined, type: string) =>
  new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    if (message) child.send(message);
  });
const opened = await ask<{ open: number; failed: number }>(undefined, 'ready');
log(`streams: ${opened.open} open, ${opened.failed} refused`);
await new Promise((resolve) => setTimeout(resolve, 1000));
gc();
const after = process.memoryUsage();
const workerAfter = streamWorker();
const perConnection = {
  // With LIVE_STREAMS=process the streams' memory is mostly the stream process's: both count.
  rssKB: (after.rss - before.rss + (workerAfter.rssBytes - workerBefore.rssBytes)) / 1024 / opened.open,
  heapKB: (after.heapUsed - before.heapUsed) / 1024 / opened.open,
};

const deliveries: number[] = [];
const lastReader: number[] = [];
const cpuMs: number[] = [];
for (let r = 1; r <= rounds; r++) {
  const cpu = process.cpuUsage();
  const workerCpu = streamWorker().cpuMs;
  const start = now();
  const entry = await post(r);
  const deadline = Date.now() + 10_000;
  let times: number[] = [];
  while (Date.now() < deadline) {
    times = (await ask<{ times: number[] }>({ type: 'report', id: entry.id }, 'report')).times;
    if (times.length >= opened.open) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000 + (streamWorker().cpuMs - workerCpu));
  const latencies = times.map((t) => t - start).sort((a, b) => a - b);
  deliveries.push(...latencies);
  lastReader.push(latencies.at(-1) ?? Number.NaN);
  log(`round ${r}: ${times.length}/${opened.open} readers, last after ${lastReader.at(-1)?.toFixed(0)} ms`);
}
deliveries.sort((a, b) => a - b);

/** The article page while entries fan out to every reader, one every 250 ms. */
async function loadDuringFanOuts(from: number) {
  let posting = true;
  const poster = (async () => {
    for (let k = from; posting; k++) {
      await post(k);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const busy = await load();
  posting = false;
  await poster;
  return busy;
}

// Idle (every reader connected, nothing posted) and busy windows alternate: the machine's other load
// drifts over a run, and each busy window is compared with the idle ones around it.
const idles: { rps: number; bad: number }[] = [];
const busies: { rps: number; bad: number }[] = [];
for (let w = 0; w < windows; w++) {
  idles.push(await load());
  busies.push(await loadDuringFanOuts(100 + w * 1000));
  log(
    `window ${w + 1}: article page ${idles.at(-1)!.rps.toFixed(0)} req/s idle, ${busies.at(-1)!.rps.toFixed(0)} during fan-outs`,
  );
}
const meanRps = (xs: { rps: number }[]) => xs.reduce((a, b) => a + b.rps, 0) / xs.length;
const idle = { rps: meanRps(idles), bad: idles.reduce((a, b) => a + b.bad, 0) };
const busy = { rps: meanRps(busies), bad: busies.reduce((a, b) => a + b.bad, 0) };

child.send({ type: 'close' });
// Last, with the streams closed: the memory figures above are the streams' alone.
const polled = pollers > 0 ? await polling() : undefined;
if (polled)
  log(
    `polling: ${polled.polls} polls, ${(polled.hitShare * 100).toFixed(1)}% from nginx's cache, ${polled.appRps.toFixed(2)} app req/s`,
  );
await app.close();
await services.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  readers: opened.open,
  refused: opened.failed,
  memoryPerConnectionKB: { rss: Number(perConnection.rssKB.toFixed(1)), heap: Number(perConnection.heapKB.toFixed(1)) },
  commitToReaderMs: {
    p50: Number(pct(deliveries, 50).toFixed(1)),
    p95: Number(pct(deliveries, 95).toFixed(1)),
    max: Number((deliveries.at(-1) ?? 0).toFixed(1)),
  },
  lastReaderMs: lastReader.map((v) => Number(v.toFixed(1))),
  cpuPerFanOutMs: Number((cpuMs.reduce((a, b) => a + b, 0) / cpuMs.length).toFixed(1)),
  articlePageRps: {
    idle: Math.round(idle.rps),
    duringFanOut: Math.round(busy.rps),
    ratio: Number((busy.rps / idle.rps).toFixed(3)),
    windows: idles.map((x, i) => [Math.round(x.rps), Math.round(busies[i]!.rps)]),
  },
  badAnswers: idle.bad + busy.bad,
  readersNiced: Boolean(values['nice-readers']),
  streams: config.liveStreams,
  polling: polled
    ? {
        readers: pollers,
        seconds: pollSeconds,
        polls: polled.polls,
        fromNginxCache: Number(polled.hitShare.toFixed(4)),
        appRequestsPerSecond: Number(polled.appRps.toFixed(2)),
        cacheStatus: polled.statuses,
      }
    : null,
  memoryBaselineMB: Number(mb(before.rss).toFixed(1)),
};
process.stdout.write(`live fan-out, ${result.readers} SSE readers on one instance (SQLite, loopback, streams ${config.liveStreams}${result.readersNiced ? ', readers niced' : ''})
  memory per connection        ${result.memoryPerConnectionKB.rss} KB RSS, ${result.memoryPerConnectionKB.heap} KB heap (target ≤ 30 KB)
  call start → reader p50/p95  ${result.commitToReaderMs.p50} / ${result.commitToReaderMs.p95} ms, max ${result.commitToReaderMs.max} ms (target p95 ≤ 2000)
  last reader per round        ${result.lastReaderMs.join(', ')} ms
  server CPU per fan-out       ${result.cpuPerFanOutMs} ms
  polling behind nginx         ${polled ? `${pollers} readers, ${polled.polls} polls in ${pollSeconds} s: ${(polled.hitShare * 100).toFixed(1)}% from nginx's cache (target ≥ 95%), ${polled.appRps.toFixed(2)} app req/s` : 'not run'}
  article page (cached)        ${result.articlePageRps.idle} req/s idle, ${result.articlePageRps.duringFanOut} during fan-outs every 250 ms (${(result.articlePageRps.ratio * 100).toFixed(0)}%; target ≥ 90%)
`);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
