/**
 * What follows a change to published content, in two steps:
 * - at commit, in the writer's process: the article's own page, Latest news
 *   and the lists the article belongs to are dropped from the caches of every
 *   instance (through the invalidator), so readers see the change at once;
 * - from the job queue, durable, once per event across instances: the same
 *   invalidation again (it reaches instances the writer's process could not:
 *   `dateline import` run beside a SQLite site), and the related lists and
 *   story of the article and of its neighbours, then the pages whose lists
 *   changed. A crash after the commit loses none of it: the jobs are in the
 *   database, and run on the next start.
 * Bulk changes (import batches, related rebuilds) drop every page instead.
 *
 * @example
 *   registerPublishingEffects({ events, related, invalidator });
 *   await events.prepare();
 */
import type { ArticleEvent, EventBus } from '../events/event-bus.js';
import { EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import type { RelatedService } from '../related/related.service.js';

export const EFFECT_JOBS = {
  /** Cache invalidation, repeated from the queue for every instance and process. */
  pages: 'pages-refresh',
  /** Related lists and stories of the article and its neighbours. */
  related: 'related-refresh',
} as const;

/**
 * The cache tags of what shows an article: its page, its section, tags and authors' lists, and its block of
 * `blockSize` ids (the articles sitemap file that lists it, `src/seo/`).
 */
export function tagsFor(e: ArticleEvent, blockSize: number): string[] {
  return [
    `article:${e.id}`,
    `section:${e.sectionId}`,
    ...e.tagIds.map((id) => `tag:${id}`),
    ...e.authorIds.map((id) => `author:${id}`),
    articleBlockTag(Math.ceil(e.id / blockSize)),
  ];
}

/**
 * The tag of the nth block of article ids (ids `(n − 1) × size + 1 … n × size`): the page cache drops that
 * articles sitemap file, and no other, when one of its articles changes.
 *
 * @example
 *   articleBlockTag(3); // 'articles-block:3'
 */
export function articleBlockTag(n: number): string {
  return `articles-block:${n}`;
}

/** A new or withdrawn article also changes every page with Latest news; an edit only the pages that show it. */
const commitTags = {
  'article.published': (e: ArticleEvent, blockSize: number) => ['latest', ...tagsFor(e, blockSize)],
  'article.updated': (e: ArticleEvent, blockSize: number) => tagsFor(e, blockSize),
  'article.unpublished': (e: ArticleEvent, blockSize: number) => ['latest', ...tagsFor(e, blockSize)],
} as const;

export interface EffectDeps {
  events: EventBus;
  related: RelatedService;
  invalidator: Pick<Invalidator, 'invalidate'>;
  /** Article ids per articles sitemap file (SITEMAP_PAGE_SIZE). */
  sitemapBlockSize: number;
}

export function registerPublishingEffects({ events, related, invalidator, sitemapBlockSize }: EffectDeps): void {
  for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const) {
    const tags = (e: ArticleEvent) => commitTags[name](e, sitemapBlockSize);
    events.onCommit(name, (e) => invalidator.invalidate(tags(e)));
    events.handle(name, EFFECT_JOBS.pages, async (e) => invalidator.invalidate(tags(e)));
  }
  for (const name of ['content.bulkChanged', 'taxonomy.changed'] as const) {
    events.onCommit(name, () => invalidator.invalidate([EVERYTHING]));
    events.handle(name, EFFECT_JOBS.pages, async () => invalidator.invalidate([EVERYTHING]));
  }

  const refresh = async (e: ArticleEvent) => {
    const changed = await related.refreshAround(e.id);
    invalidator.invalidate(changed.map((id) => `article:${id}`));
  };
  events.handle('article.published', EFFECT_JOBS.related, refresh);
  events.handle('article.updated', EFFECT_JOBS.related, refresh);
  // Lists that held it no longer do; the pages showing it were dropped at commit (`article:<id>`).
  events.handle('article.unpublished', EFFECT_JOBS.related, (e) => related.forget(e.id));
}
