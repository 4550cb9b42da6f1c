/**
 * What a reader typed into the search box, as terms: plain words (all must
 * match), `"phrases"`, `-exclusions` and `prefix*`. Pure and total: any text
 * at all parses (unbalanced quotes, operators, junk, any script), and only
 * letters, digits and marks ever reach a database's query syntax, so nothing
 * a reader types can be read as FTS5 or tsquery operators.
 *
 * Words are read by language as the index reads articles (`search-text.ts`):
 * Chinese or Japanese typed without spaces is cut into words (a phrase), and
 * each word is looked for in the languages it may be in — the site's when the
 * word is in its script, and its script's usual ones (`queryLanguages`:
 * Cyrillic is tried as Russian and Ukrainian) — any of them matching.
 */
import { queryLanguages } from '../lib/text/languages.js';
import { spaced, words as textWords } from '../lib/text/segment.js';
import { isStopword } from '../lib/text/stopwords.js';
import { pgConfig, stemHere, stemsHere } from './search-text.js';

/** One thing to look for: a word, a phrase (words in a row) or a prefix; `negated` for an exclusion. */
export interface Term {
  kind: 'word' | 'phrase' | 'prefix';
  /** Lower-cased words of letters, digits and marks only; one for a word or a prefix. */
  words: string[];
  negated: boolean;
  /**
   * The term as typed (controls removed): PostgreSQL parses it with the parser that read the documents, so a
   * word it never indexes there (`<GRB>` is an HTML tag to it) drops out of the query too.
   */
  raw: string;
}

export interface ParsedQuery {
  terms: Term[];
  /** True when at least one term is not an exclusion (a query of exclusions alone finds nothing). */
  searchable: boolean;
}

/** Longer input is cut here: a search box query is a few words, and 10 KB of junk must cost what 200 bytes do. */
export const MAX_QUERY_CHARS = 200;
/** More terms than this are dropped: each one is a step of the index lookup. */
export const MAX_TERMS = 10;
const MAX_WORD_CHARS = 40;
/** A prefix shorter than this (`a*`) would read a large share of the index; it is searched as a word. */
export const MIN_PREFIX_CHARS = 3;

// A token of the query: an optional minus, then a quoted phrase (closing quote optional) or a run of non-space.
const TOKEN = /(-?)(?:"([^"]*)"?|(\S+))/gu;

/**
 * Parses a reader's query. Never throws.
 *
 * @example
 *   parseQuery('"peaceful solution" -crimea talk*');
 *   // { terms: [ { kind: 'phrase', words: ['peaceful', 'solution'], negated: false },
 *   //            { kind: 'word', words: ['crimea'], negated: true },
 *   //            { kind: 'prefix', words: ['talk'], negated: false } ], searchable: true }
 */
