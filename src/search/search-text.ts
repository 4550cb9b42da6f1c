/**
 * An article's text as each full-text engine is given it, by the article's
 * language. Pure.
 *
 * - **Unspaced scripts** (Chinese, Japanese, Thai…) are cut into words
 *   (`Intl.Segmenter`) and the words separated by spaces: neither FTS5's
 *   unicode61 nor PostgreSQL's parser cuts "今日新闻", which would be one word.
 *   The reader's query is cut the same way (`query.ts`).
 * - **Stems.** PostgreSQL stems with the article's own text search
 *   configuration (`russian`, `german`…: `pgConfig`), the same Snowball
 *   algorithms; a language it has no configuration for is indexed with
 *   `english` (which leaves its words as written), pre-stemmed here when
 *   `snowball-stemmers` has its stemmer (Czech, Slovene). SQLite's FTS5 index has one tokenizer for every
 *   article (`porter unicode61`, English), so an article in another
 *   language is pre-stemmed here, word by word in its own language (a
 *   Latin word of a Russian article is left to the English tokenizer).
 * - **English** text is given as it always was (only unspaced runs change).
 *
 * @example
 *   indexText('Новости дня', 'ru', 'sqlite'); // 'новост дня'
 *   indexText('Новости дня', 'ru', 'postgres'); // 'Новости дня' (to_tsvector('russian', …) stems it)
 *   indexText('今日新闻', 'zh', 'postgres'); // '今日 新闻'
 */
import type { Dialect } from '../db/connect.js';
import { baseLanguage, languageScript, scriptOf, wordLanguage } from '../lib/text/languages.js';
import { RUN, spaced, UNSPACED } from '../lib/text/segment.js';
import { hasStemmer, stem } from '../lib/text/stem.js';

/** PostgreSQL's built-in text search configurations (PostgreSQL 13 and later) by language. */
const PG_CONFIGS: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/**
 * The PostgreSQL text search configuration of a language. Where PostgreSQL has none (Ukrainian, Chinese,
 * Czech…), `english`: its stemmer and stop words touch only English words, so the language's own words are
 * kept as written (lower case), and Latin words in the article (names, loanwords) are read as the English
 * configuration reads them in a query — as every configuration of a non-Latin language does (`russian`
 * stems ASCII words with `english_stem`), and as SQLite's one tokenizer does.
 */
export function pgConfig(language: string): string {
  return PG_CONFIGS[baseLanguage(language)] ?? 'english';
}

/** Whether words of this language reach the engine as stems made here rather than by the engine. */
export function stemsHere(language: string, dialect: Dialect): boolean {
  const lang = baseLanguage(language);
  if (!hasStemmer(lang)) return false;
  return dialect === 'postgres' ? PG_CONFIGS[lang] === undefined : lang !== 'en';
}

/** A query word as the index holds it when stems are made here: its stem in the language, when it is in it. */
export function stemHere(word: string, language: string): string {
  return wordLanguage(word, language) === baseLanguage(language) ? stem(word, language) : word;
}

/** A letter of any script but Latin. */
const NON_LATIN = /[^\p{Script=Latin}\P{L}]/u;

/**
 * One field of an article (headline, standfirst, body) as the engine of `dialect` is given it. A word in
 * another script than the article's language is stemmed here in its script's usual language (a Russian
 * quotation in an English article, as a Russian article's words), since the article's configuration would
 * not; Latin words are left to the engine's English reading.
 */
export function indexText(text: string, language: string, dialect: Dialect): string {
  const lang = baseLanguage(language);
  const here = stemsHere(lang, dialect);
  if (!here && !NON_LATIN.test(text)) return text;
  const script = languageScript(lang);
  // Unspaced runs are cut first, in one pass over the text; their words are then left as they are.
  return spaced(text).replace(RUN, (run) => {
    if (UNSPACED.test(run)) return run;
    const s = scriptOf(run);
    const l = s === script || s === 'common' ? lang : wordLanguage(run, lang);
    if (l === lang ? here : l !== 'en' && hasStemmer(l)) return stem(run, l);
    return run;
  });
}
