/**
 * The stream process (LIVE_STREAMS=process): a child of a web instance that
 * holds its Server-Sent Events streams, at a lower CPU priority, so that a
 * fan-out to thousands never takes the event loop, nor the core, that pages
 * are served from. The parent reads each request, then hands over the socket
 * (`process.send(message, socket)`) and forwards the `live:<id>` invalidation
 * tags it hears (its own and other instances'); this process reads entries
 * from the database itself (the reader connection) and runs the usual hub,
 * which rests after each fan-out while the machine is busy (`src/lib/pace.ts`).
 * It ends when its parent goes.
 */
import type { Socket } from 'node:net';
import { getPriority } from 'node:os';
import { connect } from '../db/connect.js';
import { limitHeapGrowth } from '../lib/heap.js';
import { liveReads } from '../live/live.service.js';
import { createLiveHub, fanOutPacer } from '../live/live-hub.js';
import { type StreamRequest, streamHead, streamToSocket } from './live-stream.socket.js';

export type ToWorker =
  | { type: 'init'; databaseUrl: string; security: Record<string, string>; heapGrowthPercent: number }
  | ({ type: 'stream' } & StreamRequest)
  | { type: 'tags'; tags: string[] };

const log = {
  warn: (obj: object, msg: string) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...obj })}\n`),
};

let ready: Promise<{ hub: ReturnType<typeof createLiveHub>; head: Buffer }> | undefined;
const listeners: ((tags: string[]) => void)[] = [];

process.on('message', (message: ToWorker, socket?: Socket) => {
  if (message.type === 'init') {
    // As in the web process: 10,000 sockets handed over in a burst otherwise grew the heap, and the
    // resident memory per stream with it, to several times what the streams keep (src/lib/heap.ts).
    limitHeapGrowth(message.heapGrowthPercent);
    ready = (async () => {
      const database = await connect(message.databaseUrl, { poolSize: 2 });
      const hub = createLiveHub({
        live: liveReads(database),
        invalidator: { subscribe: (listener) => void listeners.push(listener) },
        log,
        // At this process's niceness (its parent lowered it at the fork): on a busy machine a fan-out to
        // thousands rests nine times as long as it took, at most a second and a half, so entries posted in
        // quick succession go out together and every reader still has them within 2 s.
        pacer: fanOutPacer(getPriority()),
      });
      return { hub, head: streamHead(message.security) };
    })();
    return;
  }
  if (message.type === 'tags') {
    for (const listener of listeners) listener(message.tags);
    return;
  }
  if (message.type === 'stream' && socket && ready) {
    const { type: _, ...request } = message;
    ready
      .then(({ hub, head }) => streamToSocket(hub, socket, request, head))
      .catch((err: unknown) => {
        log.warn({ err: String(err) }, 'could not serve a live stream');
        socket.destroy();
      });
  }
});

process.on('disconnect', () => process.exit(0));
