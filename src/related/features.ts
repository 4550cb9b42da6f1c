/**
 * What the related-news engine knows about an article's text: weighted terms
 * (stems of the headline, standfirst and body in the article's language,
 * headline weighted up: Porter for English as always, Snowball for the main
 * European languages, words cut by `Intl.Segmenter` in Chinese, Japanese or
 * Thai, stop words per language; see `src/lib/text/`),
 * named-entity phrases (runs of capitalised words inside sentences, e.g.
 * "Malaysia Airlines", "Bank of England") and word pairs from the headline.
 * Pure functions; the index stores what they return.
 *
 * @example
 *   const f = extractFeatures({ headline: 'Volcano erupts in Iceland', standfirst: '', body: '' });
 *   f.terms.get('volcano'); // 1.5 (headline weight)
 */
import { stemmer } from 'stemmer';
import { baseLanguage, wordLanguage } from '../lib/text/languages.js';
import { hasUnspaced, spaced, words as textWords } from '../lib/text/segment.js';
import { normalizeWord, stem } from '../lib/text/stem.js';
import { isStopword, stopwords } from '../lib/text/stopwords.js';

const STOPWORDS = stopwords('en');

/** How much a word counts in each part of an article. */
export const FIELD_WEIGHT = { headline: 1.5, standfirst: 1, body: 1 } as const;
/**
 * A pair of adjacent headline words counts as much as a headline word: two
 * headlines sharing "Malaysia Airlines" are far likelier one story than two
 * sharing "Malaysia" and "Airlines" apart. At half this weight, same-story
 * clustering merged many more different stories (BCubed precision 0.73).
 */
const PAIR_WEIGHT = FIELD_WEIGHT.headline;
/**
 * An entity phrase adds this share of a word in the same place. Small on
 * purpose: its words already count, and on topical corpora a strong entity
 * weight pulled in other stories about the same company rather than the topic.
 */
const ENTITY_WEIGHT = 0.3;
/**
 * A tag or the section adds this much, like half a word: a weak signal by
 * design (the editors' filing, not the article's words). Sections are shared
 * by so many articles that their idf keeps them weaker still.
 */
const LABEL_WEIGHT = 0.5;
/** Only the start of a long body is read: news puts what matters first, and it bounds the work per article. */
const BODY_WORDS = 600;

export interface Label {
  slug: string;
  name: string;
}

export interface TextParts {
  headline: string;
  standfirst: string;
  body: string;
  /** Where the newsroom filed the article: features `§section-slug` and `#tag-slug`. */
  section?: Label;
  tags?: Label[];
  /** The article's language tag (`ru`, `pt-BR`); English when absent. */
  language?: string;
}

export interface Features {
  /**
   * Feature → weight. Words are stems (`erupt`), entities `@malaysia airlin`,
   * headline pairs `volcano+erupt`, the section `§world`, tags `#iceland`.
   */
  terms: Map<string, number>;
  /** Feature → how it was written, for explanations (`erupt` → `erupts`, `@malaysia airlin` → `Malaysia Airlines`). */
  surface: Map<string, string>;
  /** The article's words (lowercased), for its length and its SimHash. */
  words: string[];
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

function fold(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]s$/, '')
    .replace(/['’]/g, '');
}

/**
 * A word's feature key: its stem in its language (the article's, or its script's usual one: a Latin name in a
 * Russian article is read as English), or undefined for stopwords and one-letter fragments (a single Chinese
 * character is a word). English is read as it always was (folded accents, Porter), so English features do not move.
 *
 * @example
 *   stemOf('новостей', 'ru'); // 'новост'
 *   stemOf('Erupts'); // 'erupt'
 */
export function stemOf(word: string, language = 'en'): string | undefined {
  // Latin letters and digits in English, the bulk of the work, skip the script lookup.
  const lang = language === 'en' && word.charCodeAt(0) < 0x250 ? 'en' : wordLanguage(word, language);
  if (lang === 'en') return englishStem(word);
  const w = normalizeWord(word, lang);
  if (isStopword(w, lang)) return undefined;
  if (w.length < 2 && !/\p{Script=Han}/u.test(w)) return undefined;
  return /^\p{N}+$/u.test(w) ? w : stem(w, lang);
}

function englishStem(word: string): string | undefined {
  const w = fold(word);
  if (w === 'us' && /^U\.?S\.?$/.test(word)) return 'us';
  if (w.length < 2 || STOPWORDS.has(w)) return undefined;
  return /^\d+$/.test(w) ? w : stemmer(w);
}

/**
 * The words of a text as the engine reads them. English as always (a word may keep an apostrophe: "Britain's");
 * other languages split at apostrophes too ("l'homme" is "l" and "homme"). Unspaced scripts are cut by the
 * segmenter in either.
 */
function wordsOf(text: string, language: string): string[] {
  if (language !== 'en') return textWords(text);
  return (hasUnspaced(text) ? spaced(text) : text).match(WORD) ?? [];
}

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word);
/** Small words allowed inside an entity phrase ("Bank of England", "Isle of Man"). */
const JOINERS = new Set(['of', 'de', 'la', 'van', 'von', 'del', 'da', 'and', 'for', 'the']);

