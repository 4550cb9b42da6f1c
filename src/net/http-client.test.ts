import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError } from './http-client.js';

const ORIGIN = 'https://api.example.org';

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe('http client against a mocked network', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
    createHttpClient({ userAgent: 'Dateline-test/1 (+http://news.test)', timeoutMs: 200, dispatcher: agent, ...extra });

  it('returns status, lower-case headers and the body, and sends the user agent', async () => {
    let seen: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x?a=1' })
      .reply((opts) => {
        seen = opts.headers as Record<string, string>;
        return {
          statusCode: 200,
          data: '{"ok":true}',
          responseOptions: { headers: { 'Content-Type': 'application/json', 'Last-Modified': 'Mon, 11 Jan 2021' } },
        };
      });
    const res = await client().get(`${ORIGIN}/v1/x?a=1`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"ok":true}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['last-modified']).toBe('Mon, 11 Jan 2021');
    expect(seen['user-agent']).toBe('Dateline-test/1 (+http://news.test)');
  });

  it('sends conditional-GET headers and hands back a 304 as a response', async () => {
    let seen: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: '/f' })
      .reply((opts) => {
        seen = opts.headers as Record<string, string>;
        return { statusCode: 304, data: '' };
      });
    const res = await client().get(`${ORIGIN}/f`, {
      ifModifiedSince: 'Mon, 11 Jan 2021 14:32:56 GMT',
      ifNoneMatch: '"abc"',
    });
    expect(res.status).toBe(304);
    expect(seen['if-modified-since']).toBe('Mon, 11 Jan 2021 14:32:56 GMT');
    expect(seen['if-none-match']).toBe('"abc"');
  });

  it('hands back 429 and 500 as responses, not errors', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/a' })
      .reply(429, 'slow down', { headers: { 'retry-after': '60' } });
    agent.get(ORIGIN).intercept({ path: '/b' }).reply(500, 'oops');
    const http = client();
    expect((await http.get(`${ORIGIN}/a`)).status).toBe(429);
    expect((await http.get(`${ORIGIN}/a`).catch((e) => e)) instanceof HttpError).toBe(true); // no interceptor left
    expect((await http.get(`${ORIGIN}/b`)).status).toBe(500);
  });

  it('gives up with HTTP_TIMEOUT when the answer does not come within the budget', async () => {
    let asked = false;
    // An upstream that never answers: only the budget can end this request (else the test times out).
    agent
      .get(ORIGIN)
      .intercept({ path: '/slow' })
      .reply(200, () => {
        asked = true;
        return new Promise<string>(() => {});
      });
    const err = await failure(client({ timeoutMs: 100 }).get(`${ORIGIN}/slow`));
    expect(err.code).toBe('HTTP_TIMEOUT');
    expect(asked).toBe(true); // it was sent and waited for, not refused before sending
  });

  it('refuses a body over the size limit with HTTP_TOO_LARGE', async () => {
    agent.get(ORIGIN).intercept({ path: '/big' }).reply(200, 'x'.repeat(5000));
    expect((await failure(client({ maxBytes: 1000 }).get(`${ORIGIN}/big`))).code).toBe('HTTP_TOO_LARGE');
  });

  it('decompresses gzip, and counts the limit after decompression too', async () => {
    const json = JSON.stringify({ text: 'y'.repeat(4000) });
    agent
      .get(ORIGIN)
      .intercept({ path: '/gz' })
      .reply(200, gzipSync(json), { headers: { 'content-encoding': 'gzip' } })
      .times(2);
    expect((await client().get(`${ORIGIN}/gz`)).body).toBe(json);
    // Compressed it is tiny; decompressed it is over the limit.
    expect((await failure(client({ maxBytes: 1000 }).get(`${ORIGIN}/gz`))).code).toBe('HTTP_TOO_LARGE');
  });

  it('reports a connection failure as HTTP_NETWORK', async () => {
    agent.get(ORIGIN).intercept({ path: '/down' }).replyWithError(new Error('ECONNREFUSED'));
    expect((await failure(client().get(`${ORIGIN}/down`))).code).toBe('HTTP_NETWORK');
  });

  it('refuses literal private addresses before sending anything, unless the host is allowed', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://10.0.0.1/x', 'http://[::1]:9/x', 'http://169.254.169.254/']) {
      expect((await failure(client().get(url))).code).toBe('HTTP_BLOCKED_ADDRESS');
    }
    agent.get('http://127.0.0.1:9').intercept({ path: '/x' }).reply(200, 'local');
    expect((await client({ allowPrivateHosts: ['127.0.0.1'] }).get('http://127.0.0.1:9/x')).body).toBe('local');
  });

  it('answers with the raw bytes, the text in its charset, the URL that answered and no redirects', async () => {
    const novosti = Buffer.from('cdeee2eef1f2e8', 'hex'); // 'Новости' in windows-1251, from Python's cp1251 codec
    agent
      .get(ORIGIN)
      .intercept({ path: '/ru' })
      .reply(200, novosti, { headers: { 'content-type': 'text/plain; charset=windows-1251' } });
    const res = await client().get(`${ORIGIN}/ru`);
    expect(res.bytes.equals(novosti)).toBe(true);
    expect(res.body).toBe('Новости');
    expect(res.charset).toBe('windows-1251');
    expect(res.url).toBe(`${ORIGIN}/ru`);
    expect(res.redirects).toBe(0);
  });

  it('decodes a gzip-compressed feed by its XML declaration', async () => {
    const feed = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>'),
      Buffer.from('cdeee2eef1f2e8', 'hex'),
      Buffer.from('</title></channel></rss>'),
    ]);
    agent
      .get(ORIGIN)
      .intercept({ path: '/feed.xml' })
      .reply(200, gzipSync(feed), { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' } });
    const res = await client().get(`${ORIGIN}/feed.xml`);
    expect(res.body).toContain('<title>Новости</title>');
    expect(res.bytes.equals(feed)).toBe(true);
  });

  it('asks for anything by default; a caller asks for what it wants, names in any case', async () => {
    const accepts: unknown[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: '/x' })
      .reply((opts) => {
        accepts.push((opts.headers as Record<string, string>)['accept']);
        return { statusCode: 200, data: '' };
      })
      .times(2);
    await client().get(`${ORIGIN}/x`);
    await client().get(`${ORIGIN}/x`, { headers: { Accept: 'application/json' } });
    expect(accepts).toEqual(['*/*', 'application/json']);
  });

  it('sends JSON, forms, text and bytes with their content type, and the answer of a POST', async () => {
    const seen: { method: string; type: string; body: string }[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: '/in', method: (m) => m !== 'GET' })
      .reply((opts) => {
        const headers = opts.headers as Record<string, string>;
        seen.push({ method: opts.method, type: headers['content-type'] ?? '', body: String(opts.body) });
        return { statusCode: 202, data: '{"queued":true}' };
      })
      .times(5);
    const http = client();
    const res = await http.post(`${ORIGIN}/in`, { json: { event: 'published', id: 7, title: 'Łódź' } });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ queued: true });
    await http.post(`${ORIGIN}/in`, { form: { q: 'Łódź', page: '2' } });
    await http.post(`${ORIGIN}/in`, 'plain words');
    await http.post(`${ORIGIN}/in`, new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'image/png' } });
    await http.request(`${ORIGIN}/in`, { method: 'PUT', body: { json: [1, 2] } });
    expect(seen).toEqual([
      { method: 'POST', type: 'application/json', body: '{"event":"published","id":7,"title":"Łódź"}' },
      { method: 'POST', type: 'application/x-www-form-urlencoded', body: 'q=%C5%81%C3%B3d%C5%BA&page=2' },
      { method: 'POST', type: 'text/plain; charset=utf-8', body: 'plain words' },
      { method: 'POST', type: 'image/png', body: '\x01\x02\x03' },
      { method: 'PUT', type: 'application/json', body: '[1,2]' },
    ]);
  });

  it('refuses a body on a GET, and a JSON body JSON cannot hold, before sending anything', async () => {
    const http = client();
    await expect(http.request(`${ORIGIN}/x`, { method: 'GET', body: 'x' })).rejects.toThrow(TypeError);
    await expect(http.post(`${ORIGIN}/x`, { json: undefined })).rejects.toThrow(TypeError);
  });

  it('takes a size limit per request', async () => {
    agent.get(ORIGIN).intercept({ path: '/page' }).reply(200, 'x'.repeat(5000)).times(2);
    const http = client({ maxBytes: 1000 });
    expect((await http.get(`${ORIGIN}/page`, { maxBytes: 10_000 })).body.length).toBe(5000);
    expect((await failure(http.get(`${ORIGIN}/page`))).code).toBe('HTTP_TOO_LARGE');
  });

  it("stops with HTTP_ABORTED when the caller's signal aborts, before or during the request", async () => {
    expect((await failure(client().get(`${ORIGIN}/x`, { signal: AbortSignal.abort() }))).code).toBe('HTTP_ABORTED');
    const controller = new AbortController();
    agent
      .get(ORIGIN)
      .intercept({ path: '/hang' })
      .reply(200, () => {
        setImmediate(() => controller.abort()); // the caller gives up while the answer is awaited
        return new Promise<string>(() => {});
      });
    const err = await failure(client({ timeoutMs: 600_000 }).get(`${ORIGIN}/hang`, { signal: controller.signal }));
    expect(err.code).toBe('HTTP_ABORTED');
  });

  it('refuses URLs that are not http(s)', async () => {
    expect((await failure(client().get('file:///etc/passwd'))).code).toBe('HTTP_BAD_URL');
    expect((await failure(client().get('/relative'))).code).toBe('HTTP_BAD_URL');
  });
});

describe('http client on real sockets (loopback only)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`hello ${req.headers['user-agent']}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a name that resolves to a loopback address', async () => {
    const http = createHttpClient({ userAgent: 'ua', timeoutMs: 2000 });
    try {
      expect((await failure(http.get(`http://localhost:${port}/`))).code).toBe('HTTP_BLOCKED_ADDRESS');
    } finally {
      await http.close();
    }
  });

  it('reaches an allowed local host (a self-hosted service)', async () => {
    const http = createHttpClient({ userAgent: 'ua-local', timeoutMs: 2000, allowPrivateHosts: ['localhost'] });
    try {
      const res = await http.get(`http://localhost:${port}/`);
      expect(res.status).toBe(200);
      expect(res.body).toBe('hello ua-local');
    } finally {
      await http.close();
    }
  });
});
