/**
 * Turning imported text into body blocks: inline-HTML sanitizing, plain-text
 * escaping, the plain-text importer's paragraph/crosshead/list rules and wire
 * datelines. Pure functions only; the rules are deliberately strict because
 * wire copy (tables, tickers, short lines) must come through unmangled.
 */
import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../lib/html.js';
import type { Block } from './article.js';

const INLINE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 'a', 'br', 'code', 'sub', 'sup'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  // `//host/path` leaves the site while looking relative; only same-site relative links are wanted.
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
  // An <a> whose href was refused is just text; keep the words, drop the empty anchor.
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs['href'] ? 'excludeTag' : false),
};

/**
 * Sanitizes inline HTML down to `b, strong, i, em, a[href], br, code, sub, sup`.
 * Other tags are dropped but their text kept; scripts and styles go with their content;
 * links keep only http(s), mailto and relative URLs.
 *
 * @example
 *   sanitizeInline('<b>Hi</b> <a href="javascript:x()" onclick="y()">there</a><script>z()</script>');
 *   // '<b>Hi</b> there'
 */
export function sanitizeInline(html: string): string {
  return loadSanitizer()(html, INLINE_OPTIONS);
}

// Loaded on first use: only writers need it, and a reader-only process saves its memory (some 10 MB).
let sanitizer: typeof sanitizeHtml | undefined;
function loadSanitizer(): typeof sanitizeHtml {
  sanitizer ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtml;
  return sanitizer;
}

/**
 * Escapes plain text so it can sit in an inline-HTML field (`&`, `<`, `>`, `"`, `'`).
 *
 * @example
 *   textToInlineHtml('AT&T <T> said "yes"'); // 'AT&amp;T &lt;T&gt; said &quot;yes&quot;'
 */
export function textToInlineHtml(text: string): string {
  return escapeHtml(text);
}

// ---------------------------------------------------------------------------
// Plain text → blocks
// ---------------------------------------------------------------------------

/** `bullet` lists need no introduction; `dash` and `number` items are too common in wire prose to trust alone. */
type Family = 'bullet' | 'dash' | 'number';

interface Item {
  family: Family;
  marker: string;
  text: string;
}

/** One blank-line-separated chunk: text before its first item line, the items, and the whole chunk as prose. */
interface Chunk {
  lead: string;
  items: Item[];
  prose: string;
  lines: string[];
}

