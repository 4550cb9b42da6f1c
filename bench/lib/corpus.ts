/**
 * The benchmark's articles: every BBC article, then Reuters articles that
 * have a body, until N; each given a `published` date in the last 60 days so
 * that the home page, sections and "latest" look like a live site.
 *
 * @example
 *   const { count } = await writeSelection('/tmp/x/articles.jsonl', 10_000, new Date());
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const SOURCES = ['bbc_fulltext.jsonl.gz', 'reuters21578_train.jsonl.gz'];
const SPREAD_MS = 60 * 24 * 3600 * 1000;
/** A prime stride interleaves the sources in time instead of dating all BBC articles newest. */
const STRIDES = [7919, 7907];

type CorpusRecord = { id: string; body?: string; [key: string]: unknown };

async function* fullTextRecords(): AsyncGenerator<CorpusRecord> {
  for (const name of SOURCES) {
    const input = createReadStream(DATA + name);
    try {
      for await (const line of createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity })) {
        if (line.trim() === '') continue;
        const record = JSON.parse(line) as CorpusRecord;
        if (record.body) yield record;
      }
    } finally {
      input.destroy();
    }
  }
}

/** Dates index i of n: a fixed permutation of n evenly spaced slots before `now`. */
export function publishedAt(i: number, n: number, now: Date): Date {
  const stride = STRIDES.find((s) => n % s !== 0) ?? 1;
  const slot = (i * stride) % n;
  const anchor = Math.floor(now.getTime() / 60_000) * 60_000 - 60_000;
  return new Date(anchor - Math.floor(((slot + 0.5) * SPREAD_MS) / n));
}

/** Writes up to n full-text articles as JSON Lines; returns how many were written and from which sources. */
export async function writeSelection(
  file: string,
  n: number,
  now: Date,
): Promise<{ count: number; bySource: Map<string, number> }> {
  const out = createWriteStream(file);
  const bySource = new Map<string, number>();
  let count = 0;
  for await (const record of fullTextRecords()) {
    if (count >= n) break;
    const line = `${JSON.stringify({ ...record, published: publishedAt(count, n, now).toISOString() })}\n`;
    if (!out.write(line)) await once(out, 'drain');
    const source = record.id.split(':')[0] ?? '?';
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    count++;
  }
  out.end();
  await once(out, 'finish');
  return { count, bySource };
}
