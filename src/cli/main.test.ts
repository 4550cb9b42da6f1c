import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from './main.js';

describe('dateline CLI', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
    process.env.DATABASE_URL = join(dir, 'cli.db');
    process.env.MEDIA_DIR = join(dir, 'media');
    process.env.LOG_LEVEL = 'silent';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    process.env = saved;
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates and then reports the database up to date', async () => {
    expect(await run(['migrate'])).toBe(0);
    expect(await run(['migrate'])).toBe(0);
    expect(process.stdout.write).toHaveBeenCalledWith('Database is up to date.\n');
  });

  it('imports a file and exits 3 when some lines failed', async () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'c:1', title: 'Fine' })}\nnot json\n`);
    expect(await run(['import', file])).toBe(3);
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringMatching(/^line 2: invalid JSON/));
    writeFileSync(file, JSON.stringify({ id: 'c:1', title: 'Fine' }));
    expect(await run(['import', file])).toBe(0);
  });

  it('exits 2 on bad usage and on bad configuration, naming every bad variable', async () => {
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['import'])).toBe(2);
    process.env.PORT = 'abc';
    process.env.SITE_TIMEZONE = 'Mars/Olympus';
    try {
      expect(await run(['migrate'])).toBe(2);
      const printed = vi
        .mocked(process.stderr.write)
        .mock.calls.map((c) => String(c[0]))
        .join('');
      expect(printed).toContain('PORT');
      expect(printed).toContain('SITE_TIMEZONE');
    } finally {
      delete process.env.PORT;
      delete process.env.SITE_TIMEZONE;
    }
  });
});
