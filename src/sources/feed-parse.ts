/**
 * A fetched feed → items, whatever its format: RSS 2.0 (and RSS 1.0/RDF),
 * Atom 1.0 and JSON Feed 1.1 through feedsmith, and IPTC ninjs (JSON wire
 * copy) read here. Real feeds are forgiven what they commonly get wrong:
 * markup in titles, missing or unparsable dates, relative links (resolved
 * against the feed's address), the same GUID twice (the first, newest copy
 * kept). What is not a feed at all (an HTML error page, garbage) fails with
 * a `SourceError` saying so.
 *
 * @example
 *   const feed = parseFeedText(res.body, res.url, res.headers['content-type']);
 *   feed.format; // 'rss'
 *   feed.items[0]; // { guid: 'urn:x:1', url: 'https://wire.example/a/1', title: 'Talks resume', … }
 */
import { createHash } from 'node:crypto';
import { parseFeed } from 'feedsmith';
import { stripTags } from '../articles/article.js';
import { SourceError } from './source.js';

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json' | 'ninjs';

export interface FeedItem {
  /** The item's identity within its feed: its GUID/id, else its link, else a hash of its text. */
  guid: string;
  /** The original article's address, absolute. */
  url?: string;
  /** The address the item names as canonical (ninjs `uri` when it is a URL, JSON Feed `external_url`). */
  canonicalUrl?: string;
  /** Plain text. */
  title: string;
  /** Plain text. */
  summary: string;
  /** The body as HTML, when the feed carries one. */
  html?: string;
  /** The body as plain text (ninjs `body_text`). */
  text?: string;
  publishedAt?: Date;
  updatedAt?: Date;
  authors: string[];
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  items: FeedItem[];
  /** Items left out because an earlier one had the same GUID. */
  duplicates: number;
}

/** Parses a feed's text; `baseUrl` is where it was fetched from (after redirects). */
export function parseFeedText(text: string, baseUrl: string, contentType = ''): ParsedFeed {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw new SourceError('SOURCE_NOT_A_FEED', 'the answer was empty');
  if (looksLikeHtml(trimmed, contentType)) {
    throw new SourceError('SOURCE_NOT_A_FEED', `an HTML page, not a feed (${contentType || 'no content type'})`);
  }
  const json = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(trimmed) : undefined;
  const raw = json !== undefined && isNinjs(json) ? fromNinjs(json) : fromFeedsmith(json ?? trimmed);
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  for (const item of raw.items) {
    const resolved = resolveLinks(item, baseUrl);
    if (seen.has(resolved.guid)) continue;
    seen.add(resolved.guid);
    items.push(resolved);
  }
  return { format: raw.format, title: raw.title, items, duplicates: raw.items.length - items.length };
}

function looksLikeHtml(text: string, contentType: string): boolean {
  if (/^<!doctype html|^<html[\s>]/i.test(text)) return true;
  return /text\/html/i.test(contentType) && !/^<\?xml|^<(rss|feed|rdf:RDF)[\s>]/i.test(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SourceError('SOURCE_UNPARSABLE', `invalid JSON: ${(err as Error).message}`);
  }
}

type Raw = { format: FeedFormat; title: string; items: FeedItem[] };

function fromFeedsmith(input: unknown): Raw {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(input);
  } catch (err) {
    throw new SourceError('SOURCE_UNPARSABLE', `not RSS, Atom, JSON Feed or ninjs (${(err as Error).message})`);
  }
  switch (parsed.format) {
    case 'rss':
    case 'rdf': {
      const feed = parsed.feed as RssLike;
      return { format: parsed.format, title: plain(feed.title), items: (feed.items ?? []).map(fromRssItem) };
    }
    case 'atom': {
      const feed = parsed.feed as AtomLike;
      return { format: 'atom', title: plain(feed.title?.value), items: (feed.entries ?? []).map(fromAtomEntry) };
    }
    case 'json': {
      const feed = parsed.feed as JsonLike;
      return { format: 'json', title: plain(feed.title), items: (feed.items ?? []).map(fromJsonItem) };
    }
  }
}

interface RssLike {
  title?: string;
  items?: RssItem[];
}
interface RssItem {
  title?: string;
  link?: string;
  description?: string;
  guid?: { value?: string } | string;
  pubDate?: string;
  authors?: { name?: string }[] | string[];
  dc?: { creators?: string[]; creator?: string; date?: string; dates?: string[] };
  content?: { encoded?: string };
}

function fromRssItem(i: RssItem): FeedItem {
  const guid = typeof i.guid === 'string' ? i.guid : i.guid?.value;
  const html = i.content?.encoded;
  const authors = [...(i.dc?.creators ?? []), ...(i.dc?.creator ? [i.dc.creator] : [])];
  for (const a of i.authors ?? []) authors.push(typeof a === 'string' ? a : (a.name ?? ''));
  return item({
    guid,
    url: i.link,
    title: i.title,
    summary: html ? i.description : undefined,
    html: html ?? i.description,
    publishedAt: i.pubDate ?? i.dc?.date ?? i.dc?.dates?.[0],
    authors,
  });
}

interface AtomLike {
  title?: { value?: string };
  entries?: AtomEntry[];
}
interface AtomEntry {
  id?: string;
  title?: { value?: string };
  links?: { href?: string; rel?: string }[];
  summary?: { value?: string };
  content?: { value?: string };
  published?: string;
  updated?: string;
  authors?: { name?: string }[];
}

