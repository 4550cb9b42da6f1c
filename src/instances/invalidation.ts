/**
 * Cache invalidation across app instances. Writers call `invalidate(tags)`;
 * every instance's listeners (page cache, the site's data caches) drop what
 * the tags name — here at once, elsewhere through a transport (Redis pub/sub,
 * or PostgreSQL LISTEN/NOTIFY when there is no Redis) within a few
 * milliseconds. A transport that lost its connection may have missed
 * messages, so on reconnecting each instance drops everything it holds.
 *
 * @example
 *   const invalidator = createInvalidator({ transport, log });
 *   invalidator.subscribe((tags) => pageCache.invalidate(tags));
 *   await invalidator.start();
 *   invalidator.invalidate(['latest', 'article:12']);
 */
import { randomUUID } from 'node:crypto';

/** Tags listeners understand; `*` means everything. */
export const EVERYTHING = '*';

export interface Transport {
  readonly name: string;
  /** Sends a message to every instance (this one included, which ignores it). */
  publish(message: string): Promise<void>;
  /**
   * Starts delivering messages. `onReconnect` is called when the connection
   * came back after a loss (messages in between may be lost).
   */
  start(onMessage: (message: string) => void, onReconnect: () => void): Promise<void>;
  /** True while messages can flow. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface Invalidator {
  invalidate(tags: string[]): void;
  subscribe(listener: (tags: string[]) => void): void;
  start(): Promise<void>;
  /** Whether the transport (if any) is connected. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly transport: string;
}

interface Logger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface Message {
  from: string;
  tags: string[];
}

export function createInvalidator(deps: { transport?: Transport; log: Logger }): Invalidator {
  const { transport, log } = deps;
  const instance = randomUUID();
  const listeners: ((tags: string[]) => void)[] = [];
  /** Messages on their way out: closing waits for them (a command's last change must reach the others). */
  const sending = new Set<Promise<void>>();

  const apply = (tags: string[]) => {
    for (const listener of listeners) {
      try {
        listener(tags);
      } catch (err) {
        log.error({ err }, 'invalidation listener failed');
      }
    }
  };

  const receive = (raw: string) => {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      log.warn({ raw: raw.slice(0, 200) }, 'ignored a malformed invalidation message');
      return;
    }
    if (message.from === instance || !Array.isArray(message.tags)) return;
    apply(message.tags.filter((t): t is string => typeof t === 'string'));
  };

  return {
    transport: transport?.name ?? 'none',
    subscribe(listener) {
      listeners.push(listener);
    },
    invalidate(tags) {
      if (tags.length === 0) return;
      apply(tags);
      if (!transport) return;
      const sent = transport
        .publish(JSON.stringify({ from: instance, tags } satisfies Message))
        .catch((err: unknown) => {
          // The others keep stale pages until their transport reconnects (when they drop everything).
          log.error({ err, tags: tags.length }, 'could not publish an invalidation');
        })
        .finally(() => sending.delete(sent));
      sending.add(sent);
    },
    async start() {
      await transport?.start(receive, () => {
        log.warn({ transport: transport.name }, 'invalidation transport reconnected; dropping all caches');
        apply([EVERYTHING]);
      });
    },
    ready: async () => (transport ? transport.ready() : true),
    async close() {
      await Promise.all(sending);
      await transport?.close();
    },
  };
}

/**
 * A value computed on first use and dropped at any invalidation (any content
 * change, on any instance): data every page reads and few writes change.
 *
 * @example
 *   const sections = untilInvalidated(invalidator, () => listSections(db));
 *   await sections(); // read once, then from memory until the next invalidation
 */
export function untilInvalidated<T>(
  invalidator: Pick<Invalidator, 'subscribe'>,
  load: () => Promise<T>,
): () => Promise<T> {
  let value: Promise<T> | undefined;
  invalidator.subscribe(() => {
    value = undefined;
  });
  return () => {
    value ??= load().catch((err: unknown) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}
