/**
 * A bulk command (an import, `related rebuild`) run again in a child process
 * with glibc's mmap threshold fixed at 128 KiB. glibc raises that threshold
 * each time a mapped block is freed, up to 32 MiB; after a few, every
 * allocation under it (buffers of worker results, of database writes and
 * reads, typed arrays growing with a hash table) comes from the main heap,
 * which never shrinks while anything near its top is alive. A million
 * articles' bulk pass kept 280 MB there at its peak. With a fixed threshold
 * large blocks are mapped and unmapped, and the heap stays near its live
 * size. The setting is read when the process starts, hence the child; an
 * operator's own (`MALLOC_MMAP_THRESHOLD_` or a `GLIBC_TUNABLES` naming
 * `mmap_threshold`) is kept, and elsewhere than Linux nothing changes.
 *
 * @example
 *   // bin/dateline.js: undefined when the command runs in this process
 *   const code = await runWithFixedMmapThreshold(argv, { script: fileURLToPath(import.meta.url) });
 *   process.exitCode = code ?? (await run(argv));
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Commands that hold an archive's index in memory. */
const BULK_COMMANDS = new Set(['import', 'import-wordpress', 'import-ghost', 'related']);
export const MMAP_THRESHOLD_BYTES = 128 * 1024;

/** The environment to run `argv` with, or undefined when it should run here, as it is. */
export function fixedMmapThresholdEnv(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): NodeJS.ProcessEnv | undefined {
  if (platform !== 'linux' || !BULK_COMMANDS.has(argv[0] ?? '')) return undefined;
  if (env.MALLOC_MMAP_THRESHOLD_ !== undefined || env.GLIBC_TUNABLES?.includes('mmap_threshold')) return undefined;
  return { ...env, MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) };
}

export interface RespawnOptions {
  /** The script the child runs (`process.argv[1]`). */
  script: string;
  execArgv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * Runs `argv` in a child with the fixed threshold when it is a bulk command
 * (stdio shared, SIGINT/SIGTERM/SIGHUP passed on) and resolves to its exit
 * code (128 + the signal's number when a signal ended it); undefined when the
 * command should run in this process.
 */
export function runWithFixedMmapThreshold(argv: readonly string[], o: RespawnOptions): Promise<number | undefined> {
  const env = fixedMmapThresholdEnv(argv, o.env ?? process.env, o.platform ?? process.platform);
  if (!env) return Promise.resolve(undefined);
  const child = spawn(process.execPath, [...(o.execArgv ?? process.execArgv), o.script, ...argv], {
    env,
    stdio: 'inherit',
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of signals) process.on(s, pass);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, pass);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
