/**
 * In-process domain events. Writers emit after their transaction commits;
 * handlers (page cache, related news, scheduled publishing, later search and
 * feeds) react. Handlers must be idempotent: replaying an event is safe. A
 * failing handler is logged and does not stop the others or the writer.
 *
 * @example
 *   const bus = createEventBus(logger);
 *   bus.on('article.published', async ({ id }) => cache.invalidate(`article:${id}`));
 *   await bus.emit('article.published', { id: 1, sectionId: 2, tagIds: [], authorIds: [] });
 */

export interface ArticleEvent {
  id: number;
  sectionId: number;
  tagIds: number[];
  authorIds: number[];
  /** Part of a bulk import: handlers may leave expensive work to the importer's own pass at the end. */
  bulk?: boolean;
}

/** An article saved as scheduled: it becomes visible at `publishAt`. */
export interface ScheduledEvent extends ArticleEvent {
  publishAt: Date;
}

export interface Events {
  /** An article became visible to readers (new, or republished). */
  'article.published': ArticleEvent;
  /** A published article changed. */
  'article.updated': ArticleEvent;
  /** A published article stopped being visible (unpublished, archived). */
  'article.unpublished': ArticleEvent;
  /** An article was saved as scheduled (new, or edited; its time may have changed). */
  'article.scheduled': ScheduledEvent;
}

export type EventName = keyof Events;
type Handler<K extends EventName> = (payload: Events[K]) => void | Promise<void>;

interface Logger {
  error(obj: object, msg: string): void;
}

export interface EventBus {
  on<K extends EventName>(name: K, handler: Handler<K>): void;
  emit<K extends EventName>(name: K, payload: Events[K]): Promise<void>;
}

export function createEventBus(log: Logger): EventBus {
  const handlers = new Map<EventName, Handler<never>[]>();
  return {
    on(name, handler) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler as Handler<never>]);
    },
    async emit(name, payload) {
      for (const handler of handlers.get(name) ?? []) {
        try {
          await (handler as Handler<typeof name>)(payload);
        } catch (err) {
          log.error({ err, event: name }, 'event handler failed');
        }
      }
    },
  };
}
