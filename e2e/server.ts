/**
 * Starts the real, built server (`node bin/dateline.js serve`) for browser
 * tests: a fresh temporary directory for the SQLite file and the media, a free
 * port, demo content, plus the fixtures: a multi-article story, then the
 * reference article. Weather comes from a local fixture server standing in
 * for Open-Meteo (`src/weather/fixtures/`): the browser tests never reach the
 * network.
 *
 * The demo loads only into an empty database, and the running server's page
 * cache would not hear of an import made by another process, so the order is:
 * serve (demo loads) → stop → import the fixtures → serve again.
 *
 * @example
 *   const server = await startTestServer();
 *   await page.goto(`${server.url}/`);
 *   await server.stop();
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type FixtureServer, startFixtureServer } from '../src/weather/fixtures/fixture-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'dateline.js');
export const FIXTURE_FILE = join(ROOT, 'e2e', 'fixtures', 'reference-article.jsonl');
/** One story told in three articles within hours, with coverage a week before and after (imported first). */
export const STORY_FIXTURE_FILE = join(ROOT, 'e2e', 'fixtures', 'ferry-story.jsonl');

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT = 20_000;

export interface TestServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** SIGTERM, wait for the process to exit, remove the temporary directory. */
  stop(): Promise<void>;
}

/** An abstract illustration (river between two hills under a sun) for the fixture's lead image. */
export const LEAD_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
<title>A river between two hills</title>
<rect width="1200" height="675" fill="#dbeefa"/>
<circle cx="930" cy="150" r="80" fill="#f6c445"/>
<path d="M0 420 Q250 250 520 400 L520 675 L0 675 Z" fill="#5c9e5a"/>
<path d="M560 430 Q880 230 1200 380 L1200 675 L560 675 Z" fill="#437f45"/>
<path d="M470 675 C520 560 610 520 560 430 C530 380 600 350 640 330 L700 330 C650 360 600 390 640 440 C700 520 640 600 680 675 Z" fill="#2f6fb3"/>
<path d="M0 600 L1200 600 L1200 675 L0 675 Z" fill="#3b6e3d" opacity="0.35"/>
</svg>
`;

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

interface Serving {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

function serve(env: NodeJS.ProcessEnv): Serving {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Polls `/healthz` until it answers 200; fails early if the process exits. */
async function waitUntilHealthy(url: string, serving: Serving): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void serving.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`dateline serve exited (code ${exitCode}) before it was ready:\n${serving.output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dateline serve was not healthy within ${READY_TIMEOUT_MS} ms:\n${serving.output()}`);
}

async function stopServing(serving: Serving): Promise<void> {
  if (serving.child.exitCode !== null || serving.child.signalCode !== null) return;
  serving.child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([serving.exited, timer])) === 'timeout') {
    serving.child.kill('SIGKILL');
    await serving.exited;
  }
}

async function startHealthy(url: string, env: NodeJS.ProcessEnv): Promise<Serving> {
  const serving = serve(env);
  try {
    await waitUntilHealthy(url, serving);
    return serving;
  } catch (err) {
    await stopServing(serving);
    throw err;
  }
}

async function importFixture(env: NodeJS.ProcessEnv, file: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [BIN, 'import', file], { cwd: ROOT, env, timeout: 30_000 });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`dateline import ${file} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Starts a server with demo content and the fixtures; call `stop()` when done. */
export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dateline-e2e-'));
  const mediaDir = join(dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  await writeFile(join(mediaDir, 'lead.svg'), LEAD_SVG);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const weather: FixtureServer = await startFixtureServer();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SITE_URL: url,
    DATABASE_URL: `sqlite:${join(dir, 'dateline.db')}`,
    MEDIA_DIR: mediaDir,
    DEMO_CONTENT: 'on',
    LOG_LEVEL: 'warn',
    WEATHER_PROVIDER: 'open-meteo',
    OPEN_METEO_URL: weather.url,
    OPEN_METEO_GEOCODING_URL: weather.url,
  };

  let serving: Serving | undefined;
  const cleanUp = async () => {
    if (serving) await stopServing(serving);
    await weather.close();
    await rm(dir, { recursive: true, force: true });
  };
  // If the test run dies without calling stop(), do not leave a server behind.
  const killOnExit = () => serving?.child.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    serving = await startHealthy(url, env); // first start loads the demo into the empty database
    await stopServing(serving);
    // The reference article last: it is the newest article, the home page's top story.
    for (const file of [STORY_FIXTURE_FILE, FIXTURE_FILE]) await importFixture(env, file);
    serving = await startHealthy(url, env);
  } catch (err) {
    process.off('exit', killOnExit);
    await cleanUp();
    throw err;
  }

  return {
    url,
    async stop() {
      process.off('exit', killOnExit);
      await cleanUp();
    },
  };
}
