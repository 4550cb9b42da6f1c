/**
 * "Did you mean …": a query with its misspelt words replaced by the most
 * used word of the site's headlines and standfirsts one edit away (a letter
 * dropped, added, changed, or two swapped — most typing mistakes). Pure: the
 * words and their counts come from `search_words` (`suggest.repository.ts`).
 *
 * @example
 *   const wanted = wordsToCheck(parseQuery('goverment budget')); // ['goverment', 'budget']
 *   const counts = await wordCounts(db, [...wanted, ...wanted.flatMap(oneEditAway)]);
 *   suggestQuery(parseQuery('goverment budget'), counts); // 'government budget'
 */
import type { ParsedQuery, Term } from './query.js';

/** The words a suggestion index keeps: runs of letters, 3 to 24 of them, lower-cased. */
const WORD = /\p{L}+/gu;
export const MIN_WORD = 3;
export const MAX_WORD = 24;
/** Words of one query corrected at most: each costs a few hundred primary-key probes. */
const MAX_CHECKED = 5;
/** A known word is replaced only by one used this many times more often (a typo in a headline stays a typo). */
const MORE_COMMON = 20;

/**
 * The distinct words of a text as the suggestion index keeps them.
 *
 * @example
 *   indexWords('Dam talks: the DAM holds'); // ['dam', 'talks', 'the', 'holds']
 */
export function indexWords(text: string): string[] {
  const words = new Set(text.normalize('NFC').toLowerCase().match(WORD) ?? []);
  return [...words].filter((w) => w.length >= MIN_WORD && w.length <= MAX_WORD);
}

/** The query's words that a suggestion may correct: looked for (not excluded), letters only, not prefixes. */
export function wordsToCheck(query: ParsedQuery): string[] {
  const words = query.terms
    .filter((t) => !t.negated && t.kind !== 'prefix')
    .flatMap((t) => t.words)
    .filter((w) => /^\p{L}+$/u.test(w) && w.length >= MIN_WORD && w.length <= MAX_WORD);
  return [...new Set(words)].slice(0, MAX_CHECKED);
}

/** Lower-case alphabets whose letters a replaced or inserted letter is taken from, when the word uses them. */
const ALPHABETS = [
  [0x61, 0x7a], // Latin a–z
  [0x430, 0x44f], // Cyrillic а–я
  [0x3b1, 0x3c9], // Greek α–ω
].map(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, i) => String.fromCodePoint(from! + i)));

/**
 * Every string one edit from `word`: a letter deleted, two neighbours swapped, a letter replaced or inserted
 * (from the alphabets the word uses — Latin, Cyrillic, Greek — and the word's own letters).
 *
 * @example
 *   oneEditAway('teh').includes('the'); // true
 */
export function oneEditAway(word: string): string[] {
  const own = [...word];
  const letters = [...new Set([...ALPHABETS.filter((a) => own.some((c) => a.includes(c))).flat(), ...own])];
  const chars = own;
  const out = new Set<string>();
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i);
    if (tail.length > 0) out.add(head + tail.slice(1).join(''));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2).join(''));
    for (const c of letters) {
      if (tail.length > 0) out.add(head + c + tail.slice(1).join(''));
      out.add(head + c + tail.join(''));
    }
  }
  out.delete(word);
  return [...out].filter((w) => w.length >= MIN_WORD);
}

/**
 * The query with each checked word replaced by its best neighbour, written back as a query (phrases quoted,
 * exclusions and prefixes kept), or undefined when no word changed.
 */
export function suggestQuery(query: ParsedQuery, counts: ReadonlyMap<string, number>): string | undefined {
  const replaced = new Map<string, string>();
  for (const word of wordsToCheck(query)) {
    const own = counts.get(word) ?? 0;
    let best: [string, number] | undefined;
    for (const candidate of oneEditAway(word)) {
      const n = counts.get(candidate) ?? 0;
      if (n > 0 && (!best || n > best[1] || (n === best[1] && candidate < best[0]))) best = [candidate, n];
    }
    if (best && best[1] >= Math.max(1, own * MORE_COMMON)) replaced.set(word, best[0]);
  }
  if (replaced.size === 0) return undefined;
  return query.terms.map((t) => write(t, (w) => replaced.get(w) ?? w)).join(' ');
}

function write(term: Term, fix: (w: string) => string): string {
  const words = term.words.map(fix);
  const body = term.kind === 'phrase' ? `"${words.join(' ')}"` : `${words[0]}${term.kind === 'prefix' ? '*' : ''}`;
  return `${term.negated ? '-' : ''}${body}`;
}
