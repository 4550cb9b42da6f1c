import { describe, expect, it } from 'vitest';
import { bodyWords, type LabelledDoc, sampleQueries } from './related-corpus.js';
import { ShownPrecision } from './related-metrics.js';
import { compressTime, headlineOnly, reindexCorpus, shufflePublishers, youngSite } from './related-stress.js';

const HOUR = 3_600_000;
const doc = (index: number, published: number | undefined, labels = ['s1']): LabelledDoc => ({
  index,
  externalId: `x:${index}`,
  title: `Headline ${index}`,
  body: 'Body text.',
  published,
  labels,
  record: {
    id: `x:${index}`,
    source: `Pub ${index}`,
    category: `cat${index}`,
    title: `Headline ${index}`,
    body: 'Body text.',
    ...(published === undefined ? {} : { published: new Date(published).toISOString() }),
  },
});

describe('stress versions', () => {
  it('squeezes dates towards the earliest by the factor, in the record too', () => {
    const docs = compressTime([doc(0, 0), doc(1, 10 * HOUR), doc(2, undefined)], 10);
    expect(docs.map((d) => d.published)).toEqual([0, HOUR, undefined]);
    expect(docs[1]?.record['published']).toBe(new Date(HOUR).toISOString());
  });

  it('deals publishers and filing out again, keeping every value once', () => {
    const docs = Array.from({ length: 20 }, (_, i) => doc(i, i));
    const shuffled = shufflePublishers(docs, 3);
    const sources = shuffled.map((d) => d.record['source']);
    expect(new Set(sources)).toEqual(new Set(docs.map((d) => d.record['source'])));
    expect(sources).not.toEqual(docs.map((d) => d.record['source']));
    expect(shuffled.map((d) => d.title)).toEqual(docs.map((d) => d.title));
  });

  it('keeps only the headline, with a link, and no date', () => {
    const [d] = headlineOnly([doc(0, 5)]);
    expect(d?.record).toEqual({
      id: 'x:0',
      source: 'Pub 0',
      category: 'cat0',
      title: 'Headline 0',
      url: 'https://source.test/x%3A0',
    });
    expect(d?.published).toBeUndefined();
    expect(d?.body).toBe('');
  });

  it('draws a young site as consecutive dated articles, or at random without dates', () => {
    const dated = Array.from({ length: 50 }, (_, i) => doc(i, (50 - i) * HOUR));
    const sample = youngSite(dated, 10, 1).map((d) => d.published ?? 0);
    expect(sample).toHaveLength(10);
    expect(sample.at(-1)! - sample[0]!).toBe(9 * HOUR);
    const undated = Array.from({ length: 50 }, (_, i) => doc(i, undefined));
    const drawn = youngSite(undated, 10, 1).map((d) => d.index);
    expect(new Set(drawn).size).toBe(10);
    expect(youngSite(undated, 10, 2).map((d) => d.index)).not.toEqual(drawn);
  });

  it('renumbers a sample and lists its labels', () => {
    const corpus = reindexCorpus([doc(7, 1, ['a']), doc(9, 2, ['a', 'b'])]);
    expect(corpus.docs.map((d) => d.index)).toEqual([0, 1]);
    expect(corpus.byLabel.get('a')).toEqual([0, 1]);
    expect(corpus.byLabel.get('b')).toEqual([1]);
  });
});

describe('ShownPrecision', () => {
  it('pools relevant shown over shown, and counts an empty list as no error', () => {
    const shown = new ShownPrecision();
    shown.add([1, 2, 3], new Set([1, 2]));
    shown.add([], new Set([4]));
    shown.add([5], new Set<number>());
    expect(shown.result()).toEqual({
      precision: 2 / 4,
      judgedPrecision: 2 / 4,
      perArticle: 4 / 3,
      articles: 3,
      emptyArticles: 1,
    });
  });

  it('leaves items the corpus cannot judge out of the judged precision, and counts them shown', () => {
    const shown = new ShownPrecision();
    const labelled = (id: number) => id !== 3;
    shown.add([1, 2, 3], new Set([1]), labelled);
    shown.add([4], new Set([4]), labelled);
    const r = shown.result();
    expect(r.precision).toBe(2 / 4);
    expect(r.judgedPrecision).toBe(2 / 3);
    expect(r.perArticle).toBe(2);
  });

  it('is 1 when nothing at all was shown', () => {
    const shown = new ShownPrecision();
    shown.add([], new Set([1]));
    expect(shown.result().precision).toBe(1);
  });
});

describe('long-article queries', () => {
  it('keeps only the queries whose body has at least the given number of words', () => {
    const long = { ...doc(0, undefined), body: Array.from({ length: 600 }, (_, i) => `w${i}`).join(' \n') };
    const short = { ...doc(1, undefined), body: Array.from({ length: 599 }, (_, i) => `w${i}`).join(' ') };
    const lonely = { ...long, index: 2, labels: ['only'] };
    const corpus = reindexCorpus([long, short, lonely]);
    expect(bodyWords(long)).toBe(600);
    expect(sampleQueries(corpus, 10, 1, 600).map((d) => d.index)).toEqual([0]);
    expect(
      sampleQueries(corpus, 10, 1)
        .map((d) => d.index)
        .sort(),
    ).toEqual([0, 1]);
  });
});
