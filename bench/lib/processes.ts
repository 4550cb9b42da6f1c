/**
 * Child processes of the benchmark: the Dateline CLI (import, serve, worker) and the
 * bare reference server. Every child is tracked so `stopAll()` can end them
 * on success, error or Ctrl-C; every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/dateline.js', import.meta.url));
const BARE = fileURLToPath(new URL('../bare-server.mjs', import.meta.url));

const children = new Set<ChildProcess>();

/** Registers a child so that `stopAll()` and `killAllNow()` reach it. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** A child whose stdout and stderr are kept (the last 64 KB) for reports and error messages. */
export interface Child {
  process: ChildProcess;
  output: () => string;
}

function start(args: string[], env: NodeJS.ProcessEnv): Child {
  const child = track(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { process: child, output: () => output };
}

/** Ends a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stop(c)));
}

/** Last resort on process exit: synchronous, so it can only signal. */
export function killAllNow(): void {
  for (const c of children) c.kill('SIGKILL');
}

/**
 * Runs a benchmark's body with cleanup on success, failure and SIGINT/SIGTERM
 * (children stopped, temporary state removed); exit code 1 on failure, 130 when
 * interrupted.
 */
export async function runWithCleanup(
  name: string,
  body: () => Promise<void>,
  cleanup: () => Promise<void>,
  log: (text: string) => void,
): Promise<void> {
  let interrupted = false;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`\n${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await body();
    await cleanup();
  } catch (err) {
    if (!interrupted) log(`${name} failed: ${(err as Error).stack ?? err}`);
    await cleanup();
    process.exitCode = 1;
  }
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Runs `dateline import FILE`; resolves with its stdout, the wall time and the exit code. */
export async function runImport(file: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  const started = performance.now();
  const child = start([CLI, 'import', file], env);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child.process, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  return { code: code ?? signal, seconds: (performance.now() - started) / 1000, output: child.output() };
}

/**
 * Spawns `dateline serve` and polls `GET /` every 10 ms until it answers 200;
 * `firstResponseMs` counts from spawn.
 */
export async function startDateline(port: number, env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
  const started = performance.now();
  const child = start([CLI, 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}/`;
  while (performance.now() - started < timeoutMs) {
    if (child.process.exitCode !== null)
      throw new Error(`dateline serve exited with ${child.process.exitCode}:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { child, url, firstResponseMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await stop(child.process);
  throw new Error(`dateline serve gave no 200 on / within ${timeoutMs} ms:\n${child.output()}`);
}

/**
 * Spawns `dateline worker` (the jobs without a web server, at `WORKER_NICE`)
 * and waits for its "running jobs" line.
 */
export async function startWorker(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Child> {
  const started = performance.now();
  // Its ready line is logged at info.
  const child = start([CLI, 'worker'], { ...env, LOG_LEVEL: 'info' });
  while (!child.output().includes('Dateline worker is running jobs')) {
    if (child.process.exitCode !== null || performance.now() - started > timeoutMs) {
      await stop(child.process);
      throw new Error(`dateline worker did not start:\n${child.output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat, 100 ticks a second). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts bench/bare-server.mjs answering every request with FILE; resolves once it listens. */
export async function startBare(port: number, file: string, contentType: string, timeoutMs = 10_000): Promise<Child> {
  const child = start([BARE, String(port), file, contentType], process.env);
  const deadline = performance.now() + timeoutMs;
  while (!child.output().includes('listening')) {
    if (child.process.exitCode !== null || performance.now() > deadline) {
      await stop(child.process);
      throw new Error(`bare server did not start:\n${child.output()}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(match[1]) / 1024;
}
