/**
 * Stems by language: Snowball (`snowball-stemmers`) for the languages it
 * has, the Porter stemmer (`stemmer`) for English — what the related engine
 * has always used, so English features stay as they were. Words are
 * remembered per language: the Snowball port takes 10–50 µs a word, and news
 * repeats its words.
 *
 * @example
 *   stem('новостей', 'ru'); // 'новост'
 *   stem('Häuser', 'de'); // 'haus'
 *   stem('новин', 'uk'); // 'новин' (no stemmer: the word, lower-cased)
 */
import { newStemmer } from 'snowball-stemmers';
import { stemmer as porter } from 'stemmer';
import { baseLanguage, snowballAlgorithm } from './languages.js';

/** Words remembered per language; the memo starts again when full (a long import meets rare words forever). */
const MEMO_LIMIT = 100_000;
const memos = new Map<string, { stem: (w: string) => string; seen: Map<string, string> }>();

function stemmerOf(language: string): ((w: string) => string) | undefined {
  if (language === 'en') return porter;
  const algorithm = snowballAlgorithm(language);
  if (!algorithm) return undefined;
  const s = newStemmer(algorithm);
  return (w) => s.stem(w);
}

/** Whether words of this language are stemmed (Ukrainian, Chinese… are not). */
export function hasStemmer(language: string): boolean {
  const base = baseLanguage(language);
  return base === 'en' || snowballAlgorithm(base) !== undefined;
}

/**
 * A word as the languages' own rules fold it before stemming: lower case, composed (NFC), and in Russian "ё"
 * as "е" (how Russian is usually printed, and what PostgreSQL's Snowball does).
 */
export function normalizeWord(word: string, language: string): string {
  const w = word.normalize('NFC').toLowerCase();
  return baseLanguage(language) === 'ru' ? w.replaceAll('ё', 'е') : w;
}

/** The stem of a word in a language (normalized first); the normalized word itself where there is no stemmer. */
export function stem(word: string, language: string): string {
  const base = baseLanguage(language);
  const w = normalizeWord(word, base);
  let memo = memos.get(base);
  if (!memo) {
    const s = stemmerOf(base);
    if (!s) return w;
    memo = { stem: s, seen: new Map() };
    memos.set(base, memo);
  }
  let out = memo.seen.get(w);
  if (out === undefined) {
    out = memo.stem(w);
    if (memo.seen.size >= MEMO_LIMIT) memo.seen.clear();
    memo.seen.set(w, out);
  }
  return out;
}
