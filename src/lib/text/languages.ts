/**
 * Languages as text processing sees them: a tag's base language, the script
 * a language is written in, and which language a word of some script most
 * likely belongs to when it is not in the article's own.
 *
 * @example
 *   baseLanguage('ru-RU'); // 'ru'
 *   scriptOf('Новости'); // 'cyrillic'
 *   wordLanguage('Gazprom', 'ru'); // 'en' (a Latin word in a Russian text)
 */

export type Script =
  | 'latin'
  | 'cyrillic'
  | 'greek'
  | 'arabic'
  | 'hebrew'
  | 'armenian'
  | 'devanagari'
  | 'tamil'
  | 'cjk'
  | 'hangul'
  | 'thai'
  | 'other'
  /** Digits and symbols alone: no script of their own, they go with the text around them. */
  | 'common';

/** Each language this module knows: its usual script and its Snowball algorithm, when `snowball-stemmers` has one. */
const LANGUAGES: Record<string, { script: Script; snowball?: string }> = {
  en: { script: 'latin', snowball: 'english' },
  ru: { script: 'cyrillic', snowball: 'russian' },
  // No Snowball stemmer for Ukrainian in `snowball-stemmers` (nor in PostgreSQL): stop words only.
  uk: { script: 'cyrillic' },
  be: { script: 'cyrillic' },
  bg: { script: 'cyrillic' },
  sr: { script: 'cyrillic' },
  de: { script: 'latin', snowball: 'german' },
  fr: { script: 'latin', snowball: 'french' },
  es: { script: 'latin', snowball: 'spanish' },
  it: { script: 'latin', snowball: 'italian' },
  pt: { script: 'latin', snowball: 'portuguese' },
  nl: { script: 'latin', snowball: 'dutch' },
  da: { script: 'latin', snowball: 'danish' },
  sv: { script: 'latin', snowball: 'swedish' },
  no: { script: 'latin', snowball: 'norwegian' },
  nb: { script: 'latin', snowball: 'norwegian' },
  nn: { script: 'latin', snowball: 'norwegian' },
  fi: { script: 'latin', snowball: 'finnish' },
  hu: { script: 'latin', snowball: 'hungarian' },
  ro: { script: 'latin', snowball: 'romanian' },
  tr: { script: 'latin', snowball: 'turkish' },
  ca: { script: 'latin', snowball: 'catalan' },
  eu: { script: 'latin', snowball: 'basque' },
  ga: { script: 'latin', snowball: 'irish' },
  cs: { script: 'latin', snowball: 'czech' },
  sl: { script: 'latin', snowball: 'slovene' },
  pl: { script: 'latin' },
  id: { script: 'latin' },
  lt: { script: 'latin' },
  hy: { script: 'armenian', snowball: 'armenian' },
  ta: { script: 'tamil', snowball: 'tamil' },
  ar: { script: 'arabic', snowball: 'arabic' },
  fa: { script: 'arabic' },
  ur: { script: 'arabic' },
  he: { script: 'hebrew' },
  yi: { script: 'hebrew' },
  el: { script: 'greek' },
  hi: { script: 'devanagari' },
  ne: { script: 'devanagari' },
  zh: { script: 'cjk' },
  ja: { script: 'cjk' },
  ko: { script: 'hangul' },
  th: { script: 'thai' },
};

/** The language a word of a script is taken for when the article's language is written in another. */
const SCRIPT_DEFAULT: Partial<Record<Script, string>> = {
  latin: 'en',
  cyrillic: 'ru',
  arabic: 'ar',
  greek: 'el',
  hebrew: 'he',
  armenian: 'hy',
  devanagari: 'hi',
  tamil: 'ta',
  cjk: 'zh',
  hangul: 'ko',
  thai: 'th',
};

/** The primary subtag, lower-cased: `pt-BR` → `pt`, `zh-Hant-TW` → `zh`; `und` for an empty tag. */
export function baseLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] || 'und';
}

/** The Snowball algorithm of a language (`russian`), or undefined. */
export function snowballAlgorithm(language: string): string | undefined {
  return LANGUAGES[baseLanguage(language)]?.snowball;
}

/** The script a language is usually written in; `other` for one this module does not know. */
export function languageScript(language: string): Script {
  return LANGUAGES[baseLanguage(language)]?.script ?? 'other';
}

const SCRIPTS: [Script, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['thai', /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['armenian', /\p{Script=Armenian}/u],
  ['tamil', /\p{Script=Tamil}/u],
];

/** The script of a word: of its first letter that has one; `common` for digits and symbols alone. */
export function scriptOf(word: string): Script {
  for (const ch of word) {
    // The commonest blocks by code, without a regular expression: this runs for every word indexed.
    const code = ch.codePointAt(0)!;
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return 'latin';
    if (code >= 0x430 && code <= 0x44f) return 'cyrillic';
    if (code < 0x80 || !/\p{L}/u.test(ch)) continue;
    for (const [script, re] of SCRIPTS) if (re.test(ch)) return script;
    return 'other';
  }
  return 'common';
}

/**
 * Which language a word is read in: the article's when the word is in its script (or is digits), otherwise the
 * usual language of the word's script, so a Latin name in a Russian article is read as English and a Russian
 * quotation in an English one as Russian.
 */
export function wordLanguage(word: string, language: string): string {
  const base = baseLanguage(language);
  const script = scriptOf(word);
  if (script === 'common' || script === languageScript(base)) return base;
  return SCRIPT_DEFAULT[script] ?? base;
}

/**
 * The languages a search word may be in, first the site's when the word is in its script, then the usual
 * language of the word's script: the forms a query tries.
 *
 * @example
 *   queryLanguages('новости', 'en'); // ['ru', 'uk']
 *   queryLanguages('Häuser', 'de'); // ['de', 'en']
 *   queryLanguages('houses', 'en'); // ['en']
 */
export function queryLanguages(word: string, siteLanguage: string): string[] {
  const site = baseLanguage(siteLanguage);
  const script = scriptOf(word);
  if (script === 'common') return [site];
  const out = script === languageScript(site) ? [site] : [];
  const usual = SCRIPT_DEFAULT[script];
  if (usual) out.push(usual);
  // Cyrillic news is Russian or Ukrainian as often as not: try both (Ukrainian as written, it has no stemmer).
  if (script === 'cyrillic') out.push('uk');
  return [...new Set(out)];
}
