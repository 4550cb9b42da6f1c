/**
 * Scheduled publishing, from the job queue:
 * - `publish-article`: queued with a scheduled article's save, due at its
 *   publication time; publishes it if it is still scheduled for that time;
 * - `publish-due`: every minute, publishes every scheduled article whose time
 *   has come (the safety net: a job lost, a schedule moved earlier).
 * Both are idempotent: a second run finds the work done.
 *
 * @example
 *   registerScheduledPublishing({ jobs, articles, log });
 *   await jobs.start();
 */
import { type ArticleService, PUBLISH_SCHEDULED_JOB, type PublishScheduledData } from '../articles/article.service.js';
import type { JobLogger, JobQueue } from '../jobs/jobs.js';

export const PUBLISH_DUE_JOB = 'publish-due';

export function registerScheduledPublishing(deps: { jobs: JobQueue; articles: ArticleService; log: JobLogger }): void {
  const { jobs, articles, log } = deps;
  jobs.work<PublishScheduledData>(PUBLISH_SCHEDULED_JOB, async ({ articleId, publishAt }) => {
    if (await articles.publishScheduled(articleId, { scheduledFor: new Date(publishAt) })) {
      log.info({ articleId }, 'scheduled article published');
    }
  });
  jobs.work(PUBLISH_DUE_JOB, async () => {
    const published = await articles.publishDue();
    if (published) log.info({ published }, 'due scheduled articles published');
  });
  jobs.every(PUBLISH_DUE_JOB, '* * * * *');
}
