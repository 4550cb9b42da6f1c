/**
 * Counted features that do not fit a bulk pass's memory budget, kept in a
 * temporary file until they are weighed (`related-bulk.ts`): written once,
 * read back once, in order. Reading them back costs a fraction of what
 * reading every text from the database and extracting its features again
 * did (a million articles: five minutes of the import).
 *
 * @example
 *   const spill = await PackSpill.open();
 *   await spill.write(pack);
 *   for (let pack = await spill.read(); pack; pack = await spill.read()) weigh(pack);
 *   await spill.close(); // the file is removed
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CountedPack } from './related-bulk-task.js';

/** Per pack: articles, features; then ids, published times, words, SimHashes (two halves), offsets, terms, counts. */
const HEADER = 8;
const SIMHASH_BYTES = 8;

export class PackSpill {
  private written = 0;
  private readAt = 0;
  /** Packs written. */
  count = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async open(parent = tmpdir()): Promise<PackSpill> {
    const dir = await mkdtemp(join(parent, 'dateline-bulk-'));
    return new PackSpill(dir, await open(join(dir, 'counted.bin'), 'w+'));
  }

  async write(pack: CountedPack): Promise<void> {
    const n = pack.ids.length;
    const header = Buffer.alloc(HEADER);
    header.writeUInt32LE(n, 0);
    header.writeUInt32LE(pack.terms.length, 4);
    const hashes = Buffer.alloc(n * SIMHASH_BYTES);
    pack.simhashes.forEach((h, k) => {
      hashes.writeUInt32LE(Number.parseInt(h.slice(0, 8), 16), k * SIMHASH_BYTES);
      hashes.writeUInt32LE(Number.parseInt(h.slice(8), 16), k * SIMHASH_BYTES + 4);
    });
    const parts = [
      header,
      bytes(pack.ids),
      bytes(pack.publishedMs),
      bytes(pack.words),
      hashes,
      bytes(pack.offsets),
      bytes(pack.terms),
      bytes(pack.counts),
    ];
    const { bytesWritten } = await this.file.writev(parts, this.written);
    this.written += bytesWritten;
    this.count++;
  }

  /** The next pack written, in order; undefined after the last. */
  async read(): Promise<CountedPack | undefined> {
    if (this.readAt >= this.written) return undefined;
    const header = await this.bytesAt(HEADER);
    const n = header.readUInt32LE(0);
    const features = header.readUInt32LE(4);
    const body = await this.bytesAt(n * (4 + 8 + 4 + SIMHASH_BYTES) + (n + 1) * 4 + features * (4 + 8));
    let at = 0;
    // Copied out of the read buffer: each array on its own, aligned memory.
    const take = <T>(make: (b: ArrayBuffer) => T, length: number): T => {
      const copy = new ArrayBuffer(length);
      body.copy(new Uint8Array(copy), 0, at, at + length);
      at += length;
      return make(copy);
    };
    const ids = take((b) => new Int32Array(b), n * 4);
    const publishedMs = take((b) => new Float64Array(b), n * 8);
    const words = take((b) => new Int32Array(b), n * 4);
    const simhashes = Array.from({ length: n }, (_, k) => {
      const o = at + k * SIMHASH_BYTES;
      return hex(body.readUInt32LE(o)) + hex(body.readUInt32LE(o + 4));
    });
    at += n * SIMHASH_BYTES;
    const offsets = take((b) => new Uint32Array(b), (n + 1) * 4);
    const terms = take((b) => new Int32Array(b), features * 4);
    const counts = take((b) => new Float64Array(b), features * 8);
    return { ids, publishedMs, words, simhashes, offsets, terms, counts };
  }

  async close(): Promise<void> {
    await this.file.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async bytesAt(length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, this.readAt);
    if (bytesRead !== length) throw new Error('bulk related: the counted features file ended early');
    this.readAt += length;
    return buffer;
  }
}

const bytes = (a: Int32Array | Uint32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
