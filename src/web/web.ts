/**
 * The shared web layer: one Fastify instance with the page cache in front,
 * the security headers on every response, and errors answered per face.
 * Faces (the reader site, the API, health checks; later the newsroom and
 * feeds) are encapsulated plugins registered on it: each installs its error
 * responder (`useErrors`), takes a page sender with its own caching policy
 * (`pages`), and tells the layer its prefix (`face`) so that errors raised
 * before routing reach the right responder.
 *
 * @example
 *   const web = createWeb(config, { pageCache });
 *   await web.app.register(async (api) => {
 *     const errors = jsonErrors();
 *     web.face('/api/', errors);
 *     useErrors(api, errors);
 *     api.get('/ping', async () => ({ ok: true }));
 *   }, { prefix: '/api' });
 */
import { parse as parseQuery } from 'node:querystring';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { classify, type ErrorResponder, logError } from './errors.js';
import type { PageCache } from './page-cache.js';
import {
  type CachePolicy,
  createPageSender,
  createServerFactory,
  type PageSender,
  serveFromCache,
} from './page-response.js';
import { createSlotFiller, type FragmentSource, unfilled } from './page-slot.js';
import { type HeaderMap, securityHeaders } from './security-headers.js';

export interface Web {
  app: FastifyInstance;
  pageCache: PageCache | undefined;
  security: HeaderMap;
  /** A page sender for a face with this caching policy. */
  pages(policy: CachePolicy, chromeTags?: readonly string[]): PageSender;
  /** Declares a face's URL prefix (`/api/`, `/`) and responder, for errors raised before routing. */
  face(prefix: string, responder: ErrorResponder): void;
}

export interface WebOptions {
  logger?: FastifyServerOptions['logger'];
  /** A logger of the caller's (the services' pino), instead of one made from `logger`. */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  pageCache?: PageCache | undefined;
  /** What fills every page's banner slot when it is sent (breaking news), read from memory. */
  banner?: FragmentSource;
}

/** The longest path segment a route accepts: slugs are at most 200 characters; the rest is validated by schemas. */
const MAX_PARAM_LENGTH = 500;

export function createWeb(config: Config, options: WebOptions = {}): Web {
  const pageCache = options.pageCache;
  const security = securityHeaders(config.siteUrl);
  const fill = options.banner ? createSlotFiller(options.banner) : unfilled;
  const faces: { prefix: string; responder: ErrorResponder }[] = [];

  const responderFor = (url: string): ErrorResponder | undefined =>
    faces.filter((f) => url.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]?.responder;

  /** Router errors come before any route or hook: this sets the headers the hooks would have set. */
  function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const classified = classify(error);
    logError(request, error, classified);
    reply.headers(security);
    const responder = responderFor(request.url);
    if (responder) return responder.send(request, reply, classified);
    return reply.code(classified.statusCode).send({ error: { code: classified.code, message: 'Bad request' } });
  }

  const app = Fastify({
    serverFactory: createServerFactory(pageCache, security, fill),
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? { level: config.logLevel } }),
    // Per-request log lines cost a fifth of a cached page's time; on only when asked for.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, querystringParser },
    frameworkErrors,
  });

  // The cache's generation when each request began: what it renders from then on may already be stale.
  const generations = new WeakMap<FastifyRequest, number>();
  // Every response, pages or not, carries the security headers.
  app.addHook('onRequest', async (request, reply) => {
    if (pageCache && serveFromCache(request.raw, reply.raw, pageCache, security, fill)) return reply.hijack();
    if (pageCache) generations.set(request, pageCache.generation);
    reply.headers(security);
  });
  const generationOf = (request: FastifyRequest) => generations.get(request) ?? -1;
  // The schema validator turns '1e400' into Infinity and lets it through every bound: no page has such an id.
  app.addHook('preHandler', async (request) => {
    if (hasInfinity(request.params)) throw new AppError('NOT_FOUND', 'No such page');
    if (hasInfinity(request.query)) throw new AppError('BAD_QUERY', 'A number in the query is out of range');
  });

  return {
    app,
    pageCache,
    security,
    pages: (policy, chromeTags = []) =>
      createPageSender({ cache: pageCache, security, policy, generationOf, chromeTags, fill }),
    face(prefix, responder) {
      faces.push({ prefix, responder });
    },
  };
}

/** Query strings as Fastify parses them, without NUL characters (nothing means one; PostgreSQL cannot store them). */
function querystringParser(text: string): Record<string, unknown> {
  return parseQuery(text.includes('%00') || text.includes('\0') ? text.replace(/%00|\0/g, '') : text);
}

function hasInfinity(values: unknown): boolean {
  if (!values || typeof values !== 'object') return false;
  for (const value of Object.values(values)) if (typeof value === 'number' && !Number.isFinite(value)) return true;
  return false;
}
