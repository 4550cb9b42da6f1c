/**
 * A live stream written straight to its socket: the response head by hand,
 * then the hub's bytes, the body ended by closing the connection (no chunked
 * framing). Used by the stream process (`live-stream.process.ts`), which
 * receives sockets whose request the web process already read.
 *
 * @example
 *   await streamToSocket(hub, socket, { coverageId: 7, ip: '192.0.2.1', lastEventId: '41' }, security);
 */
import type { Socket } from 'node:net';
import type { LiveHub } from '../live/live-hub.js';
import type { HeaderMap } from '../web/security-headers.js';

export interface StreamRequest {
  coverageId: number;
  ip: string;
  lastEventId?: string | undefined;
}

const lines = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');

/** The head of every stream: the same bytes each time. */
export function streamHead(security: HeaderMap): Buffer {
  return Buffer.from(
    `HTTP/1.1 200 OK\r\n${lines({
      ...security,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    })}\r\n`,
  );
}

export async function streamToSocket(
  hub: LiveHub,
  socket: Socket,
  request: StreamRequest,
  head: Buffer,
): Promise<void> {
  socket.on('error', () => socket.destroy());
  socket.setNoDelay(true);
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    socket.write(head);
  };
  const joined = await hub.join(request.coverageId, {
    ip: request.ip,
    lastEventId: request.lastEventId,
    client: {
      write: (chunk) => {
        start();
        if (!socket.destroyed) socket.write(chunk);
      },
      buffered: () => socket.writableLength,
      close: () => {
        start();
        socket.end();
      },
    },
  });
  if (!joined.ok) {
    const text = 'Too many live streams open: try again shortly.\n';
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\n${lines({
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': String(joined.retryAfter),
        'content-length': String(Buffer.byteLength(text)),
        connection: 'close',
      })}\r\n${text}`,
    );
    return;
  }
  if (socket.destroyed) joined.leave();
  else socket.on('close', joined.leave);
}
