/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents of a list of articles, made
 * with the `feed` package. Pure: the same articles and settings give the same
 * bytes on every instance (the feed's time is its newest change, not the
 * time it was made), so ETags agree across instances.
 *
 * Each item's id is a `tag:` URI by article id (`tag:news.example,2024:article:12`):
 * it never changes when the article's headline, slug, date or section do,
 * so feed readers never show an edited article twice.
 *
 * @example
 *   const doc = renderFeed('atom', { title: 'World', description: '', listPath: '/world', articles }, site);
 *   doc.contentType; // 'application/atom+xml; charset=utf-8'
 */
import { Feed, type Author as FeedAuthor, type Item } from 'feed';
import type { Article } from '../articles/article.js';
import { escapeHtml } from '../lib/html.js';
import type { Clock } from '../lib/time.js';
import { articlePath, authorPath, FEED_FORMATS, type FeedFormat, feedPath } from '../site/urls.js';
import { absoluteUrl, feedHtml, xmlSafe } from './feed-content.js';

/** Articles in a feed: the newest this many. */
export const FEED_SIZE = 20;

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** The year in every item's `tag:` URI: fixed, so ids never change. */
const TAG_YEAR = 2024;

export interface FeedList {
  /** The list's name ("World"), or the site's name for the whole site. */
  title: string;
  description: string;
  /** The list page the feed follows: '/', '/world', '/tag/water'. */
  listPath: string;
  articles: Article[];
  /** Items that are not articles, first in the feed: breaking news, live coverages (the site's feed). */
  extras?: FeedExtra[];
}

/** An item that is not an article: its own `tag:` id (`breaking:7`, `live:3`), a path on the site. */
export interface FeedExtra {
  key: `${'breaking' | 'live'}:${number}`;
  title: string;
  path: string;
  summary: string;
  published: Date;
  updated: Date;
}

export interface FeedSite {
  siteUrl: string;
  siteName: string;
  language: string;
  content: 'full' | 'summary';
  /** The WebSub hub, when there is one. */
  hub?: string | undefined;
  /** The site's logo (`/media/…`). */
  logo?: string | undefined;
  clock: Clock;
}

/**
 * The stable id of an article in every feed.
 *
 * @example
 *   articleGuid('https://news.example', 12); // 'tag:news.example,2024:article:12'
 */
export function articleGuid(siteUrl: string, id: number): string {
  return itemGuid(siteUrl, `article:${id}`);
}

const itemGuid = (siteUrl: string, key: string) => `tag:${new URL(siteUrl).hostname},${TAG_YEAR}:${key}`;

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

