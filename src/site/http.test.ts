import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, type TestApp } from '../../test/helpers.js';

describe('HTTP behaviour of pages', () => {
  let t: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestApp();
    app = t.app;
    for (let i = 0; i < 3; i++) await app.dateline.articles.save(articleInput({ body: longBody() }));
  });
  afterAll(() => t.cleanup());

  it('sends an ETag and answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject('/');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await app.inject({ url: '/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await app.inject({ url: '/', headers: { 'if-none-match': 'W/"other"' } });
    expect(other.statusCode).toBe(200);
  });

  it('sends Cache-Control on pages and an immutable year on the hashed stylesheet', async () => {
    const page = await app.inject('/');
    expect(page.headers['cache-control']).toContain('public');
    const href = page.body.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
    expect(href).toMatch(/^\/assets\/site\.[0-9a-f]{12}\.css$/);
    const css = await app.inject(href);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/assets/site.000000000000.css')).statusCode).toBe(404);
  });

  it('compresses with brotli or gzip as the client accepts', async () => {
    const plain = await app.inject('/');
    const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    const none = await app.inject({ url: '/', headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await app.inject('/');
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('sets strict security headers with a CSP that allows no inline script', async () => {
    for (const url of ['/', '/nope']) {
      const res = await app.inject(url);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('serves cached pages with the same headers as fresh ones', async () => {
    const fresh = await app.inject('/world');
    const cached = await app.inject('/world');
    expect(app.dateline.pageCache?.size).toBeGreaterThan(0);
    expect(cached.body).toBe(fresh.body);
    for (const h of ['content-security-policy', 'etag', 'cache-control', 'content-type']) {
      expect(cached.headers[h], h).toBe(fresh.headers[h]);
    }
  });

  it('shows a newly published article at once on cached pages', async () => {
    const before = await app.inject('/');
    expect(before.body).not.toContain('Breaking: a brand new story');
    await app.dateline.articles.save(
      articleInput({ headline: 'Breaking: a brand new story', publishedAt: new Date() }),
    );
    const home = await app.inject('/');
    expect(home.body).toContain('Breaking: a brand new story');
    const section = await app.inject('/world');
    expect(section.body).toContain('Breaking: a brand new story');
  });

  it('refreshes Latest news on cached article pages of every section at once when an article is published', async () => {
    const sport = await app.dateline.articles.save(
      articleInput({ headline: 'Cup final goes to extra time', section: { name: 'Sport' } }),
    );
    const sportUrl = (await app.inject('/sport')).body.match(/href="(\/sport\/\d{4}\/\d{2}\/\d{2}\/[^"]+)"/)![1]!;
    const before = await app.inject(sportUrl);
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain('Ministers meet on the water treaty');
    expect(app.dateline.pageCache?.get(sportUrl)).toBeDefined();
    // Published in another section: nothing links the two but Latest news (the `latest` tag).
    await app.dateline.articles.save(
      articleInput({
        headline: 'Ministers meet on the water treaty',
        section: { name: 'World' },
        publishedAt: new Date(),
      }),
    );
    const after = await app.inject(sportUrl);
    expect(after.body).toContain('Ministers meet on the water treaty');
    expect(sport.published).toBe(true);
  });

  it('sends HSTS on an https site, and not on a plain-http one', async () => {
    const secure = await createTestApp({ SITE_URL: 'https://news.test' });
    try {
      for (const url of ['/', '/nope', '/api/articles/1/related']) {
        const res = await secure.app.inject(url);
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
      }
    } finally {
      await secure.cleanup();
    }
    expect((await app.inject('/')).headers['strict-transport-security']).toBeUndefined();
  });

  it('shows an edited headline at once on the pages that list it', async () => {
    const input = articleInput({ headline: 'Original headline here' });
    await app.dateline.articles.save(input);
    expect((await app.inject('/world')).body).toContain('Original headline here');
    await app.dateline.articles.save({ ...input, headline: 'Corrected headline here' });
    const page = await app.inject('/world');
    expect(page.body).toContain('Corrected headline here');
    expect(page.body).not.toContain('Original headline here');
  });

  it('drops an unpublished article from cached pages', async () => {
    const input = articleInput({ headline: 'Soon to be withdrawn' });
    await app.dateline.articles.save(input);
    expect((await app.inject('/')).body).toContain('Soon to be withdrawn');
    await app.dateline.articles.save({ ...input, status: 'archived' });
    expect((await app.inject('/')).body).not.toContain('Soon to be withdrawn');
  });

  it('renders a plain 500 page that leaks nothing', async () => {
    const broken = await createTestApp();
    try {
      await broken.app.dateline.database.db.schema.dropTable('related_articles').execute();
      await broken.app.dateline.articles.save(articleInput({ headline: 'Will fail to render' }));
      const home = await broken.app.inject('/');
      expect(home.statusCode).toBe(200);
      const url = home.body.match(/href="(\/world\/\d{4}\/\d{2}\/\d{2}\/will-fail-to-render)"/)![1]!;
      const res = await broken.app.inject(url);
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('Something went wrong');
      expect(res.body).not.toMatch(/related_articles|sqlite|stack|Error:/i);
    } finally {
      await broken.cleanup();
    }
  });

  it('answers health checks', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    // On SQLite the cache bus is the invalidation log in the same file.
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ok', database: 'ok', sqlite: 'ok' });
  });

  it('answers unknown JSON endpoints with a stable code', async () => {
    const res = await app.inject('/api/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});

describe('with page caching turned off', () => {
  it('renders every request and still revalidates with ETags', async () => {
    const t = await createTestApp({ PAGE_CACHE: 'off' });
    try {
      await t.app.dateline.articles.save(articleInput({ headline: 'Uncached story' }));
      expect(t.app.dateline.pageCache).toBeUndefined();
      const a = await t.app.inject('/');
      expect(a.body).toContain('Uncached story');
      const b = await t.app.inject({ url: '/', headers: { 'if-none-match': a.headers.etag as string } });
      expect(b.statusCode).toBe(304);
    } finally {
      await t.cleanup();
    }
  });
});

function longBody() {
  return Array.from({ length: 5 }, (_, i) => ({
    type: 'paragraph' as const,
    html: `Paragraph ${i} with enough words to make the page worth compressing for this test of encodings.`,
  }));
}

describe('shared cache lifetime', () => {
  it('follows SHARED_CACHE_SECONDS in the pages’ Cache-Control', async () => {
    const t = await createTestApp({ SHARED_CACHE_SECONDS: '5' });
    const none = await createTestApp({ SHARED_CACHE_SECONDS: '0' });
    try {
      expect((await t.app.inject('/')).headers['cache-control']).toBe(
        'public, max-age=0, s-maxage=5, stale-while-revalidate=5',
      );
      expect((await none.app.inject('/')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    } finally {
      await t.cleanup();
      await none.cleanup();
    }
  });
});
