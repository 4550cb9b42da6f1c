import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, type TestApp } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { jsonErrors, useErrors } from './errors.js';
import { PageCache } from './page-cache.js';
import { SESSION_COOKIE } from './page-response.js';
import { createWeb } from './web.js';

const HASH = '0123456789abcdef0123456789abcdef';

/** Headers every response must carry, whatever produced it. */
function expectSecurityHeaders(headers: Record<string, unknown>, url: string): void {
  expect(headers['content-security-policy'], url).toContain("default-src 'self'");
  expect(headers['x-content-type-options'], url).toBe('nosniff');
  expect(headers['x-frame-options'], url).toBe('SAMEORIGIN');
}

describe('the web layer, through the whole app', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let articleUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    app = t.app;
    await app.dateline.articles.save(articleInput({ headline: 'Harbour reopens after the storm' }));
    articleUrl = (await app.inject('/')).body.match(/href="(\/world\/\d{4}\/\d{2}\/\d{2}\/harbour-reopens[^"]*)"/)![1]!;
    const media = t.config.mediaDir;
    writeFileSync(join(media, '.secret'), 'password=hunter2');
    writeFileSync(join(media, 'photo.jpg'), 'not really a jpeg');
    writeFileSync(join(media, 'page.html'), '<script>alert(document.cookie)</script>');
    writeFileSync(
      join(media, 'drawing.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
  });
  afterAll(() => t.cleanup());

  describe('errors raised by the router', () => {
    it('answers a malformed URL on a reader page with an HTML 400 that has the headers and echoes nothing', async () => {
      const res = await app.inject('/tag/%ff');
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(res.headers, '/tag/%ff');
      expect(res.body).toContain('class="site-nav"');
      expect(res.body).not.toMatch(/%ff|FST_ERR|not a valid url/i);
    });

    it('answers a malformed URL under /api/ with JSON BAD_URL', async () => {
      const res = await app.inject('/api/articles/%ff/related');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'BAD_URL', message: 'Bad request' } });
      expectSecurityHeaders(res.headers, '/api/…/%ff');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers an over-long slug with the 404 page, not a bare 414', async () => {
      for (const url of [`/tag/${'a'.repeat(120)}`, `/tag/${'a'.repeat(600)}`, `/${'b'.repeat(700)}`]) {
        const res = await app.inject(url);
        expect(res.statusCode, url.slice(0, 20)).toBe(404);
        expectSecurityHeaders(res.headers, url.slice(0, 20));
        expect(res.body).toContain('Page not found');
        expect(res.body).not.toContain('aaaaaaaaaa');
      }
    });
  });

  describe('numbers and characters no page takes', () => {
    it('never hands a route an id the validator read as Infinity: 404 instead', async () => {
      const bare = createWeb(loadConfig({ DATABASE_URL: ':memory:' }), { logger: false });
      useErrors(bare.app, jsonErrors());
      const id = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;
      const params = { type: 'object', properties: { id } } as const;
      bare.app.get('/n/:id', { schema: { params } }, async (request) => ({
        id: String((request.params as { id: number }).id),
      }));
      expect((await bare.app.inject('/n/12')).json()).toEqual({ id: '12' });
      for (const value of ['1e400', '-1e400']) {
        const res = await bare.app.inject(`/n/${value}`);
        expect(res.statusCode, value).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
      await bare.app.close();
    });

    it('drops NUL characters from query strings', async () => {
      const route = createWeb(loadConfig({ DATABASE_URL: ':memory:' }), { logger: false });
      route.app.get('/echo', async (request) => request.query);
      const res = await route.app.inject('/echo?q=a%00b&r=%2500&s=x');
      expect(res.json()).toEqual({ q: 'ab', r: '%00', s: 'x' });
      await route.app.close();
    });
  });

  describe('uploaded media', () => {
    it('never serves a dotfile', async () => {
      for (const url of ['/media/.secret', '/media/%2esecret', '/media/sub/../.secret']) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body, url).not.toContain('hunter2');
      }
    });

    it('serves images inline, and active content (HTML, SVG) only as a sandboxed download', async () => {
      const photo = await app.inject('/media/photo.jpg');
      expect(photo.statusCode).toBe(200);
      expect(photo.headers['content-disposition']).toBeUndefined();
      for (const url of ['/media/page.html', '/media/drawing.svg']) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-disposition'], url).toBe('attachment');
        expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; sandbox");
      }
    });

    it('serves uploaded images inline for a year, immutable (their names change with their bytes)', async () => {
      const dir = join(t.config.mediaDir, 'images', HASH);
      mkdirSync(dir, { recursive: true });
      for (const name of ['w320.avif', 'w320.webp', 'w320.jpg', 'w320.png']) writeFileSync(join(dir, name), 'pixels');
      for (const [name, type] of [
        ['w320.avif', 'image/avif'],
        ['w320.webp', 'image/webp'],
        ['w320.jpg', 'image/jpeg'],
        ['w320.png', 'image/png'],
      ]) {
        const res = await app.inject(`/media/images/${HASH}/${name}`);
        expect(res.statusCode, name).toBe(200);
        expect(res.headers['content-type'], name).toBe(type);
        expect(res.headers['content-disposition'], name).toBeUndefined();
        expect(res.headers['cache-control'], name).toBe('public, max-age=31536000, immutable');
      }
      // Other media may be replaced under the same name: a week, and revalidated.
      expect((await app.inject('/media/photo.jpg')).headers['cache-control']).toBe('public, max-age=604800');
    });

    it('never serves an upload still being written, nor an image’s manifest', async () => {
      const incoming = join(t.config.mediaDir, 'images', '.incoming', `${HASH}-x`);
      mkdirSync(incoming, { recursive: true });
      writeFileSync(join(incoming, 'w320.jpg'), 'half');
      writeFileSync(join(t.config.mediaDir, 'images', '.manifest.json'), '{}');
      for (const url of [`/media/images/.incoming/${HASH}-x/w320.jpg`, '/media/images/.manifest.json']) {
        expect((await app.inject(url)).statusCode, url).toBe(404);
      }
    });
  });

  describe('the page cache key', () => {
    it('keeps one entry for a page that ignores ?page=, however many numbers are asked for', async () => {
      const cache = app.dateline.pageCache!;
      cache.clear();
      const bytes = () => cache.usedBytes;
      await app.inject('/');
      await app.inject(articleUrl);
      const warm = { size: cache.size, bytes: bytes() };
      for (let n = 2; n < 300; n++) {
        expect((await app.inject(`/?page=${n}`)).statusCode).toBe(200);
        expect((await app.inject(`${articleUrl}?page=${n}`)).statusCode).toBe(200);
      }
      expect(cache.size).toBe(warm.size);
      expect(bytes()).toBe(warm.bytes);
    });

    it('keeps a page number on list pages, which read it', async () => {
      for (let i = 0; i < 25; i++) await app.dateline.articles.save(articleInput());
      const cache = app.dateline.pageCache!;
      cache.clear();
      await app.inject('/world');
      await app.inject('/world?page=2');
      expect(cache.size).toBe(2);
      expect((await app.inject('/world?page=2&utm_source=x')).body).toBe((await app.inject('/world?page=2')).body);
      expect(cache.size).toBe(2);
    });
  });

  describe('trailing slashes', () => {
    it('redirects a section or an article address with a trailing slash to the canonical one', async () => {
      const world = await app.inject('/world/');
      expect([world.statusCode, world.headers.location]).toEqual([301, '/world']);
      const withQuery = await app.inject('/world/?page=2');
      expect([withQuery.statusCode, withQuery.headers.location]).toEqual([301, '/world?page=2']);
      const article = await app.inject(`${articleUrl}/`);
      expect([article.statusCode, article.headers.location]).toEqual([301, articleUrl]);
    });

    it('never redirects to another site', async () => {
      for (const url of ['//evil.example/', '///evil.example//']) {
        const res = await app.inject(url);
        const location = String(res.headers.location ?? '');
        expect(location.startsWith('//'), url).toBe(false);
      }
    });
  });

  describe('a request with a session cookie', () => {
    it('is neither answered from nor stored in the page cache, and goes out private', async () => {
      const cache = app.dateline.pageCache!;
      await app.inject(articleUrl);
      // Changed behind the cache's back: only a fresh render shows it.
      await app.dateline.database.db
        .updateTable('articles')
        .set({ headline: 'Harbour reopens after the storm, officials say' })
        .where('headline', '=', 'Harbour reopens after the storm')
        .execute();
      expect((await app.inject(articleUrl)).body).not.toContain('officials say');
      const size = cache.size;
      const signedIn = await app.inject({
        url: articleUrl,
        headers: { cookie: `theme=dark; ${SESSION_COOKIE}=s3cr3t` },
      });
      expect(signedIn.body).toContain('officials say');
      expect(signedIn.headers['cache-control']).toBe('private, no-store');
      await app.inject({ url: '/world', headers: { cookie: `${SESSION_COOKIE}=s3cr3t` } });
      expect(cache.size).toBe(size);
    });
  });
});

describe('a face that declares private caching', () => {
  it('never stores its pages and sends them private, no-store', async () => {
    const cache = new PageCache(1024 * 1024);
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: ':memory:' });
    const web = createWeb(config, { pageCache: cache, logger: false });
    await web.app.register(
      async (face) => {
        const pages = web.pages({ kind: 'private' });
        useErrors(face, jsonErrors());
        face.get('/desk', async (request, reply) =>
          pages.send(request, reply, { html: '<p>desk</p>', tags: ['desk'] }),
        );
      },
      { prefix: '/newsroom' },
    );
    const res = await web.app.inject('/newsroom/desk');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expectSecurityHeaders(res.headers, '/newsroom/desk');
    expect(cache.size).toBe(0);
    await web.app.close();
  });
});