// `•`/`·` are unambiguous, so no space is needed after them; `-`, `*`, `–` and numbers need one.
const ITEM_RE = /^\s*(?:([•·])\s*|([-*–])\s+|(\d{1,2}[.)])\s+)(\S.*)$/;
const SENTENCE_END_RE = /[.!?]$/;
const CLOSING_MARKS_RE = /[’”"')»]+$/;
const HEADING_BAD_END_RE = /[.!?:;,\-–—]$/;
// A heading never ends on an article, preposition or conjunction; a broken sentence often does.
const DANGLING_WORDS = new Set('a an the and or but of to in on at by for with from as'.split(' '));
// Headline grammar drops auxiliaries and copulas ("Talks delayed", not "Talks were delayed").
const AUXILIARIES = new Set('is are was were been has have had will would did does'.split(' '));
const DETERMINERS = new Set('the a an its their his her our this these that'.split(' '));

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function parseItem(line: string): Item | undefined {
  const m = ITEM_RE.exec(line);
  if (!m) return undefined;
  const marker = (m[1] ?? m[2] ?? m[3]) as string;
  const family: Family = m[1] ? 'bullet' : m[2] ? 'dash' : 'number';
  return { family, marker, text: collapse(m[4] as string) };
}

function parseChunk(raw: string): Chunk {
  const lines = raw.split('\n').filter((l) => l.trim() !== '');
  const lead: string[] = [];
  const items: Item[] = [];
  for (const line of lines) {
    const item = parseItem(line);
    const last = items.at(-1);
    if (item) items.push(item);
    // Inside one chunk, a plain line after an item is that item wrapped onto a new line.
    else if (last) last.text = collapse(`${last.text} ${line}`);
    else lead.push(line);
  }
  return { lead: collapse(lead.join(' ')), items, prose: collapse(raw), lines };
}

/** Text with trailing closing quotes/brackets removed, so `…“open”.` and `‘Dialogue, not force’` end where the words end. */
function lastMeaningfulChar(text: string): string {
  return text.replace(CLOSING_MARKS_RE, '').slice(-1);
}

function endsSentence(text: string): boolean {
  return SENTENCE_END_RE.test(lastMeaningfulChar(text));
}

/** Letters-only word, once surrounding quotes and punctuation are set aside (`‘Dialogue,` → `Dialogue`). */
function isWordToken(token: string): boolean {
  return /^\p{L}[\p{L}'’.-]*$/u.test(token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
}

/**
 * A wire sentence that lost its full stop ("Terms were not disclosed", "Bild released the text ...")
 * has a finite verb: an auxiliary, or a past tense taking an object (`-ed` + determiner).
 */
function readsLikeSentence(words: string[]): boolean {
  const lower = words.map((w) => w.toLowerCase());
  if (lower.some((w) => AUXILIARIES.has(w))) return true;
  return lower.some((w, k) => w.endsWith('ed') && DETERMINERS.has(lower[k + 1] ?? ''));
}

/** The shape of a heading on its own: short, worded, sentence- or title-cased, unpunctuated. */
function looksLikeHeading(chunk: Chunk): boolean {
  const line = chunk.lines[0] as string;
  const text = chunk.prose;
  const words = text.split(' ');
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (chunk.lines.length !== 1 || chunk.items.length > 0) return false;
  // Tables show up as digits, aligned columns, dot leaders, bracketed tickers and `label - value` pairs.
  if (/\d|\s{3,}|\t|\.{3,}|[<>|=_]|\s[-–]\s/.test(line)) return false;
  if (text.length > 80 || words.length < 2 || words.length > 10) return false;
  if (!/^[‘“"'«]?\p{Lu}/u.test(text)) return false;
  if (HEADING_BAD_END_RE.test(lastMeaningfulChar(text))) return false;
  if (letters === letters.toUpperCase()) return false;
  if (DANGLING_WORDS.has((words.at(-1) as string).toLowerCase()) || readsLikeSentence(words)) return false;
  return words.filter(isWordToken).length * 3 >= words.length * 2;
}

/** A paragraph a crosshead can introduce: ordinary prose, longer than the heading, ending a sentence. */
function isBodyParagraph(chunk: Chunk | undefined, heading: Chunk): boolean {
  if (!chunk || chunk.items.length > 0) return false;
  const longer = chunk.prose.split(' ').length > heading.prose.split(' ').length;
  return longer && /^[‘“"'«(]?[\p{Lu}\p{N}]/u.test(chunk.prose) && endsSentence(chunk.prose);
}

/** Crosshead: a heading-shaped chunk standing alone between two paragraphs (or after a list). */
function isCrosshead(chunks: Chunk[], i: number, previous: Block | undefined): boolean {
  const chunk = chunks[i] as Chunk;
  if (i === 0 || i === chunks.length - 1 || !looksLikeHeading(chunk)) return false;
  const prevChunk = chunks[i - 1] as Chunk;
  const afterProse = previous?.type === 'paragraph' && prevChunk.items.length === 0 && endsSentence(prevChunk.prose);
  const afterList = previous?.type === 'list';
  return (afterProse || afterList) && isBodyParagraph(chunks[i + 1], chunk);
}

/** The end (exclusive) of the run of item-only chunks that continue chunk `i`'s items. */
function runEnd(chunks: Chunk[], i: number, family: Family): number {
  let j = i + 1;
  while (j < chunks.length) {
    const next = chunks[j] as Chunk;
    if (next.lead !== '' || next.items[0]?.family !== family) break;
    j++;
  }
  return j;
}

/** Whether items with this introduction really are a list rather than wire prose that happens to start with `-`. */
function isList(items: Item[], introduced: boolean): boolean {
  const first = items[0] as Item;
  // Wikinews and others sign quotes with a lone `– Name` line; that is an attribution, not a one-item list.
  if (items.length === 1 && first.marker === '–') return false;
  // A lone "1)" is usually the first point of a sequence interrupted by prose; a numbered list counts up.
  if (first.family === 'number') return introduced && items.length >= 2 && countsUp(items);
  if (introduced) return true;
  return first.family === 'bullet' || items.length >= 2;
}

function countsUp(items: Item[]): boolean {
  const start = Number.parseInt(items[0]?.marker ?? '', 10);
  return items.every((item, k) => Number.parseInt(item.marker, 10) === start + k);
}

function paragraph(text: string): Block {
  return { type: 'paragraph', html: textToInlineHtml(text) };
}

function list(items: Item[]): Block {
  const style = items[0]?.family === 'number' ? 'numbered' : 'bulleted';
  return { type: 'list', style, items: items.map((item) => textToInlineHtml(item.text)) };
}

/** Blocks for the list run starting at chunk `i`, or undefined when its items are not a list. */
function listBlocks(chunks: Chunk[], i: number): { blocks: Block[]; next: number } | undefined {
  const chunk = chunks[i] as Chunk;
  const family = (chunk.items[0] as Item).family;
  const prev = chunks[i - 1];
  const intro = chunk.lead !== '' ? chunk.lead : prev && prev.items.length === 0 ? prev.prose : '';
  const next = runEnd(chunks, i, family);
  const items = chunks.slice(i, next).flatMap((c) => c.items);
  if (!isList(items, intro.endsWith(':'))) return undefined;
  const lead = chunk.lead !== '' ? [paragraph(chunk.lead)] : [];
  return { blocks: [...lead, list(items)], next };
}

/**
 * Converts a plain-text body (paragraphs separated by blank lines) into blocks:
 * paragraphs with single newlines joined; a short, unpunctuated, worded line standing
 * alone between paragraphs becomes a crosshead; `•` items, `-`/`*`/`–` items after a
 * colon line (or two in a row) and numbered items after a colon line become lists.
 * No word of the input is lost; text is escaped into inline HTML.
 *
 * @example
 *   plainTextToBlocks('Lead.\n\n‘Dialogue, not force’\n\nTalks go on today.\n\nIn brief:\n  • one\n  • two');
 *   // [{ type: 'paragraph', html: 'Lead.' }, { type: 'crosshead', text: '‘Dialogue, not force’' },
 *   //  { type: 'paragraph', html: 'Talks go on today.' }, { type: 'paragraph', html: 'In brief:' },
 *   //  { type: 'list', style: 'bulleted', items: ['one', 'two'] }]
 */
export function plainTextToBlocks(text: string): Block[] {
  const chunks = text
    .split(/\n\s*\n/)
    .filter((c) => c.trim() !== '')
    .map(parseChunk);
  const blocks: Block[] = [];
  let i = 0;
  while (i < chunks.length) {
    const chunk = chunks[i] as Chunk;
    const asList = chunk.items.length > 0 ? listBlocks(chunks, i) : undefined;
    if (asList) {
      blocks.push(...asList.blocks);
      i = asList.next;
      continue;
    }
    const crosshead = isCrosshead(chunks, i, blocks.at(-1));
    blocks.push(crosshead ? { type: 'crosshead', text: chunk.prose } : paragraph(chunk.prose));
    i++;
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Datelines
// ---------------------------------------------------------------------------

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Wire copy is not consistent about case ("FEb 26"), so months match in any case.
const MONTH_SRC = `(?:${MONTHS.map((m) => [...m].map((c) => `[${c.toUpperCase()}${c}]`).join('')).join('|')})[A-Za-z]*\\.?`;
const WORD_SRC = `\\p{Lu}[\\p{L}.'’-]*`;
const DATELINE_RE = new RegExp(
  `^(${WORD_SRC}(?: ${WORD_SRC}){0,3})` + // place: WASHINGTON, NEW YORK, ST. LOUIS, Toronto
    `(?:,? (\\p{Lu}[\\p{L}.]*(?: \\p{Lu}[\\p{L}.]*)?))??` + // region: Ore., N.Y., Ontario
    `(?:,? (${MONTH_SRC} \\d{1,2}))?` + // date: Feb 26, March 3
    `(?:,? (\\([\\p{Lu}][\\p{L}.]*(?: [\\p{Lu}][\\p{L}.]*)?\\)))?` + // agency: (Reuters)
    `,?\\s+(?:--?|–|—)(?:\\s+|$)`,
  'u',
);

// Day-stamped wire tables ("TUE, APR 07 - ...") put a weekday where the place goes.
const WEEKDAYS = new Set(['mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun']);

/**
 * `NEW YORK` → `New York`, `ST. LOUIS` → `St. Louis`, and the wire's shift-key slips (`TExas`) → `Texas`;
 * initialisms (`N.Y.`, `N.C`) and ordinary mixed case (`McLean`, `W.Va.`) stay as written.
 */
function titleCase(place: string): string {
  return place.replace(/\p{L}[\p{L}.'’]*/gu, (word) => {
    if (/^\p{Lu}(?:\.\p{Lu})+\.?$/u.test(word)) return word;
    if (word !== word.toUpperCase() && !/^\p{Lu}{2}\p{Ll}/u.test(word)) return word;
    return word.charAt(0) + word.slice(1).toLowerCase();
  });
}

/**
 * Recognises a wire dateline (`WASHINGTON, Feb 26 - `, `LONDON (Reuters) - `,
 * `PORTLAND, Ore., Feb 26 - `) at the start of a lead paragraph. A date or an agency
 * is required, so ordinary sentences that open with a capitalised word and a comma
 * are left alone.
 *
 * @example
 *   datelineFromLead('NEW YORK, March 3 - Shares rose.'); // { place: 'New York', rest: 'Shares rose.' }
 *   datelineFromLead('However, shares rose.'); // undefined
 */
export function datelineFromLead(paragraph: string): { place: string; rest: string } | undefined {
  const m = DATELINE_RE.exec(paragraph);
  if (!m || (!m[3] && !m[4]) || WEEKDAYS.has((m[1] as string).toLowerCase())) return undefined;
  const city = titleCase(m[1] as string);
  const place = m[2] ? `${city}, ${titleCase(m[2])}` : city;
  return { place, rest: paragraph.slice(m[0].length).trim() };
}
