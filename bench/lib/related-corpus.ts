/**
 * The labelled corpus for `bench:related`: read, de-duplicated (same title and
 * body: the first is kept), labels parsed, and a deterministic query sample.
 *
 * @example
 *   const corpus = await loadLabelled('../shared/data/bbc_fulltext.jsonl.gz', 'category');
 *   const queries = sampleQueries(corpus.docs, 2000, 42);
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export type LabelKind = 'story' | 'category';

export interface LabelledDoc {
  /** Position in the de-duplicated corpus. */
  index: number;
  /** The corpus `id`, stored by the import as the article's external id. */
  externalId: string;
  title: string;
  body: string;
  /** Milliseconds since the epoch, or undefined (BBC). */
  published: number | undefined;
  /** The gold labels (a story id, or the `;`-separated categories); empty when unlabelled. */
  labels: string[];
  /** The record as it is in the file, to be written out for the import. */
  record: Record<string, unknown>;
}

export interface LabelledCorpus {
  docs: LabelledDoc[];
  duplicates: number;
  /** Records left out because `accept` refused them (e.g. the import would reject them). */
  rejected: number;
  /** For each label, the indexes of the documents carrying it. */
  byLabel: Map<string, number[]>;
}

async function* readRecords(path: string): AsyncGenerator<Record<string, unknown>> {
  const input = createReadStream(path);
  const stream = path.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>;
    }
  } finally {
    input.destroy();
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseLabels(record: Record<string, unknown>, kind: LabelKind): string[] {
  const raw = str(record[kind]);
  if (kind === 'story') return raw ? [raw] : [];
  return [
    ...new Set(
      raw
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

export async function loadLabelled(
  path: string,
  kind: LabelKind,
  accept: (record: Record<string, unknown>) => boolean = () => true,
): Promise<LabelledCorpus> {
  const docs: LabelledDoc[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let rejected = 0;
  for await (const record of readRecords(path)) {
    if (!accept(record)) {
      rejected++;
      continue;
    }
    const title = str(record['title']);
    const body = str(record['body']);
    const key = `${title}\u0000${body}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const date = typeof record['published'] === 'string' ? Date.parse(record['published']) : Number.NaN;
    docs.push({
      index: docs.length,
      externalId: str(record['id']),
      title,
      body,
      published: Number.isNaN(date) ? undefined : date,
      labels: parseLabels(record, kind),
      record,
    });
  }
  return reindexCorpus(docs, duplicates, rejected);
}

/** Documents renumbered from 0 with their label lists: a corpus of its own (a stress version, a sample). */
export function reindexCorpus(docs: LabelledDoc[], duplicates = 0, rejected = 0): LabelledCorpus {
  const renumbered = docs.map((d, index) => ({ ...d, index }));
  const byLabel = new Map<string, number[]>();
  for (const d of renumbered) {
    for (const l of d.labels) {
      const list = byLabel.get(l);
      if (list) list.push(d.index);
      else byLabel.set(l, [d.index]);
    }
  }
  return { docs: renumbered, duplicates, rejected, byLabel };
}

/** The other documents sharing at least one label with `doc`. */
export function relevantTo(doc: LabelledDoc, corpus: LabelledCorpus): Set<number> {
  const out = new Set<number>();
  for (const l of doc.labels) for (const i of corpus.byLabel.get(l) ?? []) if (i !== doc.index) out.add(i);
  return out;
}

/** mulberry32: a small seeded generator, so the query sample is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many words a document's body has (whitespace-separated, as the engine counts them). */
export const bodyWords = (doc: LabelledDoc): number => doc.body.split(/\s+/).filter(Boolean).length;

/**
 * Up to n documents that have at least one other document with the same label
 * (and a body of at least `minWords` words: the long-article queries),
 * Fisher–Yates shuffled by seed.
 */
export function sampleQueries(corpus: LabelledCorpus, n: number, seed: number, minWords = 0): LabelledDoc[] {
  const eligible = corpus.docs.filter(
    (d) => relevantTo(d, corpus).size > 0 && (minWords === 0 || bodyWords(d) >= minWords),
  );
  const random = seeded(seed);
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [eligible[i], eligible[j]] = [eligible[j] as LabelledDoc, eligible[i] as LabelledDoc];
  }
  return eligible.slice(0, n);
}

/** Writes the de-duplicated records (labels still in; the import's transform removes them). */
export async function writeRecords(path: string, docs: LabelledDoc[]): Promise<void> {
  const out = createWriteStream(path);
  for (const d of docs) if (!out.write(`${JSON.stringify(d.record)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
