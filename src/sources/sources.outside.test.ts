/**
 * Wire copy is news like any other to those outside the site: a poll that
 * publishes or updates articles delivers a webhook per article and pings the
 * WebSub hub once per changed feed, while the site's pages are dropped once
 * for the whole poll. Real local servers stand in for the feed, the
 * receiver and the hub.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../test/feed-server.js';
import { createTestServices, describeTargets, settle, type TestServices } from '../../test/helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Records each POST's path and body. */
async function recorder(): Promise<{ url: string; posts: { path: string; body: string }[]; stop(): Promise<void> }> {
  const posts: { path: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body });
      res.writeHead(req.url === '/hub' ? 204 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeTargets('feed sources tell webhooks and WebSub on $dialect', (target) => {
  let t: TestServices;
  let feeds: FeedServer;
  let outside: Awaited<ReturnType<typeof recorder>>;
  let editor = 0;

  beforeAll(async () => {
    feeds = await startFeedServer();
    outside = await recorder();
    t = await createTestServices(
      {
        SOURCES_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBSUB_HUB: `${outside.url}/hub`,
      },
      target,
    );
    editor = (
      await t.services.accounts.createFirstAdmin({
        email: 'ed@news.test',
        name: 'Ed',
        password: 'correct horse battery',
      })
    ).id;
    await t.services.webhooks.create(
      { url: `${outside.url}/hook`, events: ['article.published', 'article.updated'] },
      { userId: editor },
    );
  });
  afterAll(async () => {
    await t?.cleanup();
    await feeds?.stop();
    await outside?.stop();
  });

  const hooks = () => outside.posts.filter((p) => p.path === '/hook').map((p) => JSON.parse(p.body));
  const pings = () =>
    outside.posts.filter((p) => p.path === '/hub').map((p) => new URLSearchParams(p.body).get('hub.url'));

  it('delivers article.published once per article a publishing source creates, and pings each feed once', async () => {
    feeds.routes.set('/rss.xml', { body: fixture('rss.xml') });
    const source = await t.services.sources.add(
      { url: `${feeds.origin}/rss.xml`, section: 'World', mode: 'publish' },
      { userId: editor },
    );
    const report = await t.services.sources.poll(source.id);
    expect(report.created).toBe(3);
    await settle(t.services);
    const published = hooks().filter((h) => h.event === 'article.published');
    expect(published.map((h) => h.article.headline).sort()).toEqual([
      'Central bank holds rates',
      'Ports reopen after three-day strike & talks',
      'Storm warning for the coast',
    ]);
    expect(new Set(published.map((h) => h.eventId)).size).toBe(3);
    expect(pings()).toContain('http://news.test/world/feed.xml');
    expect(pings()).toContain('http://news.test/feed.json');
    expect(pings().length).toBe(new Set(pings()).size);
  });

  it('delivers article.updated when the feed changes a published article, and nothing for a draft source', async () => {
    outside.posts.length = 0;
    feeds.routes.set('/rss.xml', { body: fixture('rss.xml').replace('holds rates', 'holds rates again') });
    const [source] = await t.services.sources.list();
    await t.services.sources.poll(source!.id);
    feeds.routes.set('/drafts.xml', { body: fixture('rss.xml').replace(/2026\/12\/05|2026-12-05/g, 'other-day') });
    const drafts = await t.services.sources.add(
      { url: `${feeds.origin}/drafts.xml`, section: 'World', mode: 'draft' },
      { userId: editor },
    );
    expect((await t.services.sources.poll(drafts.id)).created).toBeGreaterThan(0);
    await settle(t.services);
    expect(hooks().map((h) => [h.event, h.article.headline])).toEqual([
      ['article.updated', 'Central bank holds rates again'],
    ]);
  });
});
