import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, isPrivateAddress } from './http-client.js';

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

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.8',
    '172.16.4.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::2',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['151.101.1.69', '8.8.8.8', '2606:4700::6810:84e5', '::ffff:151.101.1.69'])('accepts %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

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
