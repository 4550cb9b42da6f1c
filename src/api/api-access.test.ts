import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, redisUrl, type TestApp } from '../../test/helpers.js';
import { useApiAccess } from './api-access.js';
import { apiClient } from './fixtures/api-client.js';

const KEY = 'k'.repeat(8) + randomBytes(12).toString('hex');

describe('the content API key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CONTENT_API_KEY: KEY, API_RATE_LIMIT: '0' });
  });
  afterAll(() => t?.cleanup());

  it('answers 401 API_KEY_INVALID without the key, or with another', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-key-of-some-length' },
      { authorization: KEY },
      { authorization: `Basic ${KEY}` },
    ]) {
      const res = await t.app.inject({ url: '/api/v1/sections', headers });
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'API_KEY_INVALID']);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect((await t.app.inject('/api/v1/sections?key=nope')).statusCode).toBe(401);
  });

  it('serves with the key as a bearer token or in the query, privately', async () => {
    const api = await apiClient(t.app, KEY);
    const res = await api.get('/api/v1/sections', { authorization: `Bearer ${KEY}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers.vary).toMatch(/Authorization/i);
    expect((await api.get(`/api/v1/articles?key=${KEY}`)).statusCode).toBe(200);
    const doc = (await api.get(`/api/v1/openapi.json?key=${KEY}`)).json();
    expect(doc.security).toEqual([{ bearer: [] }, { queryKey: [] }]);
  });

  it('leaves the rest of the site alone', async () => {
    expect((await t.app.inject('/')).statusCode).toBe(200);
  });
});

describe('CORS on the content API', () => {
  it('allows any origin by default, for GET, with the Authorization header in preflights', async () => {
    const t = await createTestApp({ API_RATE_LIMIT: '0' });
    try {
      const res = await t.app.inject({ url: '/api/v1/sections', headers: { origin: 'https://reader.example' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const pre = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/articles',
        headers: {
          origin: 'https://reader.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-methods']).toBe('GET, HEAD');
      expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/i);
      // The reader site is not shared with other origins.
      expect(
        (await t.app.inject({ url: '/', headers: { origin: 'https://reader.example' } })).headers[
          'access-control-allow-origin'
        ],
      ).toBeUndefined();
    } finally {
      await t.cleanup();
    }
  });

  it('allows only the configured origins, even behind a key (a preflight needs none)', async () => {
    const t = await createTestApp({
      API_CORS_ORIGINS: 'https://app.example, http://localhost:5173',
      CONTENT_API_KEY: KEY,
      API_RATE_LIMIT: '0',
    });
    try {
      const ok = await t.app.inject({ url: `/api/v1/sections?key=${KEY}`, headers: { origin: 'https://app.example' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(ok.headers.vary).toMatch(/Origin/);
      const other = await t.app.inject({
        url: `/api/v1/sections?key=${KEY}`,
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/sections',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
      });
      expect([pre.statusCode, pre.headers['access-control-allow-origin']]).toEqual([204, 'http://localhost:5173']);
    } finally {
      await t.cleanup();
    }
  });

  it('sends no CORS headers when turned off', async () => {
    const t = await createTestApp({ API_CORS_ORIGINS: 'off', API_RATE_LIMIT: '0' });
    try {
      const res = await t.app.inject({ url: '/api/v1/sections', headers: { origin: 'https://reader.example' } });
      expect([res.statusCode, res.headers['access-control-allow-origin']]).toEqual([200, undefined]);
    } finally {
      await t.cleanup();
    }
  });
});

/** Requests from one address until refused; the refusal. */
async function exhaust(t: TestApp, address: string, limit: number) {
  for (let i = 0; i < limit; i++) {
    const res = await t.app.inject({ url: '/api/v1/sections', remoteAddress: address });
    expect(res.statusCode).toBe(200);
  }
  return t.app.inject({
    url: '/api/v1/sections',
    remoteAddress: address,
    headers: { origin: 'https://reader.example' },
  });
}

function expectLimited(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
  expect([res.statusCode, res.json().error.code]).toEqual([429, 'RATE_LIMITED']);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(res.headers['cache-control']).toBe('no-store');
  // A browser client can read why.
  expect(res.headers['access-control-allow-origin']).toBe('*');
}

describe('the content API rate limit, in memory', () => {
  it('refuses a client over its limit with 429 RATE_LIMITED and Retry-After, and counts each client apart', async () => {
    const t = await createTestApp({ API_RATE_LIMIT: '3' });
    try {
      expectLimited(await exhaust(t, '203.0.113.7', 3));
      expect((await t.app.inject({ url: '/api/v1/sections', remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
      // The reader site has no such limit.
      expect((await t.app.inject({ url: '/', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the content API rate limit, in Redis', { skip: !redisUrl }, () => {
  it('is shared by every instance of the site', async () => {
    const channel = `t_${randomBytes(5).toString('hex')}`;
    const env = { API_RATE_LIMIT: '4', REDIS_URL: redisUrl!, CACHE_CHANNEL: channel };
    const [a, b] = await Promise.all([createTestApp(env), createTestApp(env)]);
    try {
      const address = '198.51.100.9';
      for (const app of [a, b, a, b]) {
        expect((await app.app.inject({ url: '/api/v1/sections', remoteAddress: address })).statusCode).toBe(200);
      }
      expectLimited(
        await b.app.inject({
          url: '/api/v1/sections',
          remoteAddress: address,
          headers: { origin: 'https://x.example' },
        }),
      );
      expectLimited(
        await a.app.inject({
          url: '/api/v1/sections',
          remoteAddress: address,
          headers: { origin: 'https://x.example' },
        }),
      );
    } finally {
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });

  it('lets requests through when Redis does not answer, rather than failing them', async () => {
    const app = Fastify();
    await app.register(async (scope) => {
      await useApiAccess(scope, {
        config: {
          contentApi: { key: undefined, corsOrigins: '*', rateLimitPerMinute: 1 },
          sharedCacheSeconds: 30,
          cacheChannel: 'down',
          redisUrl: 'redis://127.0.0.1:1',
        },
      });
      scope.get('/ping', async () => ({ ok: true }));
    });
    try {
      for (let i = 0; i < 3; i++) expect((await app.inject('/ping')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the content API configuration', () => {
  it('reads origins, the key and the limit, and lists bad values', async () => {
    const { loadConfig } = await import('../config.js');
    expect(loadConfig({}).contentApi).toEqual({ key: undefined, corsOrigins: '*', rateLimitPerMinute: 600 });
    expect(loadConfig({ API_CORS_ORIGINS: 'off' }).contentApi.corsOrigins).toEqual([]);
    expect(loadConfig({ API_CORS_ORIGINS: 'https://a.example,http://b.example:8080' }).contentApi.corsOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    try {
      loadConfig({ API_CORS_ORIGINS: 'https://a.example/path', CONTENT_API_KEY: 'short', API_RATE_LIMIT: '-1' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as { problems: string[] }).problems.map((p) => p.split('=')[0]);
      expect(problems.sort()).toEqual(['API_CORS_ORIGINS', 'API_RATE_LIMIT', 'CONTENT_API_KEY']);
    }
  });
});
