/**
 * nginx in front of Dateline instances, as deployed: the repository's
 * deploy/nginx files turned into a private, runnable config (ports, cache and
 * temp paths substituted; `daemon off; master_process off;`), started as a
 * tracked child; a plain HTTP GET that, like wrk, sends no Accept-Encoding;
 * and the table and JSON line of bench/cluster.bench.ts.
 *
 * @example
 *   const nginx = await startNginx(dir, nginxConf(dir, port, [3001, 3002], { cache: false }));
 *   const res = await httpGet(`${nginx.url}/`);
 *   res.headers['x-cache-status']; // undefined: `location /` does not cache in this variant
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { type Child, stop, track } from './processes.js';
import type { WrkResult } from './wrk.js';

export const NGINX = '/usr/sbin/nginx';
const DEPLOY = new URL('../../deploy/nginx/', import.meta.url);

export interface NginxConfOptions {
  /** false: `proxy_cache off;` in `location /`, so every page goes to an instance (assets stay cached). */
  cache?: boolean;
  workerConnections?: number;
}

/** Replaces `from` in `text`, and fails loudly when the deploy file no longer contains it. */
function substitute(text: string, from: string | RegExp, to: string, file: string): string {
  const replaced = text.replace(from, to);
  if (replaced === text) throw new Error(`deploy/nginx/${file} no longer contains ${String(from)}`);
  return replaced;
}