function imageType(src: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(src)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

/** The newest change among the articles and extras: the feed's own time. */
function newestChange(articles: Article[], extras: FeedExtra[]): Date {
  let t = 0;
  for (const a of articles) t = Math.max(t, a.updatedAt.getTime(), (a.publishedAt ?? a.updatedAt).getTime());
  for (const x of extras) t = Math.max(t, x.updated.getTime());
  return new Date(t);
}

function extraItem(x: FeedExtra, format: FeedFormat, site: FeedSite): Item {
  const guid = itemGuid(site.siteUrl, x.key);
  const title = xmlSafe(x.title);
  return {
    title: format === 'atom' ? escapeHtml(title) : title,
    id: guid,
    guid,
    link: `${site.siteUrl}${x.path}`,
    date: x.updated,
    published: x.published,
    description: escapeHtml(xmlSafe(x.summary || x.title)),
  };
}

function item(a: Article, format: FeedFormat, site: FeedSite): Item {
  const published = a.publishedAt ?? a.updatedAt;
  const link = `${site.siteUrl}${articlePath({ ...a, publishedAt: published }, site.clock)}`;
  const guid = articleGuid(site.siteUrl, a.id);
  // Atom's title and every summary are HTML (`type="html"`); RSS titles are read as text by most readers.
  const headline = xmlSafe(a.headline);
  const image = a.leadImage ? absoluteUrl(a.leadImage.src, site.siteUrl) : undefined;
  const type = image ? imageType(image) : undefined;
  const authors: FeedAuthor[] = a.authors.map((au) => ({
    name: xmlSafe(au.name),
    link: `${site.siteUrl}${authorPath(au.slug)}`,
  }));
  const content = site.content === 'full' && a.body.length > 0 ? feedHtml(a.body, site.siteUrl) : undefined;
  return {
    title: format === 'atom' ? escapeHtml(headline) : headline,
    id: guid,
    guid,
    link,
    date: a.updatedAt,
    published,
    description: escapeHtml(xmlSafe(a.standfirst || a.headline)),
    ...(content ? { content } : {}),
    ...(authors.length ? { author: authors } : {}),
    category: [a.section.name, ...a.tags.map((t) => t.name)].map((name) => ({ name: xmlSafe(name) })),
    ...(image && type ? { image: { url: image, type } } : {}),
  };
}

/** One feed document and its content type. */
export function renderFeed(format: FeedFormat, list: FeedList, site: FeedSite): { body: string; contentType: string } {
  const links = Object.fromEntries(
    (Object.keys(FEED_FORMATS) as FeedFormat[]).map((f) => [f, `${site.siteUrl}${feedPath(list.listPath, f)}`]),
  ) as Record<FeedFormat, string>;
  const home = `${site.siteUrl}${list.listPath === '/' ? '/' : list.listPath}`;
  const feed = new Feed({
    id: home,
    title: xmlSafe(list.title),
    description: xmlSafe(list.description || list.title),
    link: home,
    language: site.language,
    updated: newestChange(list.articles, list.extras ?? []),
    generator: 'Dateline',
    copyright: `© ${xmlSafe(site.siteName)}`,
    // `feedLinks` gives the self link of the format asked for: each format names only itself.
    feedLinks: { [format]: links[format] },
    ...(site.hub ? { hub: site.hub } : {}),
    ...(site.logo ? { image: absoluteUrl(site.logo, site.siteUrl) } : {}),
  });
  for (const x of list.extras ?? []) feed.addItem(extraItem(x, format, site));
  for (const a of list.articles) feed.addItem(item(a, format, site));
  const contentType = FEED_CONTENT_TYPES[format];
  // RSS's <author> is an e-mail address; bylines are names, which Dublin Core's creator carries (namespace declared).
  if (format === 'rss')
    return { body: feed.rss2().replace(/<author>([^<]*)<\/author>/g, '<dc:creator>$1</dc:creator>'), contentType };
  if (format === 'atom') return { body: feed.atom1(), contentType };
  return { body: jsonFeed11(feed.json1(), list, site), contentType };
}

interface JsonItem {
  id: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  author?: { name?: string; url?: string };
  authors?: { name?: string; url?: string }[];
}

/**
 * `feed` writes JSON Feed 1.0; 1.1 adds the feed's language and hubs, and
 * `authors` lists instead of one `author` (kept too, for 1.0 readers).
 * Summaries are plain text in JSON Feed, not HTML.
 */
function jsonFeed11(json: string, list: FeedList, site: FeedSite): string {
  const { articles } = list;
  const doc = JSON.parse(json) as Record<string, unknown> & { items: JsonItem[] };
  const byGuid = new Map(articles.map((a) => [articleGuid(site.siteUrl, a.id), a]));
  const extras = new Map((list.extras ?? []).map((x) => [itemGuid(site.siteUrl, x.key), x.summary || x.title]));
  const items = doc.items.map((it) => {
    const a = byGuid.get(it.id);
    const summary = a ? a.standfirst || a.headline : extras.get(it.id);
    const authors = a?.authors.map((au) => ({ name: au.name, url: `${site.siteUrl}${authorPath(au.slug)}` })) ?? [];
    const { content_html, ...rest } = it;
    const body = site.content === 'full' && a && a.body.length > 0 ? { content_html } : { content_text: summary };
    return { ...rest, ...(summary ? { summary } : {}), ...body, ...(authors.length ? { authors } : {}) };
  });
  return JSON.stringify(
    {
      ...doc,
      version: 'https://jsonfeed.org/version/1.1',
      language: site.language,
      ...(site.hub ? { hubs: [{ type: 'WebSub', url: site.hub }] } : {}),
      items,
    },
    null,
    2,
  );
}
