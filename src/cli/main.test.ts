import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { quietCli } from '../../test/helpers.js';
import { connect } from '../db/connect.js';
import { createSqliteQueue } from '../jobs/sqlite.queue.js';
import { run } from './main.js';

describe('dateline CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
  quietCli(() => ({ DATABASE_URL: join(dir, 'cli.db'), MEDIA_DIR: join(dir, 'media') }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates and then reports the database up to date', async () => {
    expect(await run(['migrate'])).toBe(0);
    expect(await run(['migrate'])).toBe(0);
    expect(process.stdout.write).toHaveBeenCalledWith('Database is up to date.\n');
  });

  it('imports a file and exits 3 when some lines failed', async () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'c:1', title: 'Fine', body: 'Fine body.' })}\nnot json\n`);
    expect(await run(['import', file])).toBe(3);
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringMatching(/^line 2: invalid JSON/));
    writeFileSync(file, JSON.stringify({ id: 'c:1', title: 'Fine', body: 'Fine body.' }));
    expect(await run(['import', file])).toBe(0);
  });

  it('prints a warning line per missing image file and still exits 0', async () => {
    const file = join(dir, 'images.jsonl');
    const record = {
      id: 'c:img',
      title: 'With a lost photo',
      body: 'Text.',
      lead_image: { src: '/media/lost.jpg', alt: 'Lost' },
    };
    writeFileSync(file, `\n${JSON.stringify(record)}\n`);
    const stderr = vi.mocked(process.stderr.write);
    stderr.mockClear();
    expect(await run(['import', file])).toBe(0);
    expect(stderr).toHaveBeenCalledWith('warning: line 2: lead image /media/lost.jpg is not in the media folder\n');
    expect(process.stdout.write).toHaveBeenCalledWith(expect.stringMatching(/; 0 failed, 1 warning\.\n$/));
  });

  it('exits 2 with one line, and no report, when the file to import is missing or a directory', async () => {
    const stdout = vi.mocked(process.stdout.write);
    const stderr = vi.mocked(process.stderr.write);
    const printed = () => stderr.mock.calls.map((c) => String(c[0]));
    const missing = join(dir, 'missing.jsonl');
    stdout.mockClear();
    stderr.mockClear();
    expect(await run(['import', missing])).toBe(2);
    expect(printed()).toEqual([`Import failed: no such file: ${missing}\n`]);
    stderr.mockClear();
    expect(await run(['import', dir])).toBe(2);
    expect(printed()).toEqual([`Import failed: a directory, not a file: ${dir}\n`]);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('rebuilds related news with a progress bar, and rejects other related subcommands', async () => {
    const file = join(dir, 'story.jsonl');
    writeFileSync(
      file,
      [
        { id: 'r:1', title: 'Harbour bridge closed after ship strikes pillar', published: '2024-03-26T05:00:00Z' },
        { id: 'r:2', title: 'Ship strikes harbour bridge pillar; bridge closed', published: '2024-03-26T07:00:00Z' },
      ]
        .map((r) => JSON.stringify({ ...r, body: `${r.title}.` }))
        .join('\n'),
    );
    expect(await run(['import', file])).toBe(0);
    expect(await run(['related', 'rebuild'])).toBe(0);
    // Each phase's bar ends with its rate (and, while running, the time left).
    expect(process.stderr.write).toHaveBeenCalledWith(
      expect.stringMatching(/^lists +\[#{20}\] 100% {2}\d+\/\d+ {2}\d+\.\d s {2}\d+(\.\d)?\/s\n$/),
    );
    expect(process.stdout.write).toHaveBeenCalledWith(expect.stringMatching(/^Rebuilt related news for \d+ articles/));
    expect(await run(['related'])).toBe(2);
    expect(await run(['related', 'rebuild', 'now'])).toBe(2);
  });

  it('lists the jobs that failed, or says there are none', async () => {
    expect(await run(['jobs'])).toBe(0);
    expect(process.stdout.write).toHaveBeenCalledWith('No failed jobs.\n');

    const database = await connect(process.env.DATABASE_URL!);
    const jobs = createSqliteQueue({ database, log: { info() {}, warn() {}, error() {} } });
    try {
      jobs.work('publish-article', async () => {
        throw new Error('article store unreachable');
      });
      await jobs.start();
      await jobs.send('publish-article', { articleId: 1 }, { retryLimit: 0 });
      while ((await jobs.failures()).length === 0) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await jobs.stop();
      await database.close();
    }
    expect(await run(['jobs', '--limit', '5'])).toBe(0);
    expect(process.stdout.write).toHaveBeenCalledWith(
      expect.stringMatching(/^failed at +job +attempts +error\n\S+Z +publish-article +1 +article store unreachable\n$/),
    );
    expect(await run(['jobs', '--limit', 'none'])).toBe(2);
  });

  it('exits 2 on bad usage and on bad configuration, naming every bad variable', async () => {
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['import'])).toBe(2);
    vi.mocked(process.stderr.write).mockClear();
    // An option the command does not know, or without its value: one line and the usage, not a stack trace.
    expect(await run(['import', '--help'])).toBe(2);
    expect(await run(['import', 'file.jsonl', '--batch'])).toBe(2);
    const said = vi
      .mocked(process.stderr.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');
    expect(said).toContain("Unknown option '--help'");
    expect(said).toContain("Option '--batch <value>' argument missing");
    expect(said).not.toMatch(/\bat \w+ \(/);
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
