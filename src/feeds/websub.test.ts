import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  articleInput,
  createTestServices,
  describeTargets,
  settle,
  type TestServices,
  until,
} from '../../test/helpers.js';
import { liveEditor } from '../../test/live-helpers.js';
import type { Services } from '../services.js';
import { changedFeeds } from './websub.js';

it('lists every feed of an article’s lists, in every format', () => {
  expect(changedFeeds({ section: 'world', tags: ['water'], authors: ['ana-ruiz'] }, 'https://news.example')).toEqual(
    [
      '/feed.xml',
      '/atom.xml',
      '/feed.json',
      '/world/feed.xml',
      '/world/atom.xml',
      '/world/feed.json',
      '/tag/water/feed.xml',
      '/tag/water/atom.xml',
      '/tag/water/feed.json',
      '/author/ana-ruiz/feed.xml',
      '/author/ana-ruiz/atom.xml',
      '/author/ana-ruiz/feed.json',
    ].map((p) => `https://news.example${p}`),
  );
});

/** A local stand-in for a WebSub hub: records each ping, and answers with the next recorded status (then 204). */
function startHub() {
  const pings: { contentType: string | undefined; body: URLSearchParams }[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const status = answers.shift() ?? 204;
      if (status === 204) pings.push({ contentType: req.headers['content-type'], body: new URLSearchParams(body) });
      res.writeHead(status).end();
    });
  });
  return { server, pings, answers };
}

describeTargets('WebSub pings on $dialect', (target) => {
  const hub = startHub();
  let t: TestServices;
  let services: Services;

  beforeAll(async () => {
    await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
    const { port } = hub.server.address() as AddressInfo;
    t = await createTestServices({ WEBSUB_HUB: `http://127.0.0.1:${port}/hub` }, target);
    services = t.services;
  });
  afterAll(async () => {
    await t.cleanup();
    await new Promise((resolve) => hub.server.close(resolve));
  });

  const topics = () => hub.pings.map((p) => p.body.get('hub.url'));

  it('tells the hub which feeds changed when an article is published, as hub.mode=publish forms', async () => {
    await services.articles.save(
      articleInput({ externalId: 'w1', section: { name: 'World' }, tags: [{ name: 'Water' }], authors: [] }),
    );
    await settle(services);
    expect(hub.pings.every((p) => p.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(hub.pings.every((p) => p.body.get('hub.mode') === 'publish')).toBe(true);
    expect(topics()).toEqual(
      ['/feed.xml', '/atom.xml', '/feed.json', '/world/feed.xml', '/world/atom.xml', '/world/feed.json']
        .concat(['/tag/water/feed.xml', '/tag/water/atom.xml', '/tag/water/feed.json'])
        .map((p) => `http://news.test${p}`),
    );
  });

  it('retries with backoff when the hub fails, until it takes the ping', async () => {
    hub.pings.length = 0;
    hub.answers.push(503, 500);
    await services.articles.save(
      articleInput({ externalId: 'w2', section: { name: 'Sport' }, tags: [], authors: [], publishedAt: new Date() }),
    );
    await services.jobs.start();
    await until(() => topics().includes('http://news.test/sport/feed.json'), 30_000);
    expect(hub.answers).toEqual([]);
    expect(topics()).toContain('http://news.test/feed.xml');
  });

  it('pings again when a published article is withdrawn', async () => {
    await settle(services);
    hub.pings.length = 0;
    const saved = await services.articles.save(
      articleInput({ externalId: 'w1', section: { name: 'World' }, tags: [{ name: 'Water' }], status: 'draft' }),
    );
    expect(saved.id).toBeGreaterThan(0);
    await settle(services);
    expect(topics()).toContain('http://news.test/tag/water/atom.xml');
  });

  it('pings the site’s feeds when breaking news starts, not when it ends', async () => {
    await settle(services);
    const saved = await services.articles.save(articleInput({ externalId: 'w3', section: { name: 'World' } }));
    await settle(services);
    hub.pings.length = 0;
    const editor = await liveEditor(services);
    const b = await services.breaking.flag({ target: { kind: 'article', id: saved.id }, minutes: 30 }, editor);
    await settle(services);
    expect(topics()).toEqual(['/feed.xml', '/atom.xml', '/feed.json'].map((p) => `http://news.test${p}`));
    hub.pings.length = 0;
    await services.breaking.end(b.id, editor);
    await settle(services);
    expect(topics()).toEqual([]);
  });
});