export function parseQuery(input: string, language = 'en'): ParsedQuery {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and other controls are what is removed here.
  const text = input.slice(0, MAX_QUERY_CHARS).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const terms: Term[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    const negated = match[1] === '-';
    const phrase = match[2];
    const bare = match[3] ?? '';
    const words = wordsOf(phrase ?? bare);
    if (words.length === 0) continue;
    const raw = phrase ?? bare;
    let candidates: Term[];
    if (phrase !== undefined && words.length > 1) candidates = [{ kind: 'phrase', words, negated, raw }];
    else if (phrase === undefined && words.length === 1 && bare.endsWith('*') && words[0]!.length >= MIN_PREFIX_CHARS)
      candidates = [{ kind: 'prefix', words, negated, raw }];
    // "covid-19" or "U.S." are one token of the query but several words of the index: a phrase keeps them together.
    else if (phrase === undefined && words.length > 1) candidates = [{ kind: 'phrase', words, negated, raw }];
    else candidates = [{ kind: 'word', words, negated, raw }];
    for (const term of candidates) {
      const key = `${term.negated ? '-' : ''}${term.kind}:${term.words.join(' ')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      terms.push(term);
    }
    if (terms.length >= MAX_TERMS) break;
  }
  // Stop words as single terms ("the", "and") would match nearly everything on SQLite and nothing on PostgreSQL
  // (whose dictionary drops them): both ignore them, unless they are all there is. Inside phrases they stay.
  const content = terms.filter((t) => t.kind !== 'word' || !isQueryStopWord(t.words[0]!, language));
  const kept = (content.some((t) => !t.negated) ? content : terms).slice(0, MAX_TERMS);
  return { terms: kept, searchable: kept.some((t) => !t.negated) };
}

/** PostgreSQL's English stop words (`english.stop`), which its index never holds. */
const STOP_WORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
  its itself they them their theirs themselves what which who whom this that these those am is are was were be been
  being have has had having do does did doing a an the and but if or because as until while of at by for with about
  against between into through during before after above below to from up down in out on off over under again
  further then once here there when where why how all any both each few more most other some such no nor not only own
  same so than too very s t can will just don should now`.split(/\s+/),
);

/** A stop word of one of the languages the word may be in (PostgreSQL's own list for English). */
function isQueryStopWord(word: string, siteLanguage: string): boolean {
  return queryLanguages(word, siteLanguage).some((l) => (l === 'en' ? STOP_WORDS.has(word) : isStopword(word, l)));
}

function wordsOf(text: string): string[] {
  return textWords(text.normalize('NFC').toLowerCase())
    .map((w) => w.slice(0, MAX_WORD_CHARS))
    .slice(0, 8);
}

/** The words to highlight in results: those of every term that is not an exclusion. */
export function highlightWords(query: ParsedQuery): { words: string[]; prefixes: string[] } {
  const positive = query.terms.filter((t) => !t.negated);
  return {
    words: positive.filter((t) => t.kind !== 'prefix').flatMap((t) => t.words),
    prefixes: positive.filter((t) => t.kind === 'prefix').flatMap((t) => t.words),
  };
}

/**
 * A prefix as the index's stems hold it: both indexes store stems ("negotiators" as "negoti"), which the
 * reader's prefix may overshoot ("negotiat*"), so up to two letters are dropped from a prefix of six or more.
 * It finds a little more than the letters typed; the highlight marks only words that begin with them.
 *
 * @example
 *   indexPrefix('negotiat'); // 'negoti'
 *   indexPrefix('gov'); // 'gov'
 */
export function indexPrefix(word: string): string {
  return word.slice(0, word.length - Math.max(0, Math.min(2, word.length - 5)));
}

/**
 * The query as FTS5 text: each word and phrase double-quoted (so nothing in it is an operator), prefixes
 * `"word"*`, exclusions after `NOT`. A word or phrase in a language whose articles the index holds as stems
 * (`search-text.ts`) is looked for as typed or as that stem: `("новости" OR "новост")`. Undefined when there is
 * nothing to look for.
 *
 * @example
 *   toFts5(parseQuery('dam -river talk*')); // '"dam" "talk"* NOT "river"'
 *   toFts5(parseQuery('новости')); // '("новости" OR "новост")'
 */
export function toFts5(query: ParsedQuery, match: Match = 'all', language = 'en'): string | undefined {
  if (!query.searchable) return undefined;
  const quote = (t: Term) => {
    if (t.kind === 'prefix') return `"${indexPrefix(t.words[0]!)}"*`;
    const forms = new Set([t.words.join(' ')]);
    for (const l of termLanguages(t, language)) {
      if (stemsHere(l, 'sqlite')) forms.add(t.words.map((w) => stemHere(w, l)).join(' '));
    }
    const quoted = [...forms].map((f) => `"${f}"`);
    return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
  };
  const positive = query.terms.filter((t) => !t.negated).map(quote);
  const negative = query.terms.filter((t) => t.negated).map((t) => ` NOT ${quote(t)}`);
  // FTS5 reads phrases side by side as AND, but a bracketed group needs the word.
  const and = positive.some((p) => p.startsWith('(')) ? ' AND ' : ' ';
  const wanted = match === 'all' ? positive.join(and) : `(${positive.join(' OR ')})`;
  return `${wanted}${negative.join('')}`;
}

/** The languages a term may be in: those of its first word (a phrase is read in one language). */
function termLanguages(t: Term, siteLanguage: string): string[] {
  return queryLanguages(t.words[0]!, siteLanguage);
}

/**
 * Whether every term must match (the query as typed), or any one (the fall-back when nothing has them all:
 * best first, the articles with most of them).
 */
export type Match = 'all' | 'any';

/** One operand of a PostgreSQL query, in each configuration it is tried in (any of them may match). */
export interface TsTerm {
  negated: boolean;
  /** `to_tsquery(config, text)` for each: the configurations of the languages the term may be in. */
  alternatives: { config: string; text: string }[];
}

/** A PostgreSQL query: its terms all required (`all`), or any of the positive ones (`any`), exclusions always. */
export interface TsQuery {
  match: Match;
  terms: TsTerm[];
}

/**
 * The query for PostgreSQL: each term as typed in one quoted `to_tsquery` operand, which PostgreSQL parses as
 * it parsed the documents (several words become a phrase, stop words and tags drop out), in the text search
 * configuration of each language the term may be in (`english` for English words on an English site, as
 * always; `russian`, and `english` for Ukrainian, for a Cyrillic word), `:*` after a prefix, `!` for an exclusion. Unspaced
 * scripts are cut into words, as in the documents. Undefined when there is nothing to look for.
 *
 * @example
 *   toTsquery(parseQuery('"peaceful solution" -crimea'));
 *   // { match: 'all', terms: [ { negated: false, alternatives: [{ config: 'english', text: "'peaceful solution'" }] },
 *   //                          { negated: true, alternatives: [{ config: 'english', text: "'crimea'" }] } ] }
 */
export function toTsquery(query: ParsedQuery, match: Match = 'all', language = 'en'): TsQuery | undefined {
  if (!query.searchable) return undefined;
  // Quoted, any text is an operand, parsed as documents are; only a backslash and a quote need escaping.
  // Angle brackets become spaces, as in the documents (`untagged` in search.repository.ts).
  const quoted = (text: string) => `'${text.replace(/[<>]/g, ' ').replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  const one = (t: Term): TsTerm => {
    const alternatives = new Map<string, { config: string; text: string }>();
    for (const l of termLanguages(t, language)) {
      const config = pgConfig(l);
      const here = stemsHere(l, 'postgres');
      const text =
        t.kind === 'prefix'
          ? `${quoted(indexPrefix(t.words[0]!))}:*`
          : quoted(here ? t.words.map((w) => stemHere(w, l)).join(' ') : spaced(t.raw));
      alternatives.set(`${config} ${text}`, { config, text });
    }
    return { negated: t.negated, alternatives: [...alternatives.values()] };
  };
  return { match, terms: query.terms.map(one) };
}
