/**
 * What each content event invalidates in the page cache. A new article
 * changes every page with Latest news; an edit changes the pages that show
 * the article, and the lists it belongs to.
 */
import type { ArticleEvent, EventBus } from '../events/event-bus.js';
import type { PageCache } from './page-cache.js';

export function tagsFor(e: ArticleEvent): string[] {
  return [
    `article:${e.id}`,
    `section:${e.sectionId}`,
    ...e.tagIds.map((id) => `tag:${id}`),
    ...e.authorIds.map((id) => `author:${id}`),
  ];
}

export function registerPageCacheInvalidation(events: EventBus, cache: PageCache): void {
  events.on('article.published', (e) => void cache.invalidate(['latest', ...tagsFor(e)]));
  events.on('article.updated', (e) => void cache.invalidate(tagsFor(e)));
  events.on('article.unpublished', (e) => void cache.invalidate(['latest', ...tagsFor(e)]));
}
