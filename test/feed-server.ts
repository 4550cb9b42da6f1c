/**
 * A local feed server for tests and the ingest benchmark: routes answer with
 * fixed bodies, honour ETag / If-None-Match and Last-Modified /
 * If-Modified-Since, and count requests. A route may also misbehave (hang,
 * loop, stream without end, serve an error page).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRoute {
  body: string | Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Handles the request itself instead (hang, loop, stream). */
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface FeedServer {
  routes: Map<string, FeedRoute>;
  /** Requests per path, and how many were answered 304. */
  hits: Map<string, { total: number; notModified: number }>;
  origin: string;
  stop(): Promise<void>;
}

export async function startFeedServer(host = '127.0.0.1'): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>();
  const hits = new Map<string, { total: number; notModified: number }>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const count = hits.get(path) ?? { total: 0, notModified: 0 };
    hits.set(path, count);
    count.total++;
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.handle) return route.handle(req, res);
    const fresh =
      (route.etag && req.headers['if-none-match'] === route.etag) ||
      (!route.etag && route.lastModified && req.headers['if-modified-since'] === route.lastModified);
    const validators = {
      ...(route.etag ? { etag: route.etag } : {}),
      ...(route.lastModified ? { 'last-modified': route.lastModified } : {}),
    };
    if (fresh) {
      count.notModified++;
      res.writeHead(304, validators).end();
      return;
    }
    res
      .writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
        ...validators,
        ...route.headers,
      })
      .end(route.body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    routes,
    hits,
    origin: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
