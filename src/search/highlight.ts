/**
 * Highlighted text for results: escaped HTML with the query's words in
 * `<mark>`. Pure. The index matches stems (FTS5's Porter stemmer, PostgreSQL's
 * English dictionary), so a word matches here when its light stem equals a
 * query word's: "talks" finds "talk" and "talking" as the index did.
 */
import { escapeHtml } from '../lib/html.js';

export interface Highlighter {
  /** The whole text, escaped, with matching words marked. */
  mark(text: string): string;
  /** About `words` words of the text around its densest run of matches (the start when none), escaped and marked. */
  snippet(text: string, words?: number): string;
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
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
export function highlighter(query: { words: string[]; prefixes: string[] }): Highlighter {
  const stems = new Set(query.words.map(lightStem));
  const prefixes = query.prefixes.map((p) => p.toLowerCase());
  const matches = (word: string) => {
    const lower = word.toLowerCase();
    return stems.has(lightStem(lower)) || prefixes.some((p) => lower.startsWith(p));
  };

  function render(text: string, from = 0, to = text.length): string {
    let out = '';
    let at = from;
    const token = new RegExp(TOKEN); // its own lastIndex: a shared one would leak into the next call
    token.lastIndex = from;
    for (let m = token.exec(text); m && m.index < to; m = token.exec(text)) {
      if (!matches(m[0])) continue;
      out += `${escapeHtml(text.slice(at, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
      at = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(at, to));
  }

  return {
    mark: (text) => render(text),
    snippet(text, size = 30) {
      const tokens = [...text.matchAll(TOKEN)].map((m) => ({
        at: m.index,
        end: m.index + m[0].length,
        hit: matches(m[0]),
      }));
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
      return `${start > 0 ? '… ' : ''}${render(text, from, to)}${end < tokens.length ? ' …' : ''}`;
    },
  };
}
