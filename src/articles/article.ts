/**
 * The content model: one shape for written, imported and wire articles.
 * Pure types and rules only; no I/O here.
 */

export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** A draft submitted to an editor, or sent back to its writer with a note. */
export const REVIEW_STATES = ['submitted', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/**
 * Where an article stands in the newsroom's workflow: its status, told apart
 * further for drafts (in review, sent back, taken off the site).
 *
 *   draft → in_review → scheduled / published → unpublished / archived
 */
export type WorkflowState =
  | 'draft'
  | 'in_review'
  | 'sent_back'
  | 'scheduled'
  | 'published'
  | 'unpublished'
  | 'archived';

export function workflowState(a: Pick<Article, 'status' | 'review' | 'firstPublishedAt'>): WorkflowState {
  if (a.status !== 'draft') return a.status;
  if (a.review === 'submitted') return 'in_review';
  if (a.review === 'returned') return 'sent_back';
  return a.firstPublishedAt ? 'unpublished' : 'draft';
}

/** A dated correction or update shown on the article page. */
export interface ArticleNote {
  kind: 'correction' | 'update';
  text: string;
  at: Date;
}

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
  /** An uploaded image's address. */
  photo?: string;
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
  /** The source gave only a date (stored as noon UTC): shown as that date, never as a time of day. */
  publishedDayOnly?: true;
  updatedAt: Date;
  createdAt: Date;
  source?: Source;
  /** Raised by every save: an edit based on an older version is refused (409 VERSION_CONFLICT). */
  version: number;
  review?: ReviewState;
  /** The editor's note when the article was sent back. */
  reviewNote?: string;
  /** Nobody may publish it before this time. */
  embargoUntil?: Date;
  /** When readers first saw it; kept when it is unpublished. */
  firstPublishedAt?: Date;
  /** Corrections and updates, oldest first. */
  notes: ArticleNote[];
  /** The newsroom user who created it (its owner, for permissions); absent for an imported article. */
  createdBy?: number;
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
  /** The source gave only a date: shown as that date. */
  publishedDayOnly?: true;
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
  /** `publishedAt` is a date without a time (an import's `2014-04-10`); kept with the time it qualifies. */
  publishedDayOnly?: boolean;
  updatedAt?: Date;
  source?: Source;
  /** Left out: unchanged on an update (none for a new article). */
  review?: ReviewState | null;
  reviewNote?: string | null;
  /** Left out: unchanged on an update; null lifts the embargo. */
  embargoUntil?: Date | null;
}

/** The input that saves an article exactly as it is: the start of every status change. */
export function toInput(a: Article): ArticleInput {
  return {
    ...(a.externalId ? { externalId: a.externalId } : {}),
    slug: a.slug,
    headline: a.headline,
    standfirst: a.standfirst,
    body: a.body,
    ...(a.leadImage ? { leadImage: a.leadImage } : {}),
    authors: a.authors.map(({ name, slug }) => ({ name, slug })),
    section: { name: a.section.name, slug: a.section.slug },
    tags: a.tags.map(({ name, slug }) => ({ name, slug })),
    ...(a.datelinePlace ? { datelinePlace: a.datelinePlace } : {}),
    status: a.status,
    language: a.language,
    ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}),
    ...(a.publishedDayOnly ? { publishedDayOnly: true } : {}),
    updatedAt: a.updatedAt,
    ...(a.source ? { source: a.source } : {}),
    review: a.review ?? null,
    reviewNote: a.reviewNote ?? null,
    embargoUntil: a.embargoUntil ?? null,
  };
}

/** A published article this far ahead is scheduled instead: a feed's clock may run a little fast, not more. */
export const FUTURE_TOLERANCE_MS = 15 * 60_000;
/** Nothing is scheduled further ahead than this: a date like 9999-12-31 is a mistake, not a plan. */
export const MAX_SCHEDULE_MS = 5 * 366 * 24 * 3_600_000;

/**
 * The status an input is saved with: a "published" article dated in the
 * future becomes scheduled for that time.
 *
 * @example
 *   effectiveStatus({ status: 'published', publishedAt: new Date('2999-01-01') }, new Date()); // 'scheduled'
 */
export function effectiveStatus(input: Pick<ArticleInput, 'status' | 'publishedAt'>, now: Date): ArticleStatus {
  const ahead = input.publishedAt ? input.publishedAt.getTime() - now.getTime() : 0;
  return input.status === 'published' && ahead > FUTURE_TOLERANCE_MS ? 'scheduled' : input.status;
}

/** True when the body says something: text, an image or an embed. */
export function hasBody(blocks: Block[]): boolean {
  return blocks.some((b) => b.type === 'image' || b.type === 'embed' || bodyText([b]).trim() !== '');
}

/**
 * Why this input cannot be saved with this status, in words an editor or an
 * importer's report can show; empty when it can.
 */
export function saveProblems(input: ArticleInput, status: ArticleStatus, now: Date): string[] {
  const problems: string[] = [];
  if (!input.headline?.trim()) problems.push('headline is empty');
  if (!input.section?.name?.trim()) problems.push('section is empty');
  // A wire or aggregator item may be a headline that links to the original; anything else needs a body.
  const live = status === 'published' || status === 'scheduled';
  if (live && !hasBody(input.body) && !input.source?.url)
    problems.push(`a ${status} article needs a body (or a link to the original it stands for)`);
  if (status === 'scheduled') {
    if (!input.publishedAt) problems.push('a scheduled article needs a publication time');
    else if (input.publishedAt.getTime() - now.getTime() > MAX_SCHEDULE_MS)
      problems.push('the publication time is more than five years ahead');
  }
  return problems;
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
  // A line break separates words: "Fallakte (eFA)<br>Die eFA" is two lines, not "(eFA)Die".
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '');
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
