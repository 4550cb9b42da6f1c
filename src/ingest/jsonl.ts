/**
 * Reads JSON Lines files, gzip-compressed or plain (told apart by their
 * first bytes, not their name), line by line with line numbers.
 *
 * @example
 *   for await (const { number, text } of readLines('articles.jsonl.gz')) console.error(number, text.length);
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  number: number;
  text: string;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export async function* readLines(path: string): AsyncGenerator<Line> {
  const file = createReadStream(path);
  const input: Readable = (await isGzip(path)) ? file.pipe(createGunzip()) : file;
  let number = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    yield { number, text };
  }
}
