/**
 * Domain events, durable. A writer records its events inside the transaction
 * that makes the change (`record`): for each durable handler, a job is queued
 * in the same transaction, so the change and what must follow it commit
 * together or not at all. After the commit (`committed`), in-process
 * listeners react at once (the page cache of this instance) and the job
 * runner is woken. The jobs run on one instance each, retried with backoff
 * until they succeed, even after a crash or on another process sharing the
 * database (an import run from the command line while the site serves).
 *
 * Handlers must be idempotent: a job runs at least once. Listeners must be
 * quick and must not fail the writer; whatever matters beyond this process is
 * also done by a durable handler.
 *
 * @example
 *   const bus = createEventBus({ db: database.db, jobs, log });
 *   bus.onCommit('article.published', (e) => pageCache.invalidate([`article:${e.id}`]));
 *   bus.handle('article.published', 'related-refresh', async (e) => void (await related.refreshAround(e.id)));
 *   await bus.prepare();
 *   const events = [{ name: 'article.published', payload }] as const;
 *   await db.transaction().execute(async (trx) => { …; await bus.record(trx, [...events]); });
 *   bus.committed([...events]);
 *   await bus.emit([{ name: 'content.bulkChanged', payload: { articles: 1000 } }]); // no write of its own
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { JobData, JobInfo, JobQueue } from '../jobs/jobs.js';

export interface ArticleEvent {
  id: number;
  sectionId: number;
  tagIds: number[];
  authorIds: number[];
}

/** One article's change inside a batch (a feed's poll), for the listeners outside the site: webhooks, WebSub. */
export interface ArticleChange {
  event: 'article.published' | 'article.updated' | 'article.unpublished';
  article: ArticleEvent;
}

export interface Events {
  /** An article became visible to readers (new, republished, or a scheduled one whose time came). */
  'article.published': ArticleEvent;
  /** A published article changed. */
  'article.updated': ArticleEvent;
  /** A published article stopped being visible (unpublished, archived). */
  'article.unpublished': ArticleEvent;
  /**
   * Many articles changed at once (an import batch, a rebuild of related
   * lists, a feed's poll): any page may show them. A poll also lists each
   * article's own change, so that webhooks and WebSub hear of wire copy as
   * of a newsroom's edit; an import (a migration) does not.
   */
  'content.bulkChanged': { articles: number; changes?: ArticleChange[] };
  /** A section, tag or author was created, renamed or removed: navigation, lists and bylines may show it. */
  'taxonomy.changed': { kind: 'section' | 'tag' | 'author' | 'page'; id: number };
  /** A live coverage or one of its entries changed: its page, its stream and lists showing it. */
  'live.changed': { coverageId: number; articleId?: number };
  /** A breaking-news flag was made (`started`) or ended early: the banner, and the site feed, change. */
  'breaking.changed': { id: number; started: boolean };
}

export type EventName = keyof Events;

/** One event as a writer hands it over. */
export type Emitted = { [K in EventName]: { name: K; payload: Events[K] } }[EventName];

/** `job` tells the runs of one event's job apart from another event's: a key for idempotent effects. */
type Handler<K extends EventName> = (payload: Events[K], job: JobInfo) => Promise<void>;
type Listener<K extends EventName> = (payload: Events[K]) => void;

interface Logger {
  error(obj: object, msg: string): void;
}

export interface EventBus {
  /** In this process, right after the commit. Not durable: a crash may lose it. */
  onCommit<K extends EventName>(name: K, listener: Listener<K>): void;
  /**
   * A durable handler: each event of this name queues a job called `job`
   * (several events may share one job name) that calls the handler.
   */
  handle<K extends EventName>(name: K, job: string, handler: Handler<K>): void;
  /** Creates the job queues of the durable handlers. Once, before the first `record`. */
  prepare(): Promise<void>;
  /** Inside the writer's transaction: queues the durable handlers' jobs. */
  record(trx: Kysely<Schema>, events: readonly Emitted[]): Promise<void>;
  /** After the commit: tells the listeners and wakes the job runner. */
  committed(events: readonly Emitted[]): void;
  /** Events that follow no write of their own (a finished rebuild): recorded in a transaction of their own. */
  emit(events: readonly Emitted[]): Promise<void>;
}

/** What a durable handler's job carries. */
interface EventJob extends JobData {
  event: EventName;
  payload: unknown;
}

export function createEventBus(deps: { db: Kysely<Schema>; jobs: JobQueue; log: Logger }): EventBus {
  const { db, jobs, log } = deps;
  const listeners = new Map<EventName, Listener<never>[]>();
  /** Job names by event, and handlers by job name and event. */
  const jobsOf = new Map<EventName, string[]>();
  const handlers = new Map<string, Map<EventName, Handler<never>>>();

  const bus: EventBus = {
    onCommit(name, listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener as Listener<never>]);
    },

    handle(name, job, handler) {
      let byEvent = handlers.get(job);
      if (!byEvent) {
        byEvent = new Map();
        handlers.set(job, byEvent);
        const dispatch = byEvent;
        jobs.work<EventJob>(job, async ({ event, payload }, info) => {
          const run = dispatch.get(event);
          // A job of an event this version no longer handles: nothing to do, and nothing to retry.
          if (run) await (run as Handler<EventName>)(payload as Events[EventName], info);
        });
      }
      if (byEvent.has(name)) throw new Error(`${job} already handles ${name}`);
      byEvent.set(name, handler as Handler<never>);
      jobsOf.set(name, [...(jobsOf.get(name) ?? []), job]);
    },

    prepare: () => jobs.prepare([...handlers.keys()]),

    async record(trx, events) {
      for (const { name, payload } of events) {
        for (const job of jobsOf.get(name) ?? []) {
          await jobs.sendWithin(trx, job, { event: name, payload } satisfies EventJob);
        }
      }
    },

    committed(events) {
      for (const { name, payload } of events) {
        for (const listener of listeners.get(name) ?? []) {
          try {
            (listener as Listener<EventName>)(payload);
          } catch (err) {
            log.error({ err, event: name }, 'event listener failed');
          }
        }
      }
      if (events.some((e) => jobsOf.has(e.name))) jobs.wake();
    },

    async emit(events) {
      await db.transaction().execute((trx) => bus.record(trx, events));
      bus.committed(events);
    },
  };
  return bus;
}