/**
 * Capitalised runs inside sentences: "…said Prime Minister Gordon Brown." →
 * "Prime Minister Gordon Brown". A sentence's first word only starts a phrase
 * when the next word is capitalised too ("Bank of England said…"). In a
 * Title Case headline every word is capitalised, so headlines are left out.
 */
export function entityPhrases(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.split(/(?<=[.!?:;"“”])\s+|\n+/)) {
    const words = sentence.match(WORD) ?? [];
    let run: string[] = [];
    const flush = () => {
      while (run.length > 0 && JOINERS.has((run[run.length - 1] as string).toLowerCase())) run.pop();
      const startsSentence = run.length > 0 && run[0] === words[0];
      if (run.length >= 2 || (run.length === 1 && !startsSentence && (run[0] as string).length > 2)) {
        out.push(run.join(' '));
      }
      run = [];
    };
    for (const word of words) {
      if (isCapitalised(word) && !/^\d/.test(word)) run.push(word);
      else if (run.length > 0 && JOINERS.has(word)) run.push(word);
      else flush();
    }
    flush();
  }
  return out;
}

/** An entity phrase's feature key: its stems joined, or undefined when no word survives. */
export function entityKey(phrase: string, language = 'en'): string | undefined {
  const stems = (phrase.match(WORD) ?? []).map((w) => stemOf(w, language)).filter((s): s is string => s !== undefined);
  if (stems.length === 0) return undefined;
  return `@${stems.join(' ')}`;
}

function add(terms: Map<string, number>, key: string, weight: number): void {
  terms.set(key, (terms.get(key) ?? 0) + weight);
}

function firstWords(text: string, limit: number): string {
  let count = 0;
  let end = text.length;
  for (const m of text.matchAll(/\S+/g)) {
    if (++count > limit) {
      end = m.index ?? end;
      break;
    }
  }
  return text.slice(0, end);
}

/**
 * Read this far into a body in a language other than English, before the BODY_WORDS words are counted: a
 * Chinese body has no spaces to count by, and segmenting all of it would cost what the rest of the work does.
 */
const BODY_CHARS = BODY_WORDS * 12;

/**
 * The features of one article, read in its language: `language` (a tag such as `ru` or `pt-BR`), else the
 * parts' own, else English.
 */
export function extractFeatures(parts: TextParts, language: string = parts.language ?? 'en'): Features {
  const lang = baseLanguage(language);
  const terms = new Map<string, number>();
  const surface = new Map<string, string>();
  const words: string[] = [];
  const body = firstWords(lang === 'en' ? parts.body : parts.body.slice(0, BODY_CHARS), BODY_WORDS);
  const fields: [string, number][] = [
    [parts.headline, FIELD_WEIGHT.headline],
    [parts.standfirst, FIELD_WEIGHT.standfirst],
    [body, FIELD_WEIGHT.body],
  ];
  const fieldWords = fields.map(([text], i) => {
    const found = wordsOf(text, lang);
    // Unspaced text (Chinese) has its words counted only once cut.
    return i === 2 && lang !== 'en' && found.length > BODY_WORDS ? found.slice(0, BODY_WORDS) : found;
  });
  fields.forEach(([, weight], i) => {
    for (const word of fieldWords[i] ?? []) {
      words.push(word.toLowerCase());
      const stem = stemOf(word, lang);
      if (!stem) continue;
      add(terms, stem, weight);
      if (!surface.has(stem)) surface.set(stem, word.toLowerCase());
    }
  });
  // Adjacent headline words: "apple+iphon" says more than "apple" and "iphon" apart.
  const headlineStems = (fieldWords[0] ?? []).map((w) => stemOf(w, lang)).filter((s): s is string => !!s);
  for (let i = 1; i < headlineStems.length; i++) {
    add(terms, `${headlineStems[i - 1]}+${headlineStems[i]}`, PAIR_WEIGHT);
  }
  for (const [text, weight] of fields.slice(1)) {
    for (const phrase of entityPhrases(text)) {
      const key = entityKey(phrase, lang);
      if (!key) continue;
      add(terms, key, weight * ENTITY_WEIGHT);
      if (!surface.has(key)) surface.set(key, phrase);
    }
  }
  const labels = [
    ...(parts.section ? [{ key: `§${parts.section.slug}`, shown: `§${parts.section.name}` }] : []),
    ...(parts.tags ?? []).map((t) => ({ key: `#${t.slug}`, shown: `#${t.name}` })),
  ];
  for (const { key, shown } of labels) {
    if (terms.has(key)) continue;
    terms.set(key, LABEL_WEIGHT);
    surface.set(key, shown);
  }
  return { terms, surface, words };
}
