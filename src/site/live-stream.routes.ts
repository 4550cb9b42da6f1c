/**
 * A live coverage's Server-Sent Events, `GET /live/<id>/events`: one stream
 * per coverage, fed by the instance's live hub (`src/live/live-hub.ts`).
 * Never cached; `Last-Event-ID` (or `?after=`, from the page, for the first
 * connection) resumes; over the per-address or the instance's cap the answer
 * is `503` with `Retry-After`.
 */
import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Invalidator } from '../instances/invalidation.js';
import type { LiveService } from '../live/live.service.js';
import { createLiveHub, fanOutPacer, type HubLimits } from '../live/live-hub.js';
import { STREAM_NICENESS, type StreamProcess } from './live-stream.process.js';

export interface LiveStreamDeps {
  live: LiveService;
  /** The stream process (LIVE_STREAMS=process): streams are handed to it once their request is read. */
  streams?: StreamProcess | undefined;
  invalidator: Pick<Invalidator, 'subscribe'>;
  limits?: Partial<HubLimits>;
}

const params = { type: 'object', properties: { key: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } } } as const;
const query = { type: 'object', properties: { after: { type: 'string', maxLength: 20 } } } as const;

export async function liveStreamRoutes(app: FastifyInstance, deps: LiveStreamDeps): Promise<void> {
  const hub = createLiveHub({
    live: deps.live,
    invalidator: deps.invalidator,
    log: app.log,
    ...(deps.limits ? { limits: deps.limits } : {}),
    // In the web process, fan-outs rest as the stream process's would at its niceness: pages first.
    pacer: fanOutPacer(STREAM_NICENESS),
  });
  app.addHook('onClose', async () => hub.close());

  app.get<{ Params: { key: string }; Querystring: { after?: string } }>(
    '/live/:key/events',
    // A HEAD request would hold a stream open with nothing to read: none.
    { exposeHeadRoute: false, schema: { params, querystring: query } },
    async (request, reply) => {
      const id = Number(request.params.key);
      const coverage = id <= 2 ** 31 - 1 ? await deps.live.coverage(id) : undefined;
      if (!coverage)
        return reply
          .code(404)
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .send('No such live coverage.\n');
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? request.query.after;
      reply.hijack();
      // Handed to the stream process when there is one (never under app.inject(): no socket to hand).
      if (deps.streams && request.raw.socket instanceof Socket) {
        deps.streams.handOff(request.raw.socket, { coverageId: id, ip: request.ip, lastEventId });
        return;
      }
      const res = reply.raw;
      // The stream's body is its raw bytes, ended by closing the connection: no chunked framing, so each
      // event is one write of the bytes the hub encoded once, straight to the socket (the cheapest a
      // fan-out to thousands can be). The head goes out with the first event: a refused stream still answers 503.
      res.useChunkedEncodingByDefault = false;
      // Under app.inject() there is no network socket: the response's own writes then.
      const socket = res.socket instanceof Socket ? res.socket : undefined;
      const start = () => {
        if (res.headersSent) return;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        res.flushHeaders();
      };
      let leave: (() => void) | undefined;
      let gone = false;
      res.on('close', () => {
        gone = true;
        leave?.();
      });
      const joined = await hub.join(id, {
        ip: request.ip,
        lastEventId,
        client: {
          write: (chunk) => {
            start();
            if (!socket) res.write(chunk);
            else if (!socket.destroyed) socket.write(chunk);
          },
          buffered: () => res.writableLength + (socket?.writableLength ?? 0),
          close: () => {
            start();
            res.end();
          },
        },
      });
      if (!joined.ok) {
        res.writeHead(503, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'retry-after': String(joined.retryAfter),
        });
        res.end('Too many live streams open: try again shortly.\n');
        return;
      }
      leave = joined.leave;
      if (gone) leave();
    },
  );
}
