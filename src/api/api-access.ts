/**
 * Who may read the content API, how often, from which origins, and how long
 * answers may be kept, for the routes of the scope it is installed on:
 * - a rate limit per client (its address; behind a proxy, the one TRUST_PROXY
 *   allows): in memory, or in Redis when REDIS_URL is set, shared by every
 *   instance; over it, 429 RATE_LIMITED with `Retry-After`. A Redis that is
 *   down lets requests through rather than failing them;
 * - CORS for the configured origins (`*` by default: public content);
 * - the optional key (CONTENT_API_KEY): `Authorization: Bearer KEY` or
 *   `?key=KEY`, else 401 API_KEY_INVALID, compared in constant time;
 * - caching: public answers as pages are (shared caches for SHARED_CACHE_SECONDS,
 *   browsers revalidate), private ones (behind a key) only by the client;
 *   a weak ETag on every answer, and 304 when it matches.
 *
 * @example
 *   await v1.register(async (scope) => { await useApiAccess(scope, { config, redis }); … });
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { pageCacheControl } from '../web/page-response.js';

export interface ApiAccessDeps {
  /** With `redisUrl`, the rate limit's counters are in Redis, shared by every instance. */
  config: Pick<Config, 'contentApi' | 'sharedCacheSeconds' | 'cacheChannel' | 'redisUrl'>;
}

const MINUTE_MS = 60_000;

export async function useApiAccess(app: FastifyInstance, deps: ApiAccessDeps): Promise<void> {
  const { contentApi } = deps.config;
  if (contentApi.rateLimitPerMinute > 0) {
    const redis = deps.config.redisUrl ? await connectRedis(app, deps.config.redisUrl) : undefined;
    await app.register(rateLimit, {
      max: contentApi.rateLimitPerMinute,
      timeWindow: MINUTE_MS,
      ...(redis ? { redis, nameSpace: `${deps.config.cacheChannel}:api-rate:` } : {}),
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new AppError('RATE_LIMITED', `Too many requests: try again in ${context.after}`),
    });
  }

  const origins = contentApi.corsOrigins;
  if (origins === '*' || origins.length > 0) {
    await app.register(cors, {
      origin: origins === '*' ? '*' : [...origins],
      methods: ['GET', 'HEAD'],
      allowedHeaders: ['Authorization'],
      exposedHeaders: ['ETag', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
      maxAge: 600,
    });
  }

  const key = contentApi.key;
  if (key) {
    const expected = digest(key);
    app.addHook('preValidation', async (request) => {
      if (request.method === 'OPTIONS') return;
      const given = keyOf(request);
      if (given === undefined || !timingSafeEqual(digest(given), expected))
        throw new AppError('API_KEY_INVALID', 'This API needs its key: Authorization: Bearer KEY');
    });
  }

  const cacheControl = key ? 'private, no-cache' : pageCacheControl(deps.config.sharedCacheSeconds);
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="content-api"');
    if (reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) return payload;
    if (typeof payload !== 'string') return payload;
    reply.header('cache-control', cacheControl);
    if (key) {
      const vary = reply.getHeader('vary');
      reply.header('vary', vary ? `${String(vary)}, Authorization` : 'Authorization');
    }
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag);
    if (!matches(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    return '';
  });
}

/** Loaded only when configured; closed with the app. Its errors surface as requests let through, not as logs per call. */
async function connectRedis(app: FastifyInstance, url: string) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => {});
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }
  const query = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof query === 'string' ? query : undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return header === '*' || header.split(',').some((t) => weak(t) === weak(etag));
}
