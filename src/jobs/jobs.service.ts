/**
 * The background jobs of today, registered on the queue:
 * - `publish-article`: sent when an article is saved as scheduled, due at its
 *   publication time; publishes it if it is still scheduled for that time.
 * - `publish-due`: every minute, publishes every scheduled article whose time
 *   has come (the safety net: a job lost, a schedule moved earlier).
 * - `optimize-index`: daily, full-text index and planner statistics upkeep.
 * Every handler is idempotent: a second run finds the work done.
 *
 * @example
 *   registerJobs({ jobs, events, articles, database, log });
 *   await jobs.start();
 */
import type { ArticleService } from '../articles/article.service.js';
import type { Database } from '../db/connect.js';
import type { EventBus } from '../events/event-bus.js';
import { optimizeIndex } from '../search/search.repository.js';
import type { JobLogger, JobQueue } from './jobs.js';

export const JOB_NAMES = {
  publishArticle: 'publish-article',
  publishDue: 'publish-due',
  optimizeIndex: 'optimize-index',
} as const;

interface PublishArticleData extends Record<string, unknown> {
  articleId: number;
  /** The schedule this job was sent for (ISO time). */
  publishAt: string;
}

export interface JobDeps {
  jobs: JobQueue;
  events: EventBus;
  articles: ArticleService;
  database: Database;
  log: JobLogger;
}

export function registerJobs({ jobs, events, articles, database, log }: JobDeps): void {
  events.on('article.scheduled', async ({ id, publishAt }) => {
    await jobs.send(
      JOB_NAMES.publishArticle,
      { articleId: id, publishAt: publishAt.toISOString() } satisfies PublishArticleData,
      // One job per article and time: saving again changes nothing; a new time gets its own job, and the
      // job for the old time finds the article no longer scheduled for it.
      { startAfter: publishAt, singletonKey: `article:${id}@${publishAt.toISOString()}` },
    );
  });

  jobs.work<PublishArticleData>(JOB_NAMES.publishArticle, async ({ articleId, publishAt }) => {
    if (await articles.publish(articleId, { scheduledFor: new Date(publishAt) })) {
      log.info({ articleId }, 'scheduled article published');
    }
  });

  jobs.work(JOB_NAMES.publishDue, async () => {
    const published = await articles.publishDue();
    if (published) log.info({ published }, 'due scheduled articles published');
  });
  jobs.every(JOB_NAMES.publishDue, '* * * * *');

  jobs.work(JOB_NAMES.optimizeIndex, () => optimizeIndex(database.db, database.dialect));
  jobs.every(JOB_NAMES.optimizeIndex, '30 4 * * *');
}
