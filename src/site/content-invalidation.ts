/**
 * What each content event changes, in order: related lists first (they are
 * part of pages), then the caches of every instance, through the invalidator.
 * A new article changes every page with Latest news; an edit changes the pages
 * that show the article, the lists it belongs to, and articles whose related
 * lists were recomputed. Bulk imports compute related lists after their last
 * batch, and invalidate everything once per batch and once at the end.
 */

import type { ArticleEvent, EventBus } from '../events/event-bus.js';
import type { Invalidator } from '../instances/invalidation.js';
import type { RelatedService } from '../related/related.service.js';

export function tagsFor(e: ArticleEvent): string[] {
  return [
    `article:${e.id}`,
    `section:${e.sectionId}`,
    ...e.tagIds.map((id) => `tag:${id}`),
    ...e.authorIds.map((id) => `author:${id}`),
  ];
}

export function registerContentInvalidation(events: EventBus, related: RelatedService, invalidator: Invalidator): void {
  const refreshed = async (e: ArticleEvent): Promise<string[]> =>
    (await related.refreshAround(e.id)).map((id) => `article:${id}`);
  // Bulk imports invalidate once per batch themselves (see ingest/import.service.ts), not once per article.
  events.on('article.published', async (e) => {
    if (!e.bulk) invalidator.invalidate(['latest', ...tagsFor(e), ...(await refreshed(e))]);
  });
  events.on('article.updated', async (e) => {
    if (!e.bulk) invalidator.invalidate([...tagsFor(e), ...(await refreshed(e))]);
  });
  events.on('article.unpublished', async (e) => {
    await related.forget(e.id);
    if (!e.bulk) invalidator.invalidate(['latest', ...tagsFor(e)]);
  });
}
