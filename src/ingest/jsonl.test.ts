import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type Line, openLines, readLines, UnreadableFileError } from './jsonl.js';

describe('reading JSON Lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-jsonl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const records = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ id: `l:${i + 1}`, title: `Headline ${i + 1} ${'x'.repeat(i % 97)}` }),
    );

  it('reads plain and gzip files alike, by their first bytes, with line numbers', async () => {
    const plain = join(dir, 'plain.jsonl');
    const gz = join(dir, 'compressed.data');
    writeFileSync(plain, 'one\r\ntwo\n\nfour');
    writeFileSync(gz, gzipSync('one\r\ntwo\n\nfour'));
    for (const file of [plain, gz]) {
      const lines: Line[] = [];
      for await (const line of readLines(file)) lines.push(line);
      expect(lines).toEqual([
        { number: 1, text: 'one' },
        { number: 2, text: 'two' },
        { number: 3, text: '' },
        { number: 4, text: 'four' },
      ]);
    }
  });

  it('fails before any line, with a one-line reason, when the file is missing or a directory', async () => {
    const missing = join(dir, 'missing.jsonl');
    await expect(openLines(missing)).rejects.toMatchObject({
      name: 'UnreadableFileError',
      code: 'ENOENT',
      path: missing,
      message: `no such file: ${missing}`,
    });
    await expect(openLines(dir)).rejects.toThrow(`a directory, not a file: ${dir}`);
    // readLines too: its first step rejects (no 'error' event left without a listener).
    await expect(readLines(missing).next()).rejects.toBeInstanceOf(UnreadableFileError);
  });

  it('rejects the iteration where a damaged gzip file breaks off, after the lines before it', async () => {
    const file = join(dir, 'truncated.jsonl.gz');
    const gz = gzipSync(records(5000).join('\n'));
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    let read = 0;
    const reading = (async () => {
      for await (const line of readLines(file)) read = line.number;
    })();
    await expect(reading).rejects.toThrow(/unexpected end of file/);
    expect(read).toBeGreaterThan(1000);
    expect(read).toBeLessThan(5000);
  });
});
