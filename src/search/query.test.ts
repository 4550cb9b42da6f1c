import { describe, expect, it } from 'vitest';
import { highlighter } from './highlight.js';
import { highlightWords, indexPrefix, MAX_TERMS, parseQuery, type TsQuery, toFts5, toTsquery } from './query.js';

/** A query as PostgreSQL reads it, written out: `config:operand` alternatives in brackets when there are several. */
function written(q: TsQuery | undefined): string {
  const term = (t: TsQuery['terms'][number]) => {
    const alternatives = t.alternatives.map((a) => (a.config === 'english' ? a.text : `${a.config}:${a.text}`));
    const one = alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' | ')})`;
    return t.negated ? `!${one}` : one;
  };
  return (q?.terms ?? []).map(term).join(q?.match === 'any' ? ' | ' : ' & ');
}

describe('parseQuery', () => {
  it('reads words, phrases, exclusions and prefixes', () => {
    expect(parseQuery('"Peaceful solution" -Crimea talk* dam').terms).toEqual([
      { kind: 'phrase', words: ['peaceful', 'solution'], negated: false, raw: 'Peaceful solution' },
      { kind: 'word', words: ['crimea'], negated: true, raw: 'Crimea' },
      { kind: 'prefix', words: ['talk'], negated: false, raw: 'talk*' },
      { kind: 'word', words: ['dam'], negated: false, raw: 'dam' },
    ]);
  });

  it('keeps only letters, digits and marks, so no operator reaches the index', () => {
    const parsed = parseQuery(`NEAR(dam "river" AND x) ' ; -- ^dam "unbalanced`);
    expect(toFts5(parsed)).toBe('"near dam" "river" "x" "dam" "unbalanced"');
    // PostgreSQL parses each term as typed, quoted: its own syntax cannot be reached either.
    expect(written(toTsquery(parsed))).toBe("'NEAR(dam' & 'river' & 'x)' & '^dam' & 'unbalanced'");
    expect(written(toTsquery(parseQuery("it's a \\' trap")))).toBe("'it''s' & 'trap'");
  });

  it('keeps a hyphenated or dotted token together as a phrase', () => {
    expect(parseQuery('covid-19').terms).toEqual([
      { kind: 'phrase', words: ['covid', '19'], negated: false, raw: 'covid-19' },
    ]);
  });

  it('ignores stop words unless they are all there is', () => {
    expect(toFts5(parseQuery('the dam and the river'))).toBe('"dam" "river"');
    expect(toFts5(parseQuery('the'))).toBe('"the"');
    expect(toFts5(parseQuery('"university of oxford"'))).toBe('"university of oxford"');
  });

  it('searches a short prefix as a word, and a long one as the stems hold it', () => {
    expect(parseQuery('a*').terms[0]?.kind).toBe('word');
    expect(indexPrefix('negotiat')).toBe('negoti');
    expect(written(toTsquery(parseQuery('negotiat* -minist*')))).toBe("'negoti':* & !'minis':*");
  });

  it('finds nothing to search in exclusions alone, in junk, or past the length and term limits', () => {
    expect(parseQuery('-dam -river')).toMatchObject({ searchable: false });
    expect(toFts5(parseQuery('-dam'))).toBeUndefined();
    expect(parseQuery('"" * - \u0000 🌊').terms).toEqual([]);
    expect(parseQuery('word '.repeat(5000)).terms).toHaveLength(1);
    expect(parseQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).terms).toHaveLength(MAX_TERMS);
  });
});

describe('highlighter', () => {
  const marks = highlighter(highlightWords(parseQuery('talks negotiat* -river')));

  it('marks words by stem and prefix, escaping everything else', () => {
    expect(marks.mark('Talk & <talking> with negotiators by the river')).toBe(
      '<mark>Talk</mark> &amp; &lt;<mark>talking</mark>&gt; with <mark>negotiators</mark> by the river',
    );
  });

  it('cuts a snippet around the densest matches', () => {
    const text = `${'filler '.repeat(100)}the talks began ${'more '.repeat(100)}`;
    const snippet = marks.snippet(text, 10);
    expect(snippet).toBe(`… ${'filler '.repeat(4)}the <mark>talks</mark> began more more more …`);
    expect(marks.snippet('No match here at all', 3)).toBe('No match here …');
  });
});

describe('queries by language', () => {
  it('tries a Cyrillic word as written and as its Russian stem', () => {
    const q = parseQuery('новостей -спорт');
    expect(toFts5(q)).toBe('("новостей" OR "новост") NOT "спорт"');
    expect(written(toTsquery(q))).toBe("(russian:'новостей' | 'новостей') & !(russian:'спорт' | 'спорт')");
  });

  it('cuts a Chinese query into a phrase of words', () => {
    const q = parseQuery('今日新闻');
    expect(q.terms).toEqual([{ kind: 'phrase', words: ['今日', '新闻'], negated: false, raw: '今日新闻' }]);
    expect(toFts5(q)).toBe('"今日 新闻"');
    expect(written(toTsquery(q))).toBe("'今日 新闻'");
  });

  it("tries Latin words in the site's language too, and drops its stop words", () => {
    const q = parseQuery('die Häuser', 'de');
    expect(q.terms.map((t) => t.words)).toEqual([['häuser']]);
    expect(toFts5(q, 'all', 'de')).toBe('("häuser" OR "haus")');
    expect(written(toTsquery(q, 'all', 'de'))).toBe("(german:'Häuser' | 'Häuser')");
  });

  it('leaves English queries as they were', () => {
    const q = parseQuery('the houses "peaceful solution"');
    expect(toFts5(q)).toBe('"houses" "peaceful solution"');
    expect(written(toTsquery(q))).toBe("'houses' & 'peaceful solution'");
  });
});

describe('highlighter by language', () => {
  it('marks inflected forms of a Russian query word, and Chinese words inside unspaced text', () => {
    expect(highlighter(highlightWords(parseQuery('новостей'))).mark('Обзор новости дня')).toBe(
      'Обзор <mark>новости</mark> дня',
    );
    expect(highlighter(highlightWords(parseQuery('新闻'))).mark('今日新闻。')).toBe('今日<mark>新闻</mark>。');
    expect(highlighter(highlightWords(parseQuery('新闻'))).snippet('今日新闻')).toBe('今日<mark>新闻</mark>');
  });

  it('marks German inflections on a German site only', () => {
    const words = highlightWords(parseQuery('Haus', 'de'));
    expect(highlighter(words, 'de').mark('Die Häuser')).toBe('Die <mark>Häuser</mark>');
    expect(highlighter(words).mark('Die Häuser')).toBe('Die Häuser');
  });
});
