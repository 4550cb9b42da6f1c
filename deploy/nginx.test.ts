import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  articleInput,
  createInstance,
  createTestDb,
  describePostgres,
  redisUrl,
  type TestDb,
} from '../test/helpers.js';

const NGINX = '/usr/sbin/nginx';
// Needs nginx as well (scripts/test.sh installs it): without it, the suite is listed as skipped too.
const describeWithNginx = existsSync(NGINX) ? describePostgres : describe.skip;

/** The repository's nginx files, with this test's ports and paths put in. */
function nginxConf(dir: string, port: number, upstreams: number[]): string {
  const http = readFileSync(new URL('./nginx/dateline-http.conf', import.meta.url), 'utf8')
    .replace(/server 127\.0\.0\.1:3001 /, `server 127.0.0.1:${upstreams[0]} `)
    .replace(/server 127\.0\.0\.1:3002 /, `server 127.0.0.1:${upstreams[1]} `)
    .replace('/var/cache/nginx/dateline', join(dir, 'cache'));
  const site = readFileSync(new URL('./nginx/dateline-site.conf', import.meta.url), 'utf8').replace(
    'listen 80;',
    `listen 127.0.0.1:${port};`,
  );
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${join(dir, t)};`)
    .join('\n');
  return `daemon off; master_process off; worker_processes 1;
error_log ${join(dir, 'error.log')} warn; pid ${join(dir, 'nginx.pid')};
events { worker_connections 256; }
http { access_log off; ${temp}
${http}
${site}
}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describeWithNginx('nginx in front of two instances (deploy/nginx)', () => {
  let shared: TestDb;
  let dir: string;
  let nginx: ChildProcess;
  let base: string;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    shared = await createTestDb({ dialect: 'postgres' });
    dir = mkdtempSync(join(tmpdir(), 'dateline-nginx-'));
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const app = await createInstance(shared, {
        CACHE_CHANNEL: `n_${Date.now()}`,
        MEDIA_DIR: join(dir, 'media'),
        TRUST_PROXY: 'on',
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      });
      const port = await freePort();
      await app.listen({ host: '127.0.0.1', port });
      apps.push(app);
      ports.push(port);
    }
    await apps[0]!.dateline.articles.save(articleInput({ headline: 'Served through nginx' }));
    const port = await freePort();
    mkdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, ports));
    nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const app of apps) await app.close().catch(() => {});
    await shared?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves pages through the proxy cache: a miss, then hits', async () => {
    const first = await fetch(`${base}/`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Served through nginx');
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    const second = await fetch(`${base}/`);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(second.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('sends a signed-in request past the cache, and never stores its answer', async () => {
    await fetch(`${base}/`);
    const signedIn = await fetch(`${base}/`, { headers: { cookie: 'dateline_session=abc' } });
    expect(signedIn.headers.get('x-cache-status')).toBe('BYPASS');
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const again = await fetch(`${base}/`);
    expect(again.headers.get('x-cache-status')).toBe('HIT');
    expect(again.headers.get('cache-control')).toContain('public');
  });

  it('keeps the app compression and its variants', async () => {
    const br = await fetch(`${base}/world`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    const plain = await fetch(`${base}/world`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('Served through nginx');
  });

  it('passes the newsroom through uncached, with room for an article form over nginx’s 1 MB default', async () => {
    const login = await fetch(`${base}/admin/login`, { redirect: 'manual' });
    expect(login.headers.get('x-cache-status')).toBeNull();
    expect(login.headers.get('cache-control')).toBe('private, no-store');
    // A 1.5 MB form reaches the app (which answers it, here refusing the missing CSRF token), not nginx's 413.
    const big = await fetch(`${base}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=a&password=${'x'.repeat(1536 * 1024)}`,
      redirect: 'manual',
    });
    expect(big.status).toBe(403);
    expect(await big.text()).toContain('This form has expired');
  });

  it('never caches health checks', async () => {
    await fetch(`${base}/readyz`);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache-status')).toBeNull();
  });

  it('keeps answering when one instance goes away', async () => {
    await apps[0]!.close();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(200);
    }
  });
});
