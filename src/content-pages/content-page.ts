/**
 * The site's own pages (About, Contact, Corrections policy…): a title, an
 * address at the top of the site (`/about`) and a body of Dateline blocks,
 * edited in the newsroom and linked from every page's footer. Pure rules.
 */
import type { Block } from '../articles/article.js';
import { RESERVED_SLUGS } from '../articles/article.js';
import { AppError } from '../lib/errors.js';
import { slugify } from '../lib/slug.js';

export interface ContentPage {
  id: number;
  slug: string;
  title: string;
  body: Block[];
  /** Order in the footer; 0 keeps the page out of it. */
  position: number;
  updatedAt: Date;
}

/** What the footer links to. */
export interface ContentPageLink {
  slug: string;
  title: string;
}

export interface ContentPageInput {
  id?: number;
  title: string;
  /** Made from the title when empty. */
  slug?: string;
  body: Block[];
  position?: number;
}

export const TITLE_MAX = 200;
export const SLUG_MAX = 80;

/**
 * The page's title and address, checked: a title of 1–200 characters, an
 * address of lowercase words that no route of the site uses.
 *
 * @example
 *   pageAddress({ title: 'About us', body: [] }); // { title: 'About us', slug: 'about-us' }
 *   pageAddress({ title: 'Tags', slug: 'tag', body: [] }); // throws INVALID_PAGE
 */
export function pageAddress(input: ContentPageInput): { title: string; slug: string } {
  const title = input.title.trim();
  if (!title) throw new AppError('INVALID_PAGE', 'give the page a title');
  if (title.length > TITLE_MAX) throw new AppError('INVALID_PAGE', `a title is at most ${TITLE_MAX} characters`);
  const wanted = input.slug?.trim() ? input.slug.trim() : title;
  const slug = slugify(wanted, SLUG_MAX);
  if (!slug) throw new AppError('INVALID_PAGE', 'give the page an address made of letters or digits');
  if (input.slug?.trim() && slug !== input.slug.trim())
    throw new AppError('INVALID_PAGE', `an address is lowercase letters, digits and hyphens, like ${slug}`);
  if (RESERVED_SLUGS.has(slug)) throw new AppError('INVALID_PAGE', `the site uses /${slug} itself`);
  if (input.body.length === 0) throw new AppError('INVALID_PAGE', 'write something on the page');
  return { title, slug };
}
