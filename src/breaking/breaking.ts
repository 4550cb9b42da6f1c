/**
 * Breaking news: an article or a live entry flagged as breaking for a time
 * box. Types and pure rules, no I/O. Whether a flag shows is decided by the
 * clock each time it is asked (`showing`), so a flag ends by itself at the
 * end of its time box: no job has to take it down.
 *
 * @example
 *   const box = timeBox(30, new Date('2026-12-06T10:00:00Z')); // 10:00 → 10:30
 *   showing([flag], new Date('2026-12-06T10:29:59Z')); // flag
 *   showing([flag], new Date('2026-12-06T10:30:00Z')); // undefined
 */
import { AppError } from '../lib/errors.js';

/** What is breaking: a published article, or a published entry of a live coverage. */
export type BreakingTarget = { kind: 'article'; id: number } | { kind: 'entry'; id: number };

export interface Breaking {
  id: number;
  /** The banner's words. */
  headline: string;
  /** Where the banner leads: a path on the site. */
  href: string;
  target: BreakingTarget;
  startsAt: Date;
  endsAt: Date;
  /** Set when an editor ended it before its time box. */
  endedAt?: Date;
  createdBy?: number;
}

export const BREAKING_LIMITS = { headline: 200, minMinutes: 5, maxMinutes: 24 * 60, defaultMinutes: 60 } as const;

/** The time box of a flag made at `now` for `minutes`, or INVALID_BREAKING outside 5 minutes … 24 hours. */
export function timeBox(minutes: number, now: Date): { startsAt: Date; endsAt: Date } {
  const { minMinutes, maxMinutes } = BREAKING_LIMITS;
  if (!Number.isInteger(minutes) || minutes < minMinutes || minutes > maxMinutes)
    throw new AppError('INVALID_BREAKING', `a time box is ${minMinutes} to ${maxMinutes} minutes`, {
      field: 'minutes',
    });
  return { startsAt: now, endsAt: new Date(now.getTime() + minutes * 60_000) };
}

/** Whether a flag shows at `now`: inside its time box and not ended early. */
export const isShowing = (b: Breaking, now: Date): boolean =>
  !b.endedAt && b.startsAt.getTime() <= now.getTime() && now.getTime() < b.endsAt.getTime();

/** The flag the banner shows at `now`: the newest one showing, if any. */
export function showing(flags: readonly Breaking[], now: Date): Breaking | undefined {
  let best: Breaking | undefined;
  for (const b of flags) if (isShowing(b, now) && (!best || b.startsAt >= best.startsAt)) best = b;
  return best;
}

/** The next moment what `showing` answers may change by itself (a time box ending or starting), if any. */
export function nextTurn(flags: readonly Breaking[], now: Date): Date | undefined {
  let next: number | undefined;
  for (const b of flags) {
    if (b.endedAt) continue;
    for (const t of [b.startsAt.getTime(), b.endsAt.getTime()])
      if (t > now.getTime() && (next === undefined || t < next)) next = t;
  }
  return next === undefined ? undefined : new Date(next);
}
