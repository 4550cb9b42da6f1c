/**
 * Highlighted text for results: escaped HTML with the query's words in
 * `<mark>`. Pure. The index matches stems (FTS5's Porter stemmer, PostgreSQL's
 * English dictionary), so a word matches here when its light stem equals a
 * query word's: "talks" finds "talk" and "talking" as the index did. A query
 * word in another language matches by its Snowball stem in the languages the
 * query tried ("новостей" marks "новости"), and Chinese or Japanese text is
 * cut into words, so "新闻" is marked inside "今日新闻".
 */
import { escapeHtml } from '../lib/html.js';
import { queryLanguages } from '../lib/text/languages.js';
import { wordSpans } from '../lib/text/segment.js';
import { hasStemmer, stem } from '../lib/text/stem.js';

export interface Highlighter {
  /** The whole text, escaped, with matching words marked. */
  mark(text: string): string;
  /** About `words` words of the text around its densest run of matches (the start when none), escaped and marked. */
  snippet(text: string, words?: number): string;
}

const SUFFIXES = ['ational', 'ations', 'ation', 'ings', 'ing', 'ies', 'ied', 'edly', 'ed', 'es', 'ly', 's'];

/** A light English stem, for comparing words, not for showing them. */
export function lightStem(word: string): string {
  const w = word.toLowerCase();
  for (const suffix of SUFFIXES) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  }
  return w;
}

/**
 * A highlighter for these words (stem-compared) and prefixes (plain prefix of the lower-cased word).
 *
 * @example
 *   highlighter({ words: ['talk'], prefixes: [] }).mark('Talks <begin>');
 *   // '<mark>Talks</mark> &lt;begin&gt;'
 */
export function highlighter(query: { words: string[]; prefixes: string[] }, language = 'en'): Highlighter {
  const stems = new Set(query.words.map(lightStem));
  // Stems in the other languages the query's words were tried in, each with its language.
  const snowball = new Set<string>();
  for (const w of query.words)
    for (const l of queryLanguages(w, language)) if (l !== 'en' && hasStemmer(l)) snowball.add(`${l}:${stem(w, l)}`);
  const languages = [...new Set([...snowball].map((k) => k.slice(0, k.indexOf(':'))))];
  const prefixes = query.prefixes.map((p) => p.toLowerCase());
  const matches = (word: string) => {
    const lower = word.toLowerCase();
    return (
      stems.has(lightStem(lower)) ||
      prefixes.some((p) => lower.startsWith(p)) ||
      languages.some((l) => snowball.has(`${l}:${stem(lower, l)}`))
    );
  };

  function render(text: string, from = 0, to = text.length, spans = wordSpans(text)): string {
    let out = '';
    let at = from;
    for (const span of spans) {
      if (span.at < from) continue;
      if (span.at >= to) break;
      if (!matches(span.word)) continue;
      out += `${escapeHtml(text.slice(at, span.at))}<mark>${escapeHtml(span.word)}</mark>`;
      at = span.end;
    }
    return out + escapeHtml(text.slice(at, to));
  }

  return {
    mark: (text) => render(text),
    snippet(text, size = 30) {
      const spans = wordSpans(text);
      const tokens = spans.map((s) => ({ at: s.at, end: s.end, hit: matches(s.word) }));
      if (tokens.length === 0) return '';
      // The window of `size` words holding the most matches, by a running count.
      let best = 0;
      let bestCount = -1;
      let count = 0;
      for (let i = 0; i < tokens.length; i++) {
        if (tokens[i]!.hit) count++;
        if (i >= size && tokens[i - size]!.hit) count--;
        const start = Math.max(0, i - size + 1);
        if (count > bestCount) {
          bestCount = count;
          best = start;
        }
      }
      // Start a few words before the first match, so it reads in context.
      const firstHit = tokens.findIndex((t, i) => i >= best && t.hit);
      const start = bestCount > 0 && firstHit >= 0 ? Math.max(0, firstHit - 5) : 0;
      const end = Math.min(tokens.length, start + size);
      const from = tokens[start]!.at;
      const to = end < tokens.length ? tokens[end - 1]!.end : text.length;
      return `${start > 0 ? '… ' : ''}${render(text, from, to, spans)}${end < tokens.length ? ' …' : ''}`;
    },
  };
}
