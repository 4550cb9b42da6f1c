/**
 * Old addresses answer with the new one: the reader face asks this when no
 * route matched, before it shows its 404 page.
 *
 * @example
 *   const moved = oldPermalinks(db, clock);
 *   await moved('/2019/05/06/%D0%BC%D0%B8%D1%80/'); // '/mir/2019/05/06/mir'
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { Clock } from '../lib/time.js';
import { articlePath } from '../site/urls.js';
import { permalinkPath } from './old-permalink.js';
import { findMovedArticle } from './old-permalink.repository.js';

export type OldPermalinks = (url: string) => Promise<string | undefined>;

export function oldPermalinks(db: Kysely<Schema>, clock: Clock): OldPermalinks {
  return async (url) => {
    const path = permalinkPath(url);
    const moved = path && (await findMovedArticle(db, path));
    if (!moved) return undefined;
    return articlePath(
      { slug: moved.slug, section: { slug: moved.sectionSlug }, publishedAt: moved.publishedAt },
      clock,
    );
  };
}
