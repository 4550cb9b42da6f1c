/**
 * Saves the posts of another platform's export (`parseWordpress`,
 * `parseGhost`) through the article service, and points their old addresses
 * at them. Re-running an import updates: each post carries an external id
 * (`wordpress:<guid>`, `ghost:<id>`). A post that cannot be saved is reported
 * by its platform id with the reason, and the rest imports. The related lists
 * of the published posts are computed once all are saved.
 *
 * @example
 *   const report = await importArchive(deps, parseWordpress(xml));
 *   // { posts: 4, created: 4, updated: 0, failed: [], skipped: [{ ref: 'page 2', reason: 'a page, not a post' }], … }
 */
import type { Kysely } from 'kysely';
import type { ArticleService, SavedArticle } from '../articles/article.service.js';
import { saveBatch } from '../articles/save-batch.js';
import type { Schema } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { RelatedProgress, RelatedService } from '../related/related.service.js';
import type { BackgroundReindex } from '../search/search.jobs.js';
import type { ArchivePost, ArchiveSkip, ParsedArchive } from './archive-post.js';
import { recordOldPermalinks } from './old-permalink.repository.js';

export interface ArchiveImportDeps {
  articles: ArticleService;
  related: Pick<RelatedService, 'refreshMany'>;
  events: Pick<EventBus, 'emit'>;
  database: { db: Kysely<Schema> };
  /** Writes the search entries the saves queued (PostgreSQL), beside them. */
  searchReindex?: Pick<BackgroundReindex, 'kick' | 'settle'>;
}

export interface ArchiveImportReport {
  posts: number;
  created: number;
  updated: number;
  failed: ArchiveSkip[];
  skipped: ArchiveSkip[];
  /** Old addresses that now answer a 301. */
  oldPermalinks: number;
  seconds: number;
}

const BATCH = 200;

export async function importArchive(
  deps: ArchiveImportDeps,
  archive: ParsedArchive,
  options: {
    onProgress?: (done: number, total: number) => void;
    /** The related pass after the saves, phase by phase. */
    onRelated?: RelatedProgress;
  } = {},
): Promise<ArchiveImportReport> {
  const started = performance.now();
  const report: ArchiveImportReport = {
    posts: archive.posts.length,
    created: 0,
    updated: 0,
    failed: [],
    skipped: archive.skipped,
    oldPermalinks: 0,
    seconds: 0,
  };
  const published: number[] = [];
  for (let i = 0; i < archive.posts.length; i += BATCH) {
    for (const { post, saved } of await savePosts(deps.articles, archive.posts.slice(i, i + BATCH), report)) {
      if (saved.created) report.created++;
      else report.updated++;
      if (saved.published) published.push(saved.id);
      await recordOldPermalinks(deps.database.db, saved.id, post.oldPaths);
      report.oldPermalinks += post.oldPaths.length;
    }
    deps.searchReindex?.kick();
    options.onProgress?.(Math.min(i + BATCH, archive.posts.length), archive.posts.length);
  }
  await deps.searchReindex?.settle();
  if (published.length > 0) {
    await deps.related.refreshMany(published, options.onRelated);
    await deps.events.emit([{ name: 'content.bulkChanged', payload: { articles: published.length } }]);
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** One transaction per batch (`articles/save-batch.ts`); a post that cannot be saved is reported with its reason. */
async function savePosts(
  articles: ArticleService,
  posts: ArchivePost[],
  report: ArchiveImportReport,
): Promise<{ post: ArchivePost; saved: SavedArticle }[]> {
  const outcomes = await saveBatch(
    articles,
    posts.map((p) => p.input),
    { bulk: true, deferIndexes: true },
  );
  return posts.flatMap((post, i) => {
    const outcome = outcomes[i]!;
    if ('saved' in outcome) return [{ post, saved: outcome.saved }];
    report.failed.push({ ref: post.ref, reason: outcome.reason });
    return [];
  });
}
