import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices } from '../test/helpers.js';

describe('the outbound HTTP client the services build', () => {
  let server: Server;
  let origin: string;
  const agents: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      agents.push(req.headers['user-agent'] ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("identifies as the weather user agent, reaches the operator's own hosts, and closes with the services", async () => {
    // A self-hosted Open-Meteo named by the operator: its loopback address is allowed, as WEATHER_* hosts are.
    const t = await createTestServices({ OPEN_METEO_URL: origin, WEATHER_USER_AGENT: 'Dateline-test (ops@news.test)' });
    const http = t.services.http;
    try {
      const res = await http.get(`${origin}/ping`);
      expect([res.status, res.body]).toEqual([200, 'pong']);
      expect(agents).toEqual(['Dateline-test (ops@news.test)']);
      // Private hosts the operator did not name stay refused.
      await expect(http.get('http://10.0.0.1/')).rejects.toMatchObject({ code: 'HTTP_BLOCKED_ADDRESS' });
    } finally {
      await t.cleanup();
    }
    await expect(http.get(`${origin}/ping`)).rejects.toMatchObject({ code: 'HTTP_NETWORK' });
    expect(agents).toHaveLength(1);
  });
});
