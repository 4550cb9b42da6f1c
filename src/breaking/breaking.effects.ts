/**
 * What follows a breaking-news change: every instance reads the flags again
 * and drops what it built from them (the tag `breaking`), at commit in the
 * writer's process and again, durably, from the job queue. Cached pages are
 * not dropped: their banner is spliced in when they are sent (`src/web/page-slot.ts`).
 *
 * @example
 *   registerBreakingEffects({ events, invalidator });
 */
import type { EventBus } from '../events/event-bus.js';
import type { Invalidator } from '../instances/invalidation.js';
import { BREAKING_TAG } from './breaking.service.js';

export const BREAKING_JOB = 'breaking-refresh';

export function registerBreakingEffects({
  events,
  invalidator,
}: {
  events: EventBus;
  invalidator: Pick<Invalidator, 'invalidate'>;
}): void {
  events.onCommit('breaking.changed', () => invalidator.invalidate([BREAKING_TAG]));
  events.handle('breaking.changed', BREAKING_JOB, async () => invalidator.invalidate([BREAKING_TAG]));
}
