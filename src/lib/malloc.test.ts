import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedMmapThresholdEnv, MMAP_THRESHOLD_BYTES, runWithFixedMmapThreshold } from './malloc.js';

describe('fixedMmapThresholdEnv', () => {
  it('fixes the threshold for the bulk commands on Linux, keeping the rest of the environment', () => {
    for (const command of ['import', 'import-wordpress', 'import-ghost', 'related']) {
      const env = fixedMmapThresholdEnv([command, 'x'], { DATABASE_URL: 'postgres://h/db' }, 'linux');
      expect(env).toEqual({ DATABASE_URL: 'postgres://h/db', MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) });
    }
  });

  it('runs other commands, other systems and an operator-set allocator as they are', () => {
    expect(fixedMmapThresholdEnv(['serve'], {}, 'linux')).toBeUndefined();
    expect(fixedMmapThresholdEnv([], {}, 'linux')).toBeUndefined();
    expect(fixedMmapThresholdEnv(['import', 'f'], {}, 'darwin')).toBeUndefined();
    expect(fixedMmapThresholdEnv(['import', 'f'], { MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux')).toBeUndefined();
    const tunables = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144' };
    expect(fixedMmapThresholdEnv(['import', 'f'], tunables, 'linux')).toBeUndefined();
    // A tunable about something else leaves the threshold to be fixed.
    expect(fixedMmapThresholdEnv(['import', 'f'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux')).toEqual({
      GLIBC_TUNABLES: 'glibc.malloc.arena_max=2',
      MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES),
    });
  });
});

describe('runWithFixedMmapThreshold', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dateline-malloc-'));
    script = join(dir, 'child.mjs');
    // Writes what it was given, then ends as its arguments say.
    await writeFile(
      script,
      `import { writeFileSync } from 'node:fs';
       const [, , command, out, how] = process.argv;
       writeFileSync(out, JSON.stringify({ command, threshold: process.env.MALLOC_MMAP_THRESHOLD_, keep: process.env.KEEP }));
       if (how === 'signal') process.kill(process.pid, 'SIGTERM');
       else process.exit(Number(how));`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs a bulk command in a child with the threshold fixed and answers its exit code', async () => {
    const out = join(dir, 'import.json');
    const code = await runWithFixedMmapThreshold(['import', out, '3'], {
      script,
      execArgv: [],
      env: { ...process.env, KEEP: 'yes' },
      platform: 'linux',
    });
    expect(code).toBe(3);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({
      command: 'import',
      threshold: String(MMAP_THRESHOLD_BYTES),
      keep: 'yes',
    });
  });

  it('answers 128 + the signal when a signal ends the child', async () => {
    const out = join(dir, 'signal.json');
    const code = await runWithFixedMmapThreshold(['related', out, 'signal'], {
      script,
      execArgv: [],
      platform: 'linux',
    });
    expect(code).toBe(128 + 15);
  });

  it('starts nothing for a command that runs here', async () => {
    expect(await runWithFixedMmapThreshold(['serve'], { script, platform: 'linux' })).toBeUndefined();
  });
});
