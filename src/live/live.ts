/**
 * Live coverage of a developing story: types and pure rules, no I/O. A
 * coverage has a headline, a standfirst, a status and its entries; each entry
 * is a short post of Dateline blocks, sanitized as an article's body is.
 *
 * @example
 *   const body = entryBody([{ type: 'paragraph', html: 'Officials <b>spoke</b><script>x()</script>' }]);
 *   // [{ type: 'paragraph', html: 'Officials <b>spoke</b>' }]
 *   livePath({ id: 4, slug: 'storm' }); // '/live/4-storm'
 */
import type { Block } from '../articles/article.js';
import { sanitizeInline } from '../articles/blocks.js';
import { AppError } from '../lib/errors.js';

export const COVERAGE_STATES = ['live', 'paused', 'ended'] as const;
export type CoverageStatus = (typeof COVERAGE_STATES)[number];

/** published: readers see it; in_review: a contributor's, waiting for the desk; deleted: kept for the record only. */
export type EntryState = 'published' | 'in_review' | 'deleted';

export interface Coverage {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  status: CoverageStatus;
  /** An article of the story this coverage belongs to. */
  articleId?: number;
  startedAt: Date;
  endedAt?: Date;
  updatedAt: Date;
}

export interface Entry {
  id: number;
  coverageId: number;
  body: Block[];
  authors: string[];
  state: EntryState;
  pinned: boolean;
  /** A key event's short label, shown in the key-events list. */
  keyEvent?: string;
  /** The visible note of a correction. */
  correction?: string;
  /** The full article this entry was broken out into. */
  articleId?: number;
  createdBy?: number;
  postedAt: Date;
  updatedAt: Date;
}

export interface CoverageInput {
  headline: string;
  standfirst?: string;
  articleId?: number;
}

export const LIMITS = { headline: 300, standfirst: 1000, blocks: 30, html: 10_000, label: 200, note: 1000 } as const;

/** The reader's address of a coverage. */
export function livePath(c: Pick<Coverage, 'id' | 'slug'>): string {
  return `/live/${c.id}-${c.slug}`;
}

/** The anchor of an entry on the live page. */
export const entryAnchor = (id: number): string => `entry-${id}`;

/** Trimmed text within `max` characters, or INVALID_LIVE naming the field. */
export function boundedText(value: string | undefined, field: string, max: number, required = false): string {
  const text = (value ?? '').trim();
  if (required && !text) throw new AppError('INVALID_LIVE', `${field} is required`, { field });
  if (text.length > max) throw new AppError('INVALID_LIVE', `${field} is longer than ${max} characters`, { field });
  return text;
}

const httpUrl = (url: string) => /^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url);

/**
 * An entry's body made safe: inline HTML sanitized as articles' is, plain
 * texts trimmed (escaped when shown), images and embeds only over http(s) or
 * from the site; empty blocks dropped. INVALID_LIVE when nothing is left.
 */
export function entryBody(blocks: readonly Block[]): Block[] {
  if (blocks.length > LIMITS.blocks) throw new AppError('INVALID_LIVE', `at most ${LIMITS.blocks} blocks`);
  const clean: Block[] = [];
  for (const block of blocks) {
    const b = cleanBlock(block);
    if (b) clean.push(b);
  }
  if (clean.length === 0) throw new AppError('INVALID_LIVE', 'an entry needs some text', { field: 'body' });
  return clean;
}

function cleanBlock(block: Block): Block | undefined {
  const inline = (html: string) => sanitizeInline(html.slice(0, LIMITS.html)).trim();
  switch (block.type) {
    case 'paragraph': {
      const html = inline(block.html);
      return html ? { type: 'paragraph', html } : undefined;
    }
    case 'crosshead': {
      const text = block.text.trim().slice(0, LIMITS.headline);
      return text ? { type: 'crosshead', text } : undefined;
    }
    case 'quote': {
      const text = block.text.trim().slice(0, LIMITS.html);
      const attribution = block.attribution?.trim().slice(0, LIMITS.label);
      return text ? { type: 'quote', text, ...(attribution ? { attribution } : {}) } : undefined;
    }
    case 'list': {
      const items = block.items.map(inline).filter(Boolean);
      return items.length
        ? { type: 'list', style: block.style === 'numbered' ? 'numbered' : 'bulleted', items }
        : undefined;
    }
    case 'image':
      return httpUrl(block.src) ? block : undefined;
    case 'embed':
      return httpUrl(block.url) && !block.url.startsWith('/') ? block : undefined;
    default:
      return undefined;
  }
}

/** The words of a body, for a headline's default or a share text. */
export function entryText(blocks: readonly Block[], max = 200): string {
  const text = blocks
    .map((b) =>
      'html' in b ? b.html.replace(/<[^>]*>/g, '') : 'text' in b ? b.text : 'items' in b ? b.items.join(' ') : '',
    )
    .join(' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
