import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRecordSchema } from '../../src/ingest/import-record.js';
import { seeded } from './related-corpus.js';
import {
  type Pool,
  publishedAt,
  recombine,
  recombineBody,
  recombineHeadline,
  type SourceArticle,
  writeCorpus,
  writeSamples,
} from './related-scale-corpus.js';

const article = (title: string, paragraphs: string[], extra: Partial<SourceArticle> = {}): SourceArticle => ({
  source: 'Wire',
  title,
  paragraphs,
  ...extra,
});

const wire = [
  article('COCOA SHOWERS EASE BAHIA DROUGHT', [
    'SALVADOR, Feb 26 - Showers eased the drought.',
    'Arrivals rose.',
    'Prices fell.',
  ]),
  article('STANDARD OIL FORMS FINANCIAL UNIT', ['CLEVELAND, Feb 26 - A venture.', 'BP owns a stake.'], {
    category: 'acq',
  }),
  article('WHEAT EXPORTS RISE SHARPLY', ['WASHINGTON, March 3 - Exports rose.', 'Demand was strong.', 'Asia bought.']),
];
const briefs = [
  article('Keith Richards writes children book', [], { category: 'entertainment', url: 'http://x.test/a' }),
];
const pool: Pool = { fullText: [wire], briefs };

describe('recombineHeadline', () => {
  it('swaps one or two words for words of other headlines in the same corpus, keeping the length', () => {
    const random = seeded(1);
    const donorWords = new Set(wire.flatMap((a) => a.title.split(' ')));
    for (let i = 0; i < 50; i++) {
      const title = recombineHeadline(wire[0]!.title, wire, random);
      const words = title.split(' ');
      expect(words).toHaveLength(5);
      for (const w of words) expect(donorWords.has(w)).toBe(true);
      expect(words.filter((w, k) => w !== wire[0]!.title.split(' ')[k]).length).toBeLessThanOrEqual(2);
    }
  });

  it('leaves a headline with no word to swap as it is', () => {
    expect(recombineHeadline('G7 - 2.5 %', wire, seeded(1))).toBe('G7 - 2.5 %');
  });
});

describe('recombineBody', () => {
  it('keeps the lead first and every paragraph of the article, plus one or two from the other (never its lead)', () => {
    const random = seeded(7);
    for (let i = 0; i < 30; i++) {
      const paragraphs = recombineBody(wire[0]!, wire[2]!, random).split('\n\n');
      expect(paragraphs[0]).toBe(wire[0]!.paragraphs[0]);
      for (const p of wire[0]!.paragraphs) expect(paragraphs).toContain(p);
      const spliced = paragraphs.filter((p) => !wire[0]!.paragraphs.includes(p));
      expect(spliced.length).toBeGreaterThanOrEqual(1);
      expect(spliced.length).toBeLessThanOrEqual(2);
      for (const p of spliced) expect(wire[2]!.paragraphs.slice(1)).toContain(p);
    }
  });
});

describe('publishedAt', () => {
  it('spreads N records oldest first over five years ending an hour before now', () => {
    const now = Date.UTC(2026, 0, 1);
    const random = seeded(3);
    const dates = Array.from({ length: 1000 }, (_, n) => publishedAt(n, 1000, now, random).getTime());
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    expect(dates[0]).toBeGreaterThanOrEqual(now - 3_600_000 - 5 * 365.25 * 86_400_000);
    expect(dates.at(-1)).toBeLessThanOrEqual(now - 3_600_000);
  });
});

describe('recombine', () => {
  it('makes records the import accepts: new id, unique URL, category kept, no body for briefs', () => {
    const random = seeded(11);
    const records = Array.from({ length: 200 }, (_, n) => recombine(pool, random, String(n), new Date(0)));
    for (const r of records) expect(importRecordSchema.safeParse(r).success).toBe(true);
    expect(records.map((r) => r.id)).toEqual(records.map((_, n) => `scale:${n}`));
    const withBriefs = records.filter((r) => r.body === undefined);
    expect(withBriefs.length).toBeGreaterThan(0);
    for (const r of withBriefs)
      expect(r).toMatchObject({ category: 'entertainment', url: `http://x.test/a?scale=${r.id.slice(6)}` });
  });

  it('leaves the date out when none is given (the article service publishes it now)', () => {
    expect(recombine(pool, seeded(1), 'new-0', undefined)).not.toHaveProperty('published');
  });
});

describe('writeCorpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-scale-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
  const withoutDate = ({ published: _published, ...rest }: Record<string, string>) => rest;

  it('is deterministic for a seed, and record n has the same text whatever the size', async () => {
    const now = Date.UTC(2026, 0, 1);
    await writeCorpus(join(dir, 'a.jsonl'), 50, pool, 42, now);
    await writeCorpus(join(dir, 'b.jsonl'), 50, pool, 42, now);
    await writeCorpus(join(dir, 'c.jsonl'), 80, pool, 42, now);
    await writeCorpus(join(dir, 'd.jsonl'), 50, pool, 43, now);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b.jsonl'), 'utf8'));
    expect(lines(join(dir, 'c.jsonl')).slice(0, 50).map(withoutDate)).toEqual(
      lines(join(dir, 'a.jsonl')).map(withoutDate),
    );
    expect(readFileSync(join(dir, 'd.jsonl'), 'utf8')).not.toBe(readFileSync(join(dir, 'a.jsonl'), 'utf8'));
  });

  it('writes samples with ids outside the corpus', async () => {
    await writeSamples(join(dir, 's.jsonl'), 5, pool, 42);
    expect(lines(join(dir, 's.jsonl')).map((r) => r['id'])).toEqual([0, 1, 2, 3, 4].map((n) => `scale:new-${n}`));
  });
});
