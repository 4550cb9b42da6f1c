import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from './http-client.js';

const NEWS = 'https://news.example';
const CDN = 'https://cdn.example';

type Seen = { method: string; path: string; headers: Record<string, string>; body: string };

describe('redirects, against a mocked network', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  const client = (extra: Partial<HttpClientOptions> = {}) =>
    createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 500, dispatcher: agent, ...extra });

  /** `origin` + `path` answers `status` with `location`, and remembers the request. */
  const redirect = (origin: string, path: string, status: number, location: string, seen?: Seen[]) =>
    agent
      .get(origin)
      .intercept({ path, method: () => true })
      .reply((opts) => {
        seen?.push(record(opts));
        return { statusCode: status, data: 'moved', responseOptions: { headers: { location } } };
      });
  /** `origin` + `path` answers 200 with `body`, and remembers the request. */
  const answer = (origin: string, path: string, body: string, seen?: Seen[]) =>
    agent
      .get(origin)
      .intercept({ path, method: () => true })
      .reply((opts) => {
        seen?.push(record(opts));
        return { statusCode: 200, data: body };
      });

  it.each([301, 302, 303, 307, 308])('follows a %i, relative or absolute, to the final answer', async (status) => {
    redirect(NEWS, '/old', status, '/new');
    redirect(NEWS, '/new', status, `${CDN}/feed.xml`);
    answer(CDN, '/feed.xml', '<rss/>');
    const res = await client().get(`${NEWS}/old`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('<rss/>');
    expect(res.url).toBe(`${CDN}/feed.xml`);
    expect(res.redirects).toBe(2);
  });

  it('hands back a redirect as it is when asked to (redirect: manual), or when it has no Location', async () => {
    redirect(NEWS, '/old', 301, '/new');
    const manual = await client().get(`${NEWS}/old`, { redirect: 'manual' });
    expect(manual.status).toBe(301);
    expect(manual.headers['location']).toBe('/new');
    expect(manual.redirects).toBe(0);

    agent.get(NEWS).intercept({ path: '/nowhere' }).reply(302, 'no location');
    const bare = await client().get(`${NEWS}/nowhere`);
    expect([bare.status, bare.body, bare.url]).toEqual([302, 'no location', `${NEWS}/nowhere`]);
  });

  it('refuses a redirect to a private address with HTTP_BLOCKED_ADDRESS, and never asks it', async () => {
    for (const target of [
      'http://127.0.0.1/admin',
      'http://10.0.0.1/',
      'http://[::1]:8080/',
      'http://169.254.169.254/',
    ]) {
      redirect(NEWS, '/feed', 302, target);
      await expect(client().get(`${NEWS}/feed`), target).rejects.toMatchObject({ code: 'HTTP_BLOCKED_ADDRESS' });
    }
    // Had the client gone there, these would have been taken.
    answer('http://127.0.0.1', '/admin', 'secret');
    answer('http://10.0.0.1', '/', 'secret');
    redirect(NEWS, '/again', 307, 'http://10.0.0.1/');
    await expect(client().get(`${NEWS}/again`)).rejects.toMatchObject({ code: 'HTTP_BLOCKED_ADDRESS' });
    expect(agent.pendingInterceptors().map((i) => i.origin)).toEqual(['http://127.0.0.1', 'http://10.0.0.1']);
  });

  it("does not let a server elsewhere redirect into the operator's own hosts", async () => {
    const http = client({ allowPrivateHosts: ['10.0.0.5', 'meteo.internal'] });
    for (const target of ['http://10.0.0.5/internal', 'http://meteo.internal/v1/forecast']) {
      redirect(NEWS, '/feed', 302, target);
      await expect(http.get(`${NEWS}/feed`), target).rejects.toMatchObject({ code: 'HTTP_BLOCKED_ADDRESS' });
    }
    // A chain that starts there may move within them.
    redirect('http://10.0.0.5', '/v1', 301, 'http://meteo.internal/v1/forecast');
    answer('http://meteo.internal', '/v1/forecast', 'internal');
    expect((await http.get('http://10.0.0.5/v1')).body).toBe('internal');
  });

  it('refuses a redirect to something other than http(s), or to no URL at all, with HTTP_BAD_URL', async () => {
    for (const target of ['file:///etc/passwd', 'ftp://files.example/x', 'javascript:alert(1)', 'http://[oops']) {
      redirect(NEWS, '/x', 302, target);
      await expect(client().get(`${NEWS}/x`), target).rejects.toMatchObject({ code: 'HTTP_BAD_URL' });
    }
  });

  it('follows at most 5 redirects by default, or as many as a request allows', async () => {
    for (let i = 0; i < 5; i++) redirect(NEWS, `/${i}`, 302, `/${i + 1}`);
    answer(NEWS, '/5', 'arrived');
    expect((await client().get(`${NEWS}/0`)).redirects).toBe(5);

    for (let i = 0; i < 6; i++) redirect(NEWS, `/${i}`, 302, `/${i + 1}`);
    answer(NEWS, '/6', 'never');
    await expect(client().get(`${NEWS}/0`)).rejects.toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS' });

    redirect(NEWS, '/a', 301, '/b');
    redirect(NEWS, '/b', 301, '/c');
    await expect(client().get(`${NEWS}/a`, { maxRedirects: 1 })).rejects.toMatchObject({
      code: 'HTTP_TOO_MANY_REDIRECTS',
    });
  });

  it('gives up on a redirect loop', async () => {
    agent
      .get(NEWS)
      .intercept({ path: '/loop' })
      .reply(302, '', { headers: { location: '/loop' } })
      .persist();
    await expect(client().get(`${NEWS}/loop`)).rejects.toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS' });
  });

  it('turns a POST into a GET without its body after a 303, 301 or 302', async () => {
    for (const status of [303, 301, 302]) {
      const seen: Seen[] = [];
      redirect(NEWS, '/hook', status, '/done', seen);
      answer(NEWS, '/done', 'ok', seen);
      await client().post(`${NEWS}/hook`, { json: { event: 'published' } });
      expect(
        seen.map((s) => s.method),
        String(status),
      ).toEqual(['POST', 'GET']);
      expect(seen[1]?.body).toBe('');
      expect(seen[1]?.headers['content-type']).toBeUndefined();
    }
  });

  it('repeats a POST with its body after a 307 or 308', async () => {
    for (const status of [307, 308]) {
      const seen: Seen[] = [];
      redirect(NEWS, '/hook', status, `${CDN}/hook`, seen);
      answer(CDN, '/hook', 'ok', seen);
      await client().post(`${NEWS}/hook`, { json: { event: 'published' } });
      expect(
        seen.map((s) => [s.method, s.body, s.headers['content-type']]),
        String(status),
      ).toEqual([
        ['POST', '{"event":"published"}', 'application/json'],
        ['POST', '{"event":"published"}', 'application/json'],
      ]);
    }
  });

  it('keeps credentials on the same origin and drops them on another', async () => {
    const seen: Seen[] = [];
    redirect(NEWS, '/private', 302, '/private/', seen);
    redirect(NEWS, '/private/', 302, `${CDN}/file`, seen);
    answer(CDN, '/file', 'ok', seen);
    await client().get(`${NEWS}/private`, {
      headers: { Authorization: 'Bearer t0ken', Cookie: 'session=1', 'X-Trace': 'abc' },
    });
    const credentials = seen.map((s) => [s.headers['authorization'], s.headers['cookie'], s.headers['x-trace']]);
    expect(credentials).toEqual([
      ['Bearer t0ken', 'session=1', 'abc'],
      ['Bearer t0ken', 'session=1', 'abc'],
      [undefined, undefined, 'abc'],
    ]);
    // The user agent is ours, not a credential: every hop has it.
    expect(seen.map((s) => s.headers['user-agent'])).toEqual(['Dateline-test', 'Dateline-test', 'Dateline-test']);
  });

  it('spends one time budget on the whole chain', async () => {
    redirect(NEWS, '/slow', 302, `${CDN}/hang`);
    // The second hop never answers: the first hop's budget must end it (else the test times out).
    agent
      .get(CDN)
      .intercept({ path: '/hang' })
      .reply(200, () => new Promise<string>(() => {}));
    await expect(client({ timeoutMs: 100 }).get(`${NEWS}/slow`)).rejects.toMatchObject({ code: 'HTTP_TIMEOUT' });
  });
});

