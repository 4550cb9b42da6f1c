/**
 * What follows a change to a live coverage: the pages and streams showing it
 * are told on every instance through the cache invalidation transport (the
 * tag `live:<id>`; `live` for lists of coverages), at commit in the writer's
 * process and again, durably, from the job queue.
 *
 * @example
 *   registerLiveEffects({ events, invalidator });
 *   await events.prepare();
 */
import type { EventBus } from '../events/event-bus.js';
import type { Invalidator } from '../instances/invalidation.js';

export const LIVE_PAGES_JOB = 'live-refresh';

/** The cache tag of a coverage's page, its polling answers and its stream. */
export const liveTag = (coverageId: number): string => `live:${coverageId}`;

/** The id a `live:<id>` tag names, or undefined for any other tag. */
export function coverageOfTag(tag: string): number | undefined {
  const m = /^live:(\d{1,12})$/.exec(tag);
  return m ? Number(m[1]) : undefined;
}

export function registerLiveEffects({
  events,
  invalidator,
}: {
  events: EventBus;
  invalidator: Pick<Invalidator, 'invalidate'>;
}): void {
  // The story's article links to the coverage while it is live: its page (and those listing it) change with the status.
  const tags = (e: { coverageId: number; articleId?: number }) => [
    liveTag(e.coverageId),
    'live',
    ...(e.articleId ? [`article:${e.articleId}`] : []),
  ];
  events.onCommit('live.changed', (e) => invalidator.invalidate(tags(e)));
  events.handle('live.changed', LIVE_PAGES_JOB, async (e) => invalidator.invalidate(tags(e)));
}