function fromAtomEntry(e: AtomEntry): FeedItem {
  const link = e.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
  return item({
    guid: e.id,
    url: link,
    title: e.title?.value,
    summary: e.content?.value ? e.summary?.value : undefined,
    html: e.content?.value ?? e.summary?.value,
    publishedAt: e.published ?? e.updated,
    updatedAt: e.updated,
    authors: (e.authors ?? []).map((a) => a.name ?? ''),
  });
}

interface JsonLike {
  title?: string;
  items?: JsonItem[];
}
interface JsonItem {
  id?: string;
  url?: string;
  external_url?: string;
  title?: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  date_published?: string;
  date_modified?: string;
  authors?: { name?: string }[];
}

function fromJsonItem(i: JsonItem): FeedItem {
  return item({
    guid: i.id === undefined ? undefined : String(i.id),
    url: i.url,
    canonicalUrl: i.external_url,
    title: i.title,
    summary: i.summary,
    html: i.content_html,
    text: i.content_html ? undefined : i.content_text,
    publishedAt: i.date_published,
    updatedAt: i.date_modified,
    authors: (i.authors ?? []).map((a) => a.name ?? ''),
  });
}

/** ninjs 1.x (`headline`, `body_html`) or 2.x (`headlines`, `bodies`): one object, an array, or `{ items: [...] }`. */
type Ninjs = Record<string, unknown>;

function ninjsList(json: unknown): Ninjs[] | undefined {
  if (Array.isArray(json)) return json as Ninjs[];
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o['items']) && typeof o['version'] !== 'string') return o['items'] as Ninjs[];
  if (Array.isArray(o['data'])) return o['data'] as Ninjs[];
  return typeof o['uri'] === 'string' ? [o] : undefined;
}

function isNinjs(json: unknown): boolean {
  const list = ninjsList(json);
  return !!list?.length && list.every((n) => typeof n === 'object' && n !== null && typeof n['uri'] === 'string');
}

function fromNinjs(json: unknown): Raw {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const first = (v: unknown, role?: string) => {
    if (!Array.isArray(v)) return undefined;
    const list = v as { value?: unknown; role?: string; contenttype?: string }[];
    return str((role ? list.find((x) => x.contenttype === role) : list[0])?.value);
  };
  const items = (ninjsList(json) ?? []).map((n) => {
    const uri = str(n['uri']) as string;
    const bodies = n['bodies'];
    const html = str(n['body_html']) ?? first(bodies, 'text/html');
    const links = Array.isArray(n['links']) ? (n['links'] as { rel?: string; href?: string }[]) : [];
    const canonical = links.find((l) => l.rel === 'canonical' || l.rel === 'self')?.href;
    const bylines = Array.isArray(n['bylines'])
      ? (n['bylines'] as { byline?: string }[]).map((b) => b.byline ?? '')
      : [];
    return item({
      guid: uri,
      url: canonical ?? (/^https?:/i.test(uri) ? uri : undefined),
      canonicalUrl: /^https?:/i.test(uri) ? uri : canonical,
      title: str(n['headline']) ?? first(n['headlines']),
      summary: str(n['description_text']) ?? first(n['descriptions']),
      html,
      text: html ? undefined : (str(n['body_text']) ?? first(bodies, 'text/plain')),
      publishedAt: str(n['firstcreated']) ?? str(n['versioncreated']),
      updatedAt: str(n['versioncreated']),
      authors: [...(str(n['byline']) ? [str(n['byline']) as string] : []), ...bylines],
    });
  });
  return { format: 'ninjs', title: '', items };
}

interface ItemFields {
  guid: string | undefined;
  url?: string | undefined;
  canonicalUrl?: string | undefined;
  title: string | undefined;
  summary?: string | undefined;
  html?: string | undefined;
  text?: string | undefined;
  publishedAt?: string | undefined;
  updatedAt?: string | undefined;
  authors: string[];
}

function item(f: ItemFields): FeedItem {
  const title = plain(f.title);
  const summary = plain(f.summary);
  const guid = f.guid?.trim() || f.url?.trim() || hashOf(`${title}\n${summary}\n${f.html ?? f.text ?? ''}`);
  const publishedAt = date(f.publishedAt);
  const updatedAt = date(f.updatedAt);
  return {
    guid,
    ...(f.url?.trim() ? { url: f.url.trim() } : {}),
    ...(f.canonicalUrl?.trim() ? { canonicalUrl: f.canonicalUrl.trim() } : {}),
    title,
    summary,
    ...(f.html?.trim() ? { html: f.html } : {}),
    ...(f.text?.trim() ? { text: f.text } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    authors: [...new Set(f.authors.map((a) => plain(a)).filter(Boolean))].slice(0, 10),
  };
}

/** Relative links resolved against the feed's address; what is not an http(s) address is dropped. */
function resolveLinks(i: FeedItem, baseUrl: string): FeedItem {
  const { url, canonicalUrl, ...rest } = i;
  const u = absolute(url, baseUrl);
  const c = absolute(canonicalUrl, u ?? baseUrl);
  return { ...rest, ...(u ? { url: u } : {}), ...(c ? { canonicalUrl: c } : {}) };
}

function absolute(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Titles often carry markup or entities, sometimes escaped twice: plain text, spaces folded. */
export function plain(value: string | undefined): string {
  if (!value) return '';
  let text = value;
  for (let i = 0; i < 2 && /[<&]/.test(text); i++) text = decodeEntities(stripTags(text));
  return text.replace(/\s+/g, ' ').trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED[e.toLowerCase()] ?? whole;
  });
}

function date(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