describe('redirects on real sockets (loopback only)', () => {
  let server: Server;
  let port: number;
  const reached: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      reached.push(req.url ?? '');
      if (req.url === '/start') {
        // A name, not an address: only the socket's DNS lookup can tell it is loopback.
        res.writeHead(302, { location: `http://localhost:${port}/inside` }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('inside');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    reached.length = 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const http = createHttpClient({ userAgent: 'ua', timeoutMs: 2000, allowPrivateHosts: ['127.0.0.1'] });
    try {
      await expect(http.get(`http://127.0.0.1:${port}/start`)).rejects.toMatchObject({ code: 'HTTP_BLOCKED_ADDRESS' });
      expect(reached).toEqual(['/start']);
    } finally {
      await http.close();
    }
  });

  it('follows it when the operator allowed both hosts', async () => {
    const http = createHttpClient({ userAgent: 'ua', timeoutMs: 2000, allowPrivateHosts: ['127.0.0.1', 'localhost'] });
    try {
      const res = await http.get(`http://127.0.0.1:${port}/start`);
      expect([res.status, res.body, res.url, res.redirects]).toEqual([
        200,
        'inside',
        `http://localhost:${port}/inside`,
        1,
      ]);
      expect(reached).toEqual(['/start', '/inside']);
    } finally {
      await http.close();
    }
  });
});

function record(opts: { method: string; path: string; headers?: unknown; body?: unknown }): Seen {
  return {
    method: opts.method,
    path: opts.path,
    headers: { ...(opts.headers as Record<string, string>) },
    body: opts.body === undefined || opts.body === null ? '' : String(opts.body),
  };
}
