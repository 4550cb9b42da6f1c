/**
 * The content model: one shape for written, imported and wire articles.
 * Pure types and rules only; no I/O here.
 */

export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** An image, used as a lead image or as a body block. */
export interface Image {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
}

/**
 * Body blocks. Inline markup (bold, italic, links) lives in `html` fields,
 * which hold a sanitized subset of HTML (see `sanitizeInline`); every other
 * string is plain text and is escaped when rendered.
 */
export type Block =
  | { type: 'paragraph'; html: string }
  | { type: 'crosshead'; text: string }
  | { type: 'quote'; text: string; attribution?: string }
  | { type: 'list'; style: 'bulleted' | 'numbered'; items: string[] /* inline html */ }
  | ({ type: 'image' } & Image)
  | { type: 'embed'; url: string; title?: string; provider?: string };

export type BlockType = Block['type'];

export interface Source {
  name: string;
  url?: string;
  licence?: string;
  licenceUrl?: string;
}

export interface Section {
  id: number;
  slug: string;
  name: string;
  position: number;
}

export interface Tag {
  id: number;
  slug: string;
  name: string;
}

export interface Author {
  id: number;
  slug: string;
  name: string;
  bio?: string;
}

export interface Article {
  id: number;
  externalId?: string;
  slug: string;
  headline: string;
  standfirst: string;
  body: Block[];
  leadImage?: Image;
  authors: Author[];
  section: Section;
  tags: Tag[];
  datelinePlace?: string;
  status: ArticleStatus;
  language: string;
  publishedAt?: Date;
  updatedAt: Date;
  createdAt: Date;
  source?: Source;
}

/** A lightweight article for lists and cards (latest news, section pages). */
export interface ArticleSummary {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  leadImage?: Image;
  section: Pick<Section, 'slug' | 'name'>;
  publishedAt: Date;
}

/** What a writer, an importer or a wire feed hands to the article service. */
export interface ArticleInput {
  externalId?: string;
  slug?: string;
  headline: string;
  standfirst?: string;
  body: Block[];
  leadImage?: Image;
  authors: { name: string; slug?: string }[];
  section: { name: string; slug?: string };
  tags: { name: string; slug?: string }[];
  datelinePlace?: string;
  status: ArticleStatus;
  language?: string;
  publishedAt?: Date;
  updatedAt?: Date;
  source?: Source;
}

/** Plain text of an article's body, for search and similarity. */
export function bodyText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        parts.push(stripTags(b.html));
        break;
      case 'crosshead':
        parts.push(b.text);
        break;
      case 'quote':
        parts.push(b.text);
        break;
      case 'list':
        for (const item of b.items) parts.push(stripTags(item));
        break;
      case 'image':
        if (b.caption) parts.push(b.caption);
        break;
      case 'embed':
        if (b.title) parts.push(b.title);
        break;
    }
  }
  return parts.join('\n\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** Text content of a sanitized inline-HTML string. */
export function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '');
}

/** First path segments the site uses itself; a section may not take them. */
export const RESERVED_SLUGS = new Set([
  'tag',
  'tags',
  'author',
  'authors',
  'assets',
  'media',
  'api',
  'search',
  'feed',
  'feeds',
  'rss',
  'sitemap',
  'admin',
  'newsroom',
  'healthz',
  'readyz',
  'favicon.ico',
  'robots.txt',
]);

/** The section slug to use for a wanted one, steering clear of reserved paths. */
export function sectionSlug(wanted: string): string {
  return RESERVED_SLUGS.has(wanted) ? `${wanted}-news` : wanted;
}
