import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileToStore, INCOMING, MANIFEST, readStored, storeAtomically, sweepIncoming } from './storage.js';

const HASH = '0123456789abcdef0123456789abcdef';

describe('storing an image atomically', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dateline-storage-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const files = (n: number): FileToStore[] =>
    Array.from({ length: n }, (_, i) => ({ name: `w${i}.jpg`, data: Buffer.from(`file ${i}`) }));

  it('writes every file and the manifest under the hash, and nothing is left in .incoming', async () => {
    expect(await storeAtomically(root, HASH, files(3), { hash: HASH })).toBe('stored');
    expect(readdirSync(join(root, HASH)).sort()).toEqual([MANIFEST, 'w0.jpg', 'w1.jpg', 'w2.jpg']);
    expect(readFileSync(join(root, HASH, 'w2.jpg'), 'utf8')).toBe('file 2');
    expect(readdirSync(join(root, INCOMING))).toEqual([]);
    expect(await readStored(root, HASH)).toEqual({ hash: HASH });
  });

  it('shows nothing under the public name while the files are being written', async () => {
    const seen: boolean[] = [];
    const watched = files(4).map((f) => ({
      name: f.name,
      get data() {
        seen.push(existsSync(join(root, HASH)));
        return f.data;
      },
    }));
    await storeAtomically(root, HASH, watched, {});
    expect(seen).toEqual([false, false, false, false]);
    expect(existsSync(join(root, HASH, 'w3.jpg'))).toBe(true);
  });

  it('leaves no folder and no half file when a write fails part-way', async () => {
    // The third file cannot be created (its folder does not exist): the first two were written already.
    const failing = [...files(2), { name: 'missing-folder/w2.jpg', data: Buffer.from('x') }, ...files(1)];
    await expect(storeAtomically(root, HASH, failing, {})).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(root, HASH))).toBe(false);
    expect(readdirSync(join(root, INCOMING))).toEqual([]);
    expect(await readStored(root, HASH)).toBeUndefined();
  });

  it('keeps the folder already stored when the same image is stored again', async () => {
    await storeAtomically(root, HASH, [{ name: 'a.jpg', data: Buffer.from('first') }], { n: 1 });
    expect(await storeAtomically(root, HASH, [{ name: 'a.jpg', data: Buffer.from('second') }], { n: 2 })).toBe(
      'existed',
    );
    expect(readFileSync(join(root, HASH, 'a.jpg'), 'utf8')).toBe('first');
    expect(await readStored(root, HASH)).toEqual({ n: 1 });
    expect(readdirSync(join(root, INCOMING))).toEqual([]);
  });

  it('sets aside a folder without a readable manifest, so that it can be stored again', async () => {
    mkdirSync(join(root, HASH));
    writeFileSync(join(root, HASH, MANIFEST), '{ not json');
    expect(await readStored(root, HASH)).toBeUndefined();
    expect(existsSync(join(root, HASH))).toBe(false);
    expect(readdirSync(join(root, INCOMING))).toEqual([expect.stringMatching(new RegExp(`^old-${HASH}-`))]);
    expect(await storeAtomically(root, HASH, files(1), { ok: true })).toBe('stored');
  });

  it('sweeps what interrupted uploads left more than the given age ago, and only that', async () => {
    const old = join(root, INCOMING, `${HASH}-old`);
    const recent = join(root, INCOMING, `${HASH}-recent`);
    mkdirSync(old, { recursive: true });
    mkdirSync(recent);
    writeFileSync(join(old, 'w1.jpg'), 'half');
    const twoHoursAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    expect(await sweepIncoming(root, 3_600_000)).toBe(1);
    expect(readdirSync(join(root, INCOMING))).toEqual([`${HASH}-recent`]);
    expect(await sweepIncoming(join(root, 'nowhere'), 0)).toBe(0);
  });
});
