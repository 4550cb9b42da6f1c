/**
 * The scale benchmark's corpus (`bench:related -- --scale N`): N articles made
 * by recombining the real corpora in ../shared/data, streamed to a JSON Lines
 * file in the import's format. Each record takes a real article, keeps its
 * lead, shuffles its other paragraphs with one or two spliced in from another
 * article of the same corpus, swaps a word or two of its headline for words of
 * another headline of that corpus, and keeps its source and category (the
 * import turns the category into the section). A tenth are headline-only
 * briefs from the UCI headlines. New ids (`scale:<n>`), dates spread evenly
 * over five years. Deterministic for a seed: record n has the same text
 * whatever N is (only its date depends on N). Synthetic: the vocabulary is
 * the real corpora's, about 30,000 articles, however large N is.
 *
 * @example
 *   const pool = await loadPool();
 *   await writeCorpus('/tmp/corpus.jsonl', 10_000, pool, 42, Date.now());
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLines } from '../../src/ingest/jsonl.js';
import { seeded } from './related-corpus.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const FULL_TEXT = ['bbc_fulltext.jsonl.gz', 'reuters21578_train.jsonl.gz', 'wikinews_2019.jsonl.gz'];
/** Headlines only (UCI): a share of the corpus becomes briefs, as wires and aggregators publish them. */
const BRIEFS = 'uci_newsagg_5pub.jsonl.gz';
const BRIEF_SHARE = 0.1;
const SPAN_MS = 5 * 365.25 * 86_400_000;

export interface SourceArticle {
  source: string;
  title: string;
  /** The body's paragraphs (empty for a brief); the first is the lead. */
  paragraphs: string[];
  category?: string;
  url?: string;
}

/** The real articles to recombine, by corpus: a recombined article only borrows from its own corpus. */
export interface Pool {
  fullText: SourceArticle[][];
  briefs: SourceArticle[];
}

export async function loadPool(dir = DATA): Promise<Pool> {
  const read = async (name: string, withBody: boolean) => {
    const out: SourceArticle[] = [];
    for await (const { text } of readLines(join(dir, name))) {
      if (text.trim() === '') continue;
      const r = JSON.parse(text) as Record<string, string | undefined>;
      const paragraphs = (r['body'] ?? '').split(/\n{2,}/).filter((p) => p.trim() !== '');
      if (!r['title'] || (withBody && paragraphs.length === 0)) continue;
      out.push({
        source: r['source'] ?? 'Wire',
        title: r['title'],
        paragraphs,
        ...(r['category'] ? { category: r['category'] } : {}),
        ...(r['url'] ? { url: r['url'] } : {}),
      });
    }
    return out;
  };
  const fullText: SourceArticle[][] = [];
  for (const name of FULL_TEXT) fullText.push(await read(name, true));
  return { fullText, briefs: await read(BRIEFS, false) };
}

type Random = () => number;
const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)] as T;

export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const WORD = /^\p{L}{3,}$/u;

/** The headline with one word (sometimes two) replaced by a word of another headline from the same corpus. */
export function recombineHeadline(title: string, others: readonly SourceArticle[], random: Random): string {
  const words = title.split(' ');
  const swaps = random() < 0.3 ? 2 : 1;
  for (let s = 0; s < swaps; s++) {
    const slots = words.flatMap((w, i) => (WORD.test(w) ? [i] : []));
    const donors = pick(others, random)
      .title.split(' ')
      .filter((w) => WORD.test(w));
    if (slots.length === 0 || donors.length === 0) break;
    words[pick(slots, random)] = pick(donors, random);
  }
  return words.join(' ');
}

/** The lead stays first (it carries the wire dateline and becomes the standfirst); the rest, with one or two paragraphs spliced in from another article, is shuffled. */
export function recombineBody(article: SourceArticle, other: SourceArticle, random: Random): string {
  const [lead, ...rest] = article.paragraphs;
  const spliced = shuffle(other.paragraphs.slice(1), random).slice(0, random() < 0.5 ? 1 : 2);
  return [lead, ...shuffle([...rest, ...spliced], random)].join('\n\n');
}

/** Publication time of record n of N: N even slots over 5 years ending an hour before `now`, jittered within the slot. */
export function publishedAt(n: number, total: number, now: number, random: Random): Date {
  const slot = SPAN_MS / total;
  return new Date(Math.round(now - 3_600_000 - SPAN_MS + (n + random()) * slot));
}

const uniqueUrl = (url: string | undefined, key: string) =>
  url ? { url: `${url}${url.includes('?') ? '&' : '?'}scale=${key}` } : {};

/** One recombined import record; `published` undefined means "now" (the article service stamps it). */
export function recombine(pool: Pool, random: Random, key: string, published: Date | undefined) {
  const brief = random() < BRIEF_SHARE;
  const corpus = brief ? pool.briefs : pickCorpus(pool.fullText, random);
  const article = pick(corpus, random);
  const title = recombineHeadline(article.title, corpus, random);
  return {
    id: `scale:${key}`,
    source: article.source,
    ...uniqueUrl(article.url, key),
    title,
    ...(brief ? {} : { body: recombineBody(article, pick(corpus, random), random) }),
    ...(article.category ? { category: article.category } : {}),
    ...(published ? { published: published.toISOString() } : {}),
  };
}

/** A corpus in proportion to its size, so that every real article is reused about equally often. */
function pickCorpus(corpora: SourceArticle[][], random: Random): SourceArticle[] {
  let r = Math.floor(random() * corpora.reduce((n, c) => n + c.length, 0));
  for (const c of corpora) {
    if (r < c.length) return c;
    r -= c.length;
  }
  return corpora.at(-1) as SourceArticle[];
}

/** Streams `count` records to a JSON Lines file (never more than a stream buffer in memory); returns its bytes. */
async function writeRecords(
  file: string,
  count: number,
  record: (n: number) => Record<string, unknown>,
): Promise<number> {
  const out = createWriteStream(file);
  for (let n = 0; n < count; n++) if (!out.write(`${JSON.stringify(record(n))}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}

/** The corpus of `total` articles, oldest first, the newest an hour before `now`. */
export function writeCorpus(file: string, total: number, pool: Pool, seed: number, now: number): Promise<number> {
  const random = seeded(seed);
  return writeRecords(file, total, (n) => recombine(pool, random, String(n), publishedAt(n, total, now, random)));
}

/** New articles for the compute runs: ids outside the corpus, no date (published on save). */
export function writeSamples(file: string, count: number, pool: Pool, seed: number): Promise<number> {
  const random = seeded(seed + 1);
  return writeRecords(file, count, (n) => recombine(pool, random, `new-${n}`, undefined));
}
