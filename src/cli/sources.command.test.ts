import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FeedServer, startFeedServer } from '../../test/feed-server.js';
import { quietCli } from '../../test/helpers.js';
import { run } from './main.js';

describe('dateline sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-sources-'));
  let feeds: FeedServer;
  const env = () => ({
    DATABASE_URL: join(dir, 'sources.db'),
    MEDIA_DIR: join(dir, 'media'),
    SITE_URL: 'https://news.example',
    SOURCES_ALLOW_HOSTS: '127.0.0.1',
  });
  quietCli(env);
  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.routes.set('/rss.xml', {
      body: readFileSync(new URL('../sources/fixtures/rss.xml', import.meta.url)),
      etag: '"1"',
    });
    feeds.routes.set('/broken', {
      body: '<!DOCTYPE html><html><body>Server error</body></html>',
      contentType: 'text/html',
    });
  });
  afterAll(async () => {
    await feeds.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const out = () =>
    vi
      .mocked(process.stdout.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');
  const err = () =>
    vi
      .mocked(process.stderr.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');

  it('adds, polls, lists with status and removes sources', async () => {
    expect(await run(['sources', 'list'])).toBe(0);
    expect(out()).toContain('No sources yet.');
    const url = `${feeds.origin}/rss.xml`;
    expect(await run(['sources', 'add', url, '--section', 'World', '--mode', 'draft', '--interval', '10m'])).toBe(0);
    expect(out()).toContain('Added source 1:');
    expect(await run(['sources', 'add', `${feeds.origin}/broken`, '--section', 'World', '--mode', 'publish'])).toBe(0);
    expect(await run(['sources', 'poll', '1'])).toBe(0);
    expect(out()).toContain('polled (HTTP 200): 3 seen, 3 created');
    expect(await run(['sources', 'poll', '2'])).toBe(1);
    expect(await run(['sources', 'list'])).toBe(0);
    expect(out()).toMatch(/rss → World, draft, every 10m; ok/);
    expect(out()).toContain('items seen 3, created 3, updated 0');
    expect(out()).toMatch(/FAILING ×1: SOURCE_NOT_A_FEED: an HTML page/);
    expect(await run(['sources', 'remove', '2'])).toBe(0);
    expect(await run(['sources', 'remove', '2'])).toBe(1);
    expect(err()).toContain('No such source.');
  });

  it('answers bad usage and bad sources with exit code 2', async () => {
    expect(await run(['sources', 'add', 'https://x.example/feed', '--section', 'World'])).toBe(2);
    expect(
      await run([
        'sources',
        'add',
        'https://x.example/feed',
        '--section',
        'W',
        '--mode',
        'draft',
        '--interval',
        'soon',
      ]),
    ).toBe(2);
    expect(await run(['sources', 'add', 'ftp://x.example/feed', '--section', 'World', '--mode', 'draft'])).toBe(2);
    expect(err()).toContain('The address must start with http:// or https://.');
    expect(await run(['sources', 'remove', 'x'])).toBe(2);
  });
});
