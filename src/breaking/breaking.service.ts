/**
 * Breaking news's one door. An editor flags a published article or live
 * entry as breaking for a time box, or ends a flag early; each change is one
 * transaction with its audit entry and a `breaking.changed` event. Every
 * instance keeps the flags in memory (a handful of rows), read again when
 * the invalidation bus says `breaking`, so pages ask `current()` without a
 * query. The time box is checked against the clock on every call: a flag
 * ends by itself. A timer tells listeners when a time box starts or ends, so
 * whatever they cached from it (a feed) can be dropped.
 *
 * @example
 *   const breaking = await createBreakingService({ database, events, audit, invalidator, live, articlePath, log });
 *   await breaking.flag({ target: { kind: 'article', id: 12 }, minutes: 30 }, editor);
 *   breaking.current(); // the flag, until 30 minutes from now
 */
import type { PolicyUser } from '../accounts/policy.js';
import { authorize } from '../accounts/policy.js';
import type { Article } from '../articles/article.js';
import { findArticleById } from '../articles/article.repository.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import type { EventBus } from '../events/event-bus.js';
import { EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import { AppError } from '../lib/errors.js';
import { entryAnchor, entryText, livePath } from '../live/live.js';
import type { LiveService } from '../live/live.service.js';
import { BREAKING_LIMITS, type Breaking, type BreakingTarget, nextTurn, showing, timeBox } from './breaking.js';
import * as repo from './breaking.repository.js';

/** The invalidation tag that makes every instance read the flags again, and that pages built from them carry. */
export const BREAKING_TAG = 'breaking';

export interface BreakingService {
  /** Flags a published article or live entry as breaking for `minutes` (5 … 1,440), from now. */
  flag(input: { target: BreakingTarget; headline?: string; minutes: number }, actor: PolicyUser): Promise<Breaking>;
  /** Ends a flag before its time box does. */
  end(id: number, actor: PolicyUser): Promise<void>;
  /** The flag showing now, from memory; undefined once its time box is over. */
  current(now?: Date): Breaking | undefined;
  /** The newest flags, ended or not (the newsroom). */
  recent(limit?: number): Promise<Breaking[]>;
  /** Called on this instance whenever what `current` answers may have changed. */
  onChange(listener: () => void): void;
  /** Stops the time-box timer. */
  close(): void;
}

export interface BreakingDeps {
  database: Database;
  events: EventBus;
  audit: AuditLog;
  invalidator: Invalidator;
  live: Pick<LiveService, 'entry' | 'coverage'>;
  /** The site's address of a published article (the site's clock decides its date). */
  articlePath: (a: Article & { publishedAt: Date }) => string;
  log: { warn(obj: object, msg: string): void };
  now?: () => Date;
}

export async function createBreakingService(deps: BreakingDeps): Promise<BreakingService> {
  const { database, events, audit } = deps;
  const now = deps.now ?? (() => new Date());
  const listeners: (() => void)[] = [];
  let flags: Breaking[] = [];
  let reads = 0;
  let timer: NodeJS.Timeout | undefined;

  const notify = () => {
    for (const listener of listeners) listener();
  };

  /** Wakes listeners when a time box starts or ends, then waits for the next one. */
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const at = nextTurn(flags, now());
    if (!at) return;
    timer = setTimeout(
      () => {
        flags = flags.filter((b) => b.endsAt.getTime() > now().getTime());
        notify();
        schedule();
      },
      Math.max(0, at.getTime() - now().getTime()) + 5,
    );
    timer.unref();
  }

  async function reload(): Promise<void> {
    const read = ++reads;
    const next = await repo.listCurrent(database.db, now());
    if (read !== reads) return; // a later read is on its way
    flags = next;
    schedule();
    notify();
  }
  await reload();

  deps.invalidator.subscribe((tags) => {
    if (tags.includes(BREAKING_TAG) || tags.includes(EVERYTHING))
      reload().catch((err: unknown) => deps.log.warn({ err }, 'could not read breaking news again'));
  });

  /** What the banner says and where it leads, for a target readers can see. */
  async function resolve(target: BreakingTarget): Promise<{ headline: string; href: string }> {
    if (target.kind === 'article') {
      const a = await findArticleById(database.db, target.id);
      if (a?.status !== 'published' || !a.publishedAt)
        throw new AppError('INVALID_BREAKING', 'only a published article can be breaking', { field: 'target' });
      return { headline: a.headline, href: deps.articlePath({ ...a, publishedAt: a.publishedAt }) };
    }
    const e = await deps.live.entry(target.id);
    const c = e && (await deps.live.coverage(e.coverageId));
    if (e?.state !== 'published' || !c)
      throw new AppError('INVALID_BREAKING', 'only a published live entry can be breaking', { field: 'target' });
    return { headline: entryText(e.body, 140), href: `${livePath(c)}#${entryAnchor(e.id)}` };
  }

  async function change(id: () => number, started: boolean, work: (trx: typeof database.db) => Promise<void>) {
    let emitted: { name: 'breaking.changed'; payload: { id: number; started: boolean } }[] = [];
    await database.db.transaction().execute(async (trx) => {
      await work(trx);
      emitted = [{ name: 'breaking.changed', payload: { id: id(), started } }];
      await events.record(trx, emitted);
    });
    events.committed(emitted);
    await reload();
  }

  return {
    async flag(input, actor) {
      authorize(actor, 'breaking.flag');
      const box = timeBox(input.minutes, now());
      const found = await resolve(input.target);
      const headline = (input.headline?.trim() || found.headline).slice(0, BREAKING_LIMITS.headline);
      const b = { headline, href: found.href, target: input.target, ...box, createdBy: actor.id };
      let id = 0;
      await change(
        () => id,
        true,
        async (trx) => {
          id = await repo.insertBreaking(trx, b);
          await audit.record(trx, {
            actorId: actor.id,
            action: 'breaking.flagged',
            subject: `breaking:${id}`,
            detail: { target: `${input.target.kind}:${input.target.id}`, headline, endsAt: box.endsAt.toISOString() },
          });
        },
      );
      return { id, ...b };
    },

    async end(id, actor) {
      authorize(actor, 'breaking.flag');
      const b = await repo.findBreaking(database.db, id);
      if (!b) throw new AppError('BREAKING_NOT_FOUND', `no breaking news ${id}`);
      if (b.endedAt || b.endsAt <= now()) return;
      await change(
        () => id,
        false,
        async (trx) => {
          await repo.endBreaking(trx, id, now());
          await audit.record(trx, { actorId: actor.id, action: 'breaking.ended', subject: `breaking:${id}` });
        },
      );
    },

    current: (at = now()) => showing(flags, at),
    recent: (limit = 20) => repo.listRecent(database.reader, limit),
    onChange(listener) {
      listeners.push(listener);
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
