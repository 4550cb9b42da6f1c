/**
 * Running wrk and reading its `--latency` report.
 *
 * @example
 *   const r = await runWrk('http://127.0.0.1:3000/', { connections: 50, durationSeconds: 10 });
 *   r.rps; // 12345.6
 *   r.p99; // 8.1 (ms)
 */
import { spawn } from 'node:child_process';
import { track } from './processes.js';

export interface WrkResult {
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  requests: number;
  /** Responses that were neither 2xx nor 3xx. */
  non2xx: number;
  /** connect + read + write + timeout socket errors. */
  socketErrors: number;
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Converts a wrk time such as `26.00us`, `2.82ms` or `1.39s` to milliseconds. */
export function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(value.trim());
  const factor = match ? MS_PER_UNIT[match[2] as string] : undefined;
  if (!match || factor === undefined) throw new Error(`not a wrk time: ${JSON.stringify(value)}`);
  return Number(match[1]) * factor;
}

/** Parses wrk's output (run with `--latency`); throws when a figure is missing. */
export function parseWrk(output: string): WrkResult {
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)\\s*$`, 'm').exec(output);
    if (!match) throw new Error(`wrk output has no ${p}% latency (was --latency given?)`);
    return toMs(match[1] as string);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  if (!rps) throw new Error('wrk output has no Requests/sec line');
  const requests = /^\s*(\d+) requests in /m.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    rps: Number(rps[1]),
    p50: percentile(50),
    p75: percentile(75),
    p90: percentile(90),
    p99: percentile(99),
    requests: requests ? Number(requests[1]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

export interface WrkOptions {
  connections: number;
  durationSeconds: number;
  threads?: number;
  /** Request headers to send (`accept-encoding: gzip`, as feed readers and crawlers do). */
  headers?: Record<string, string>;
}

/** Runs wrk against a 127.0.0.1 URL (no Accept-Encoding header, as wrk sends by default); killed if it overruns. */
export function runWrk(url: string, options: WrkOptions): Promise<WrkResult> {
  if (new URL(url).hostname !== '127.0.0.1')
    return Promise.reject(new Error(`refusing to load a non-local URL: ${url}`));
  const threads = Math.max(1, Math.min(options.threads ?? 2, options.connections));
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = [
    `-t${threads}`,
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--latency',
    ...headers,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = track(spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.durationSeconds + 30) * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run wrk: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`wrk ${args.join(' ')} ended with ${code ?? signal}:\n${out}`));
      try {
        resolve(parseWrk(out));
      } catch (err) {
        reject(new Error(`${(err as Error).message}:\n${out}`));
      }
    });
  });
}
