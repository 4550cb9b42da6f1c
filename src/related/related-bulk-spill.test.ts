import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { PackSpill } from './related-bulk-spill.js';
import type { CountedPack } from './related-bulk-task.js';

const pack = (first: number, n: number): CountedPack => {
  const offsets = Uint32Array.from({ length: n + 1 }, (_, k) => k * 3 - (k > 1 ? 1 : 0));
  const features = offsets[n] as number;
  return {
    ids: Int32Array.from({ length: n }, (_, k) => first + k),
    publishedMs: Float64Array.from({ length: n }, (_, k) => 1.7e12 + k * 1000.5),
    words: Int32Array.from({ length: n }, (_, k) => 100 + k),
    simhashes: Array.from({ length: n }, (_, k) => (k ? `ffffffff0000000${k}` : '0123456789abcdef')),
    offsets,
    terms: Int32Array.from({ length: features }, (_, k) => (k % 2 ? -k * 7919 : k * 104729)),
    counts: Float64Array.from({ length: features }, (_, k) => k / 3 + 0.1),
  };
};

it('gives back the packs written, in order and bit for bit, then nothing; its file goes on close', async () => {
  const spill = await PackSpill.open();
  const written = [pack(1, 3), pack(10, 1), pack(20, 4)];
  for (const p of written) await spill.write(p);
  expect(spill.count).toBe(3);
  const read: CountedPack[] = [];
  for (let p = await spill.read(); p; p = await spill.read()) read.push(p);
  expect(read).toEqual(written);
  expect(await spill.read()).toBeUndefined();
  const dir = (spill as unknown as { dir: string }).dir;
  expect(existsSync(dir)).toBe(true);
  await spill.close();
  expect(existsSync(dir)).toBe(false);
});
