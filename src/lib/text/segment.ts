/**
 * Words of a text in any script. Scripts written with spaces are split at
 * anything that is not a letter, digit or mark; runs of scripts written
 * without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) are cut into
 * words by `Intl.Segmenter` (ICU's dictionaries).
 *
 * @example
 *   words('今日新闻: Kyiv, новости!'); // ['今日', '新闻', 'Kyiv', 'новости']
 */
import { baseLanguage } from './languages.js';

/** A run of letters, digits and marks (a Thai or Hindi vowel sign is a mark): what search indexes call a word. */
export const RUN = /[\p{L}\p{N}\p{M}]+/gu;
/** A character of a script written without spaces between words. */
export const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

/** The locale whose dictionary reads this run best: its own script's, or the article's language for Han alone. */
function runLocale(run: string, language: string): string {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(run)) return 'ja';
  if (/\p{Script=Thai}/u.test(run)) return 'th';
  if (/\p{Script=Lao}/u.test(run)) return 'lo';
  if (/\p{Script=Khmer}/u.test(run)) return 'km';
  if (/\p{Script=Myanmar}/u.test(run)) return 'my';
  const base = baseLanguage(language);
  return base === 'ja' || base === 'ko' ? base : 'zh';
}

/**
 * The words of one run with no spaces in it: itself, unless it holds an unspaced script, which the segmenter cuts.
 *
 * @example
 *   segmentRun('今日新闻'); // ['今日', '新闻']
 *   segmentRun('iPhone发布'); // ['iPhone', '发布']
 */
export function segmentRun(run: string, language = 'und'): string[] {
  if (!UNSPACED.test(run)) return [run];
  const out: string[] = [];
  for (const s of segmenter(runLocale(run, language)).segment(run)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** A word of a text and where it stands: `text.slice(at, end) === word`. */
export interface WordSpan {
  word: string;
  at: number;
  end: number;
}

/**
 * The words of a text with their places, unspaced runs cut as `words` cuts them: for marking words in the
 * text itself.
 *
 * @example
 *   wordSpans('今日新闻 ok'); // [{ word: '今日', at: 0, end: 2 }, { word: '新闻', at: 2, end: 4 }, { word: 'ok', at: 5, end: 7 }]
 */
export function wordSpans(text: string, language = 'und'): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    if (!UNSPACED.test(run)) {
      out.push({ word: run, at: m.index, end: m.index + run.length });
      continue;
    }
    for (const s of segmenter(runLocale(run, language)).segment(run)) {
      if (s.isWordLike) out.push({ word: s.segment, at: m.index + s.index, end: m.index + s.index + s.segment.length });
    }
  }
  return out;
}

/** Whether a text holds any unspaced script (a quick test before segmenting). */
export function hasUnspaced(text: string): boolean {
  return UNSPACED.test(text);
}

/** The words of a text, in order, as written. */
export function words(text: string, language = 'und'): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RUN)) {
    for (const w of segmentRun(m[0], language)) out.push(w);
  }
  return out;
}

/**
 * The text with every unspaced run cut into words separated by spaces, everything else left as it is: what a
 * tokenizer that splits on spaces but not inside Chinese (FTS5's unicode61, PostgreSQL's parser) needs.
 *
 * @example
 *   spaced('今日新闻 (Xinhua)'); // '今日 新闻 (Xinhua)'
 */
export function spaced(text: string, language = 'und'): string {
  if (!UNSPACED.test(text)) return text;
  return text.replace(RUN, (run) => (UNSPACED.test(run) ? segmentRun(run, language).join(' ') : run));
}