/** The repository's nginx files, with this run's listen port, upstream ports and paths under `dir` put in. */
export function nginxConf(dir: string, port: number, upstreams: number[], options: NginxConfOptions = {}): string {
  const read = (file: string) => readFileSync(new URL(file, DEPLOY), 'utf8');
  let http = read('dateline-http.conf');
  upstreams.forEach((upstream, i) => {
    http = substitute(http, `server 127.0.0.1:${3001 + i} `, `server 127.0.0.1:${upstream} `, 'dateline-http.conf');
  });
  http = substitute(http, '/var/cache/nginx/dateline', join(dir, 'cache'), 'dateline-http.conf');
  let site = substitute(read('dateline-site.conf'), 'listen 80;', `listen 127.0.0.1:${port};`, 'dateline-site.conf');
  if (options.cache === false) {
    site = substitute(site, /(location \/ \{[^}]*?)proxy_cache dateline;/, '$1proxy_cache off;', 'dateline-site.conf');
  }
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${join(dir, t)};`)
    .join('\n');
  return `daemon off; master_process off; worker_processes 1;
error_log ${join(dir, 'error.log')} warn; pid ${join(dir, 'nginx.pid')};
events { worker_connections ${options.workerConnections ?? 1024}; }
http { access_log off; ${temp}
${http}
${site}
}`;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** GET with no Accept-Encoding (as wrk sends it, so nginx serves wrk's cached variant); bounded by a timeout. */
export function httpGet(url: string, timeoutMs = 10_000): Promise<HttpResponse> {
  if (new URL(url).hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing a non-local URL: ${url}`));
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Writes `conf` to `dir/nginx.conf`, starts nginx on it and waits (bounded) until `/healthz` answers 200. */
export async function startNginx(
  dir: string,
  conf: string,
  timeoutMs = 10_000,
): Promise<{ child: Child; url: string }> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is not installed`);
  const port = /listen 127\.0\.0\.1:(\d+);/.exec(conf)?.[1];
  if (!port) throw new Error('the nginx config has no `listen 127.0.0.1:PORT;`');
  mkdirSync(join(dir, 'cache'), { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), conf);
  // -e: nginx would otherwise try its compiled-in error log before reading the config.
  const args = ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')];
  const proc = track(spawn(NGINX, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-16_384);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const child: Child = { process: proc, output: () => output };
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) break;
    const res = await httpGet(`${url}/healthz`, 2000).catch(() => undefined);
    if (res?.status === 200) return { child, url };
    await new Promise((r) => setTimeout(r, 20));
  }
  await stop(proc);
  const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-4000) : '';
  throw new Error(`nginx did not answer /healthz within ${timeoutMs} ms:\n${output}${log}`);
}

// The cluster benchmark's figures (bench/cluster.bench.ts): one wrk run per setup and page.

export const SETUPS = { nginxCached: 'nginx cached', nginxUncached: 'nginx uncached', direct: 'direct (1)' } as const;
export type Setup = keyof typeof SETUPS;
export const PAGES = ['article', 'home'] as const;
export type Page = (typeof PAGES)[number];
type Figures = Pick<WrkResult, 'rps' | 'p50' | 'p99'>;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface Run {
  duration: number;
  importLine: string;
  articles: number;
  bareRuns: WrkResult[];
  runs: (WrkResult & { setup: Setup; page: Page; cacheStatus: string; cpu: number[] })[];
  bytes: Record<Page, number>;
  rss: number[];
  /** From the probe's commit and from spawning the import to its showing on instance 1 and 2 (null: never). */
  fresh: { fromCommit: (number | null)[]; fromSpawn: (number | null)[]; commitFromSpawn: number };
  article: string;
}

/** The table for people and the one line of JSON for tools; fractions are of the mean of all bare runs. */
export function report(r: Run) {
  const ceiling = {
    rps: mean(r.bareRuns.map((b) => b.rps)),
    p50: mean(r.bareRuns.map((b) => b.p50)),
    p99: mean(r.bareRuns.map((b) => b.p99)),
  };
  const widths = [-15, -8, 8, 7, 8, 10, 6, -14, -6];
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => (widths[i]! < 0 ? c.padEnd(-widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const row = (setup: string, page: string, f: Figures, kb: number, extra: string[]) =>
    pad([
      setup,
      page,
      f.rps.toFixed(0),
      f.p50.toFixed(2),
      f.p99.toFixed(2),
      `${((f.rps / ceiling.rps) * 100).toFixed(1)}%`,
      (kb / 1024).toFixed(1),
      ...extra,
    ]);
  const ms = (x: number | null | undefined) => (x == null ? 'not within 60 s' : `${x.toFixed(0)} ms`);
  const lines = [
    `Dateline cluster: ${r.articles} articles (PostgreSQL), 2 instances + nginx (1 worker), wrk -t2 -c50 -d${r.duration}s, no Accept-Encoding`,
    `Import: ${r.importLine}`,
    '',
    pad(['setup', 'page', 'req/s', 'p50 ms', 'p99 ms', 'of ceiling', 'KB', 'app CPU s 1/2', 'cache']),
    row('ceiling', '(bare)', ceiling, r.bytes.article, []),
    ...r.runs.map((f) => {
      const warn = f.non2xx + f.socketErrors > 0 ? `  ! ${f.non2xx} non-2xx/3xx, ${f.socketErrors} socket errors` : '';
      return (
        row(SETUPS[f.setup], f.page, f, r.bytes[f.page], [f.cpu.map((c) => c.toFixed(1)).join(' / '), f.cacheStatus]) +
        warn
      );
    }),
    `ceiling = mean of ${r.bareRuns.length} interleaved bare runs, req/s: ${r.bareRuns.map((b) => b.rps.toFixed(0)).join(', ')}`,
    `URLs: article ${r.article}, home /`,
    '',
    `Peak RSS: instance 1 ${r.rss[0]!.toFixed(1)} MB, instance 2 ${r.rss[1]!.toFixed(1)} MB`,
    `Cross-instance freshness: instance 2 shows the new article ${ms(r.fresh.fromCommit[1])} after its commit ` +
      `(instance 1: ${ms(r.fresh.fromCommit[0])}; ${ms(r.fresh.fromSpawn[1])} from spawning \`dateline import\`, ` +
      `which committed ${r.fresh.commitFromSpawn.toFixed(0)} ms after spawn)`,
  ];
  const setupJson = (setup: Setup) =>
    Object.fromEntries(
      r.runs
        .filter((f) => f.setup === setup)
        .map((f) => [
          f.page,
          {
            ...{
              rps: round(f.rps, 1),
              p50: round(f.p50, 3),
              p99: round(f.p99, 3),
              fraction: round(f.rps / ceiling.rps, 4),
            },
            ...{ non2xx: f.non2xx, socketErrors: f.socketErrors, appCpuSeconds: f.cpu.map((c) => round(c, 2)) },
          },
        ]),
    );
  const json = JSON.stringify({
    ...{ bench: 'cluster', articles: r.articles, durationSeconds: r.duration, connections: 50 },
    ceiling: {
      rps: round(ceiling.rps, 1),
      p50: round(ceiling.p50, 3),
      p99: round(ceiling.p99, 3),
      runs: r.bareRuns.map((b) => round(b.rps, 0)),
    },
    ...{
      nginxCached: setupJson('nginxCached'),
      nginxUncached: setupJson('nginxUncached'),
      direct: setupJson('direct'),
    },
    peakRssMb: r.rss.map((x) => round(x, 1)),
    crossInstanceMs: r.fresh.fromCommit[1] == null ? null : round(r.fresh.fromCommit[1], 0),
    crossInstanceFromSpawnMs: r.fresh.fromSpawn[1] == null ? null : round(r.fresh.fromSpawn[1], 0),
  });
  return { table: `${lines.join('\n')}\n`, json };
}
