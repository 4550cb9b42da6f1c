import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import { findArticleById } from '../articles/article.repository.js';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { createUrlImportService, type UrlImportService } from './url-import.service.js';

const reference = readFileSync(new URL('../extract/fixtures/reference-page.html', import.meta.url), 'utf8');
const indexPage = `<html><body><h1>World</h1><ul>${Array.from({ length: 20 }, (_, i) => `<li><a href="/s/${i}">Story ${i} of the day in the world</a></li>`).join('')}</ul></body></html>`;

/** Recorded answers by path: what a news site served. */
const routes: Record<string, { status?: number; type?: string; body?: string; location?: string; hang?: boolean }> = {
  '/world/talks': { type: 'text/html; charset=utf-8', body: reference },
  '/world/talks-amp': { type: 'text/html', body: reference },
  '/moved': { status: 301, location: '/world/talks' },
  '/to-localhost': { status: 302, location: 'LOCALHOST/world/talks' },
  '/index': { type: 'text/html', body: indexPage },
  '/report.pdf': { type: 'application/pdf', body: '%PDF-1.4 …' },
  '/big': { type: 'text/html', body: `<html><body>${'<p>word </p>'.repeat(5000)}</body></html>` },
  '/gone': { status: 404, type: 'text/html', body: '<h1>Not found</h1>' },
  '/slow': { hang: true },
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) return void res.writeHead(404).end();
    if (route.hang) return; // never answers: the client's budget runs out
    const location = route.location?.replace('LOCALHOST', `http://localhost:${(server.address() as AddressInfo).port}`);
    res.writeHead(route.status ?? 200, {
      ...(route.type ? { 'content-type': route.type } : {}),
      ...(location ? { location } : {}),
    });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describeTargets('importing an article from a URL on $dialect', (target) => {
  let t: TestServices;
  let http: HttpClient;
  let importer: UrlImportService;
  beforeAll(async () => {
    t = await createTestServices({}, target);
    // The test server is on 127.0.0.1, which only an operator's named host may be.
    http = createHttpClient({ userAgent: 'Dateline-test', allowPrivateHosts: ['127.0.0.1'] });
    importer = createUrlImportService({ http, articles: t.services.articles, maxBytes: 50_000, timeoutMs: 500 });
  });
  afterAll(async () => {
    await http.close();
    await t?.cleanup();
  });

  it('stores the reference page as exactly its article, a draft by default, with its source and canonical link', async () => {
    const saved = await importer.importUrl({ url: `${base}/world/talks`, section: 'World' });
    expect(saved).toMatchObject({
      created: true,
      status: 'draft',
      headline: 'US And Russia Urge Peaceful Solution To Ukraine Crisis',
    });
    const article = await findArticleById(t.services.database.db, saved.id);
    expect(article).toMatchObject({
      headline: 'US And Russia Urge Peaceful Solution To Ukraine Crisis',
      standfirst: expect.stringMatching(/^US Secretary of State/),
      section: { name: 'World' },
      authors: [{ name: 'Ann Reporter' }],
      language: 'en',
      externalId: 'url:https://news.example/world/us-and-russia-urge-peaceful-solution',
      source: { name: 'Dateline Test News', url: 'https://news.example/world/us-and-russia-urge-peaceful-solution' },
      leadImage: { caption: 'US and Russia urge peaceful solution', credit: 'Reuters' },
    });
    expect(article?.body.map((b) => b.type)).toContain('crosshead');
    expect(JSON.stringify(article?.body)).not.toMatch(/Latest news|Related news|3\.8 C|Share on/);
  });

  it('updates the same article when the page comes again, by another address with the same canonical URL', async () => {
    const first = await importer.importUrl({ url: `${base}/world/talks-amp`, section: 'World', mode: 'publish' });
    const second = await importer.importUrl({ url: `${base}/moved`, section: 'World', mode: 'publish' });
    expect(first.created).toBe(false);
    expect(second).toMatchObject({
      created: false,
      id: first.id,
      status: 'published',
      fetchedUrl: `${base}/world/talks`,
    });
  });

  it('refuses a page with no article (NO_ARTICLE_FOUND) and stores nothing', async () => {
    const before = await t.services.database.db
      .selectFrom('articles')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    await expect(importer.importUrl({ url: `${base}/index` })).rejects.toMatchObject({
      code: 'NO_ARTICLE_FOUND',
      statusCode: 422,
    });
    const after = await t.services.database.db
      .selectFrom('articles')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('gives a stable code for a non-HTML, too large, missing, timing-out or malformed address', async () => {
    await expect(importer.importUrl({ url: `${base}/report.pdf` })).rejects.toMatchObject({
      code: 'URL_NOT_HTML',
      statusCode: 415,
    });
    await expect(importer.importUrl({ url: `${base}/big` })).rejects.toMatchObject({
      code: 'URL_TOO_LARGE',
      statusCode: 413,
    });
    await expect(importer.importUrl({ url: `${base}/gone` })).rejects.toMatchObject({
      code: 'URL_FETCH_FAILED',
      details: { status: 404 },
    });
    await expect(importer.importUrl({ url: `${base}/slow` })).rejects.toMatchObject({ code: 'URL_TIMEOUT' });
    await expect(importer.importUrl({ url: 'ftp://news.example/x' })).rejects.toMatchObject({
      code: 'BAD_URL',
      statusCode: 400,
    });
  });
});

describe('importing from a private address', () => {
  // The site's real client: no host of the operator's named, so every private address is refused.
  const http = createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 2000 });
  const articles = { save: () => Promise.reject(new Error('nothing may be saved')) } as never;
  const importer = createUrlImportService({ http, articles });
  afterAll(() => http.close());

  it('refuses a private or loopback address', async () => {
    await expect(importer.importUrl({ url: `${base}/world/talks` })).rejects.toMatchObject({ code: 'URL_BLOCKED' });
    await expect(importer.importUrl({ url: 'http://10.1.2.3/x' })).rejects.toMatchObject({ code: 'URL_BLOCKED' });
  });

  it('refuses a host name that resolves to 127.0.0.1', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(importer.importUrl({ url: `http://localhost:${port}/world/talks` })).rejects.toMatchObject({
      code: 'URL_BLOCKED',
    });
  });

  it('refuses a redirect to a private address, even from a host the operator allowed', async () => {
    const allowed = createHttpClient({ userAgent: 'Dateline-test', allowPrivateHosts: ['127.0.0.1'] });
    const via = createUrlImportService({ http: allowed, articles });
    await expect(via.importUrl({ url: `${base}/to-localhost` })).rejects.toMatchObject({ code: 'URL_BLOCKED' });
    await allowed.close();
  });
});
