/**
 * Words of a text in any script. Scripts written with spaces are split at
 * anything that is not a letter, digit or mark; runs of scripts written
 * without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) are cut into
 * words by `Intl.Segmenter` (ICU, whose dictionaries are chosen by script,
 * not by locale: one segmenter serves every language). A text is segmented
 * in one pass, only where it holds such a run: cutting each run on its own
 * costs three times as much.
 *
 * @example
 *   words('今日新闻: Kyiv, новости!'); // ['今日', '新闻', 'Kyiv', 'новости']
 */

/** A run of letters, digits and marks (a Thai or Hindi vowel sign is a mark): what search indexes call a word. */
export const RUN = /[\p{L}\p{N}\p{M}]+/gu;
/** A character of a script written without spaces between words. */
export const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** A word of a text and where it stands: `text.slice(at, end) === word`. */
export interface WordSpan {
  word: string;
  at: number;
  end: number;
}

/**
 * The words of a text with their places, unspaced runs cut into words.
 *
 * @example
 *   wordSpans('今日新闻 ok'); // [{ word: '今日', at: 0, end: 2 }, { word: '新闻', at: 2, end: 4 }, { word: 'ok', at: 5, end: 7 }]
 */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  const cuts = UNSPACED.test(text) ? boundaries(text) : undefined;
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    const end = m.index + run.length;
    if (!cuts || !UNSPACED.test(run)) {
      out.push({ word: run, at: m.index, end });
      continue;
    }
    let at = m.index;
    for (let i = at + 1; i < end; i++) {
      if (!cuts.has(i)) continue;
      out.push({ word: text.slice(at, i), at, end: i });
      at = i;
    }
    out.push({ word: text.slice(at, end), at, end });
  }
  return out;
}

/** Where the segmenter puts word boundaries in a text. */
function boundaries(text: string): Set<number> {
  const cuts = new Set<number>();
  for (const s of segmenter.segment(text)) cuts.add(s.index);
  return cuts;
}

/** Whether a text holds any unspaced script (a quick test before segmenting). */
export function hasUnspaced(text: string): boolean {
  return UNSPACED.test(text);
}

/** The words of a text, in order, as written. */
export function words(text: string): string[] {
  return wordSpans(text).map((s) => s.word);
}

/**
 * The text with every unspaced run cut into words separated by spaces, everything else left as it is: what a
 * tokenizer that splits on spaces but not inside Chinese (FTS5's unicode61, PostgreSQL's parser) needs.
 *
 * @example
 *   spaced('今日新闻 (Xinhua)'); // '今日 新闻 (Xinhua)'
 */
export function spaced(text: string): string {
  if (!UNSPACED.test(text)) return text;
  let out = '';
  let at = 0;
  let last: WordSpan | undefined;
  for (const span of wordSpans(text)) {
    // Two words with nothing between them were one run: a space goes between.
    out += text.slice(at, span.at) + (last && last.end === span.at ? ' ' : '') + span.word;
    at = span.end;
    last = span;
  }
  return out + text.slice(at);
}
