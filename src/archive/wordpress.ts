/**
 * WordPress's export (WXR 1.2, Tools → Export) → archive posts: posts with
 * their HTML as blocks, authors by display name, the first category as the
 * section and the other categories and the tags as tags, the featured image
 * (its attachment's URL and alt text), the excerpt as the standfirst,
 * publication state and dates (a `future` post is scheduled), and the post's
 * permalink and its guid (when a path of the site) as old addresses. Pages,
 * attachments, trashed and auto-drafts are skipped, each with its reason.
 *
 * @example
 *   const { posts, skipped } = parseWordpress(readFileSync('site.WordPress.2026-12-05.xml', 'utf8'));
 *   posts[0]; // { ref: 'post 11', input: { externalId: 'wordpress:https://vesti.example/?p=11', … }, oldPaths: [...] }
 */
import { XMLParser } from 'fast-xml-parser';
import type { ArticleInput, ArticleStatus, Image } from '../articles/article.js';
import { htmlToBlocks } from '../extract/html-to-blocks.js';
import { AppError } from '../lib/errors.js';
import { slugFor } from '../lib/slug.js';
import { type ArchivePost, type ParsedArchive, plainText, withParagraphs } from './archive-post.js';
import { permalinkPath } from './old-permalink.js';

type Node = Record<string, unknown>;

const LISTS = new Set(['item', 'category', 'wp:postmeta', 'wp:author']);
const STATUSES: Record<string, ArticleStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};

export interface WordpressOptions {
  /** The articles' language, over the one the export names (`<language>`). */
  language?: string;
}

export function parseWordpress(xml: string, options: WordpressOptions = {}): ParsedArchive {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    isArray: (name) => LISTS.has(name),
  });
  let doc: Node;
  try {
    doc = parser.parse(xml.replace(/^\ufeff/, '')) as Node;
  } catch (err) {
    throw new AppError('INVALID_EXPORT', `not a WordPress export: ${(err as Error).message}`);
  }
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel || !String(text(channel['wp:wxr_version'])).startsWith('1.'))
    throw new AppError('INVALID_EXPORT', 'not a WordPress export (WXR 1.x): no <rss><channel> with <wp:wxr_version>');

  const base = text(channel['wp:base_blog_url']) || text(channel.link) || 'https://wordpress.invalid';
  const language = options.language ?? (text(channel.language) || undefined);
  const authors = new Map(
    list(channel['wp:author']).map((a) => [text(a['wp:author_login']), text(a['wp:author_display_name'])]),
  );
  const items = list(channel.item);
  const attachments = new Map(
    items.filter((i) => text(i['wp:post_type']) === 'attachment').map((i) => [text(i['wp:post_id']), i]),
  );

  const result: ParsedArchive = { posts: [], skipped: [] };
  for (const item of items) {
    const type = text(item['wp:post_type']);
    const ref = `${type || 'item'} ${text(item['wp:post_id'])}`;
    if (type === 'attachment') continue;
    if (type !== 'post') {
      result.skipped.push({ ref, reason: `a ${type || 'item without a type'}, not a post` });
      continue;
    }
    const status = STATUSES[text(item['wp:status'])];
    if (!status) {
      result.skipped.push({ ref, reason: `status ${text(item['wp:status']) || 'missing'}` });
      continue;
    }
    result.posts.push(toPost(item, ref, status, { base, language, authors, attachments }));
  }
  return result;
}

interface Context {
  base: string;
  language: string | undefined;
  authors: Map<string, string>;
  attachments: Map<string, Node>;
}

function toPost(item: Node, ref: string, status: ArticleStatus, ctx: Context): ArchivePost {
  const id = text(item['wp:post_id']);
  const guid = text(item.guid) || `${ctx.base}/?p=${id}`;
  const link = text(item.link);
  const categories = list(item.category);
  const named = (domain: string) =>
    categories.filter((c) => c['@_domain'] === domain).map((c) => ({ name: plainText(text(c)) }));
  const [section, ...moreCategories] = named('category').filter(
    (c) => c.name !== '' && c.name.toLowerCase() !== 'uncategorized',
  );
  const login = text(item['dc:creator']);
  const publishedAt = gmtDate(text(item['wp:post_date_gmt'])) ?? rfcDate(text(item.pubDate));
  const updatedAt = gmtDate(text(item['wp:post_modified_gmt']));
  const lead = featuredImage(item, ctx.attachments);
  // The post's own slug, transliterated (новости-дня → novosti-dnya): the address stays when a headline is edited.
  const slug = slugFor(decoded(text(item['wp:post_name'])));
  const input: ArticleInput = {
    externalId: `wordpress:${guid}`,
    ...(slug ? { slug } : {}),
    headline: plainText(text(item.title)),
    standfirst: plainText(text(item['excerpt:encoded'])),
    body: htmlToBlocks(withParagraphs(text(item['content:encoded'])), link || ctx.base),
    ...(lead ? { leadImage: lead } : {}),
    authors: login ? [{ name: ctx.authors.get(login) || login }] : [],
    section: section ?? { name: 'News' },
    tags: [...moreCategories, ...named('post_tag')].filter((t) => t.name !== ''),
    status,
    ...(ctx.language ? { language: ctx.language } : {}),
    ...(publishedAt && status !== 'draft' ? { publishedAt } : {}),
    ...(updatedAt && status !== 'draft' ? { updatedAt } : {}),
  };
  // WordPress answers `/?p=<id>` for every post, whatever its permalinks: links in the wild use it too.
  const oldPaths = [
    ...new Set(
      [link, guid.startsWith(ctx.base) ? guid : '', id ? `/?p=${id}` : '']
        .map((u) => (u ? permalinkPath(u) : undefined))
        .filter((p): p is string => p !== undefined),
    ),
  ];
  return { ref, input, oldPaths };
}

/** The post's `_thumbnail_id` points at an attachment item, whose URL and alt text make the lead image. */
function featuredImage(item: Node, attachments: Map<string, Node>): Image | undefined {
  const thumbnail = meta(item, '_thumbnail_id');
  const attachment = thumbnail ? attachments.get(thumbnail) : undefined;
  const src = attachment ? text(attachment['wp:attachment_url']) : '';
  if (!attachment || !/^https?:\/\//i.test(src)) return undefined;
  const caption = plainText(text(attachment['excerpt:encoded']));
  return {
    src,
    alt: plainText(meta(attachment, '_wp_attachment_image_alt')),
    ...(caption ? { caption } : {}),
  };
}

const meta = (item: Node, key: string): string =>
  text(list(item['wp:postmeta']).find((m) => text(m['wp:meta_key']) === key)?.['wp:meta_value']);

/** `2026-12-04 08:00:00` in UTC; WordPress writes zeros for a draft never given a date. */
function gmtDate(value: string): Date | undefined {
  if (!value || value.startsWith('0000')) return undefined;
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function rfcDate(value: string): Date | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 ? undefined : date;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** An element's text, whether the parser made it a string or an object with attributes. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return text((value as Node)['#text']);
  return String(value).trim();
}

const list = (value: unknown): Node[] => (Array.isArray(value) ? value : value ? [value] : []) as Node[];
