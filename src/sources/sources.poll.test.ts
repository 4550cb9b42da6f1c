import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../test/feed-server.js';
import { createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import { toInput } from '../articles/article.js';
import { createPacer } from '../lib/pace.js';
import { createHttpClient } from '../net/http-client.js';
import { createSourcesService, type SourcesDeps, type SourcesService } from './sources.service.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describeTargets('polling feed sources on $dialect', (target) => {
  let t: TestServices;
  let feeds: FeedServer;
  /** The site's own service, but with a short time budget and a 1 MiB limit. */
  let sources: SourcesService;
  let editor = 0;

  beforeAll(async () => {
    feeds = await startFeedServer();
    t = await createTestServices({ SOURCES_ALLOW_HOSTS: '127.0.0.1' }, target);
    sources = sourcesWith({});
    editor = (
      await t.services.accounts.createFirstAdmin({
        email: 'ed@news.test',
        name: 'Ed',
        password: 'correct horse battery',
      })
    ).id;
  });
  afterAll(async () => {
    await t?.cleanup();
    await feeds?.stop();
  });
  beforeEach(() => feeds.routes.clear());

  /** The site's own service, with a short time budget and a 1 MiB limit, and `extra`. */
  const sourcesWith = (extra: Partial<SourcesDeps>) => {
    const { database, audit, articles, http, related, events } = t.services;
    return createSourcesService({
      database,
      audit,
      articles,
      http,
      related,
      events,
      config: { ...t.config.sources, maxBytes: 1024 * 1024, perHost: 100 },
      timeoutMs: 800,
      ...extra,
    });
  };

  const add = async (path: string, mode: 'draft' | 'publish' = 'publish', section = 'World') =>
    (await sources.add({ url: `${feeds.origin}${path}`, section, mode }, { userId: editor })).id;
  const articleCount = async () =>
    Number(
      (
        await t.services.database.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const articleFor = async (guid: string) => {
    const row = await t.services.database.db
      .selectFrom('source_items')
      .select('article_id')
      .where('guid', '=', guid)
      .executeTakeFirstOrThrow();
    return (await t.services.articles.get(row.article_id))!;
  };

  it('imports an RSS feed, then answers the next poll with a 304 that changes nothing', async () => {
    feeds.routes.set('/rss.xml', { body: fixture('rss.xml'), etag: '"v1"' });
    const id = await add('/rss.xml', 'draft');
    const before = await articleCount();
    const first = await sources.poll(id);
    expect(first).toMatchObject({ outcome: 'polled', status: 200, seen: 3, created: 3, updated: 0, failed: 0 });
    expect(await articleCount()).toBe(before + 3);
    const ports = await articleFor('hw-2026-12-05-0042');
    expect(ports).toMatchObject({
      headline: 'Ports reopen after three-day strike & talks',
      status: 'draft',
      section: { name: 'World' },
      source: { name: '127.0.0.1', url: `${feeds.origin}/world/2026/12/05/ports-reopen` },
    });
    expect(JSON.stringify(ports.body)).not.toContain('track()');
    expect(ports.body.some((b) => b.type === 'crosshead')).toBe(true);

    const second = await sources.poll(id);
    expect(second).toMatchObject({ outcome: 'not-modified', status: 304, seen: 0, created: 0 });
    expect(feeds.hits.get('/rss.xml')).toEqual({ total: 2, notModified: 1 });
    expect(await articleCount()).toBe(before + 3);
    const status = (await sources.find(id)).status;
    expect(status).toMatchObject({
      itemsSeen: 3,
      itemsCreated: 3,
      itemsUpdated: 0,
      consecutiveFailures: 0,
      etag: '"v1"',
    });
    expect(status.lastError).toBeUndefined();
    expect((await sources.find(id)).format).toBe('rss');
  });

  it('imports Atom, JSON Feed and ninjs, published with their source, licence and original address', async () => {
    feeds.routes.set('/atom.xml', { body: fixture('atom.xml'), contentType: 'application/atom+xml' });
    feeds.routes.set('/feed.json', { body: fixture('feed.json'), contentType: 'application/feed+json' });
    feeds.routes.set('/ninjs.json', { body: fixture('ninjs.json'), contentType: 'application/json' });
    for (const path of ['/atom.xml', '/feed.json', '/ninjs.json']) {
      expect((await sources.poll(await add(path))).created).toBe(2);
    }
    const glacier = await articleFor('https://newswire.example/ninjs/2026/12/05/glacier-survey');
    expect(glacier).toMatchObject({ status: 'published', headline: 'Glacier survey finds faster melt' });
    expect(glacier.publishedAt?.toISOString()).toBe('2026-12-05T11:55:00.000Z');
    const quotas = await articleFor('1002');
    expect(quotas.source?.url).toBe(`${feeds.origin}/news/fishing-quotas`);
    expect(quotas.body).toHaveLength(2);
  });

  it('rests after each item and each chunk of related lists while the machine is busy, and not while it is idle', async () => {
    const items = (tag: string) =>
      Array.from(
        { length: 5 },
        (_, i) => `<item><guid>pace-${tag}-${i}</guid><title>Pacing ${tag} item ${i} about harbour cranes</title>
          <link>https://pace.example/${tag}/${i}</link><description>Cranes stood idle on day ${i}.</description></item>`,
      ).join('');
    const rss = (tag: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>${items(tag)}</channel></rss>`;
    const pacedBy = (busy: boolean) => {
      const rests: number[] = [];
      let ticks = 0;
      const paced = sourcesWith({
        pacer: createPacer({
          duty: 0.5,
          sampleMs: 0,
          // 10 ticks a read, all busy or none
          counters: () => {
            ticks += 10;
            return { busy: busy ? ticks : 0, total: ticks };
          },
          rest: async (ms) => rests.push(ms),
        }),
      });
      return { paced, rests };
    };
    const busy = pacedBy(true);
    feeds.routes.set('/busy.xml', { body: rss('busy') });
    expect(await busy.paced.poll(await add('/busy.xml'))).toMatchObject({ outcome: 'polled', created: 5 });
    // five items, then two chunks of related lists (four articles a chunk)
    expect(busy.rests).toHaveLength(7);
    const idle = pacedBy(false);
    feeds.routes.set('/idle.xml', { body: rss('idle') });
    expect(await idle.paced.poll(await add('/idle.xml'))).toMatchObject({ outcome: 'polled', created: 5 });
    expect(idle.rests).toEqual([]);
  });

  it('decodes a feed in the charset its XML declaration names, without one in the header', async () => {
    const rss = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Le Quotidien</title>
      <item><guid>fr-1</guid><title>Grève à Besançon : les crèches fermées</title><link>https://q.example/greve</link>
      <description>Réunion prévue à l'hôtel de ville.</description></item></channel></rss>`;
    feeds.routes.set('/latin1.xml', { body: Buffer.from(rss, 'latin1'), contentType: 'application/xml' });
    expect((await sources.poll(await add('/latin1.xml'))).created).toBe(1);
    expect((await articleFor('fr-1')).headline).toBe('Grève à Besançon : les crèches fermées');
  });

  it('updates the article of an item seen again instead of adding one, by GUID or by URL from another source', async () => {
    const item = (title: string, guid = 'upd-1') =>
      `<rss version="2.0"><channel><title>x</title><item><guid>${guid}</guid><title>${title}</title>
        <link>https://partner.example/story-upd</link><description>First paragraph of the story.</description></item></channel></rss>`;
    feeds.routes.set('/upd.xml', { body: item('Minister resigns'), etag: '"a"' });
    const id = await add('/upd.xml');
    expect((await sources.poll(id)).created).toBe(1);
    const count = await articleCount();
    const original = await articleFor('upd-1');

    feeds.routes.set('/upd.xml', { body: item('Minister resigns after inquiry'), etag: '"b"' });
    expect(await sources.poll(id)).toMatchObject({ created: 0, updated: 1 });
    const updated = await articleFor('upd-1');
    expect(updated.id).toBe(original.id);
    expect(updated.headline).toBe('Minister resigns after inquiry');
    expect(updated.status).toBe('published');

    // A 200 with the same items (a server without validators) changes nothing.
    feeds.routes.set('/upd.xml', { body: item('Minister resigns after inquiry') });
    expect(await sources.poll(id)).toMatchObject({ seen: 1, created: 0, updated: 0 });

    // Another partner carries the same story under its own GUID: the same article.
    feeds.routes.set('/partner.xml', { body: item('Minister resigns after inquiry', 'partner-77') });
    expect((await sources.poll(await add('/partner.xml'))).created).toBe(0);
    expect(await articleCount()).toBe(count);
  });

  it("never overwrites a newsroom edit: the feed's new version becomes a revision to compare with", async () => {
    const item = (title: string) =>
      `<rss version="2.0"><channel><title>x</title><item><guid>kept-1</guid><title>${title}</title>
        <link>https://wire.example/kept-1</link><description>The wire's text.</description></item></channel></rss>`;
    feeds.routes.set('/kept.xml', { body: item('Floods hit the north'), etag: '"1"' });
    const id = await add('/kept.xml', 'draft');
    await sources.poll(id);
    const imported = await articleFor('kept-1');
    await t.services.articles.update(
      imported.id,
      { ...toInput(imported), headline: 'Floods hit the north: our reporter on the scene' },
      { expectedVersion: imported.version, by: editor },
    );

    feeds.routes.set('/kept.xml', { body: item('Floods hit the north, thousands evacuated'), etag: '"2"' });
    expect(await sources.poll(id)).toMatchObject({ kept: 1, updated: 0, created: 0 });
    const after = await t.services.articles.get(imported.id);
    expect(after?.headline).toBe('Floods hit the north: our reporter on the scene');

    const history = await t.services.articles.history(imported.id);
    expect(history[0]?.headline).toBe('Floods hit the north, thousands evacuated');
    expect(history[0]?.savedBy).toBeUndefined();
    const diff = await t.services.articles.compare(imported.id, history[0]!.id, 'current');
    expect(diff.map((d) => d.field)).toContain('Headline');

    // A later feed version is kept the same way, and the edit still stands.
    feeds.routes.set('/kept.xml', { body: item('Floods: 10,000 evacuated'), etag: '"3"' });
    expect((await sources.poll(id)).kept).toBe(1);
    expect((await t.services.articles.get(imported.id))?.headline).toBe(
      'Floods hit the north: our reporter on the scene',
    );
  });

  it('marks a failing source with a clear reason, backs off, and leaves the others alone', async () => {
    const cases: [string, Parameters<FeedServer['routes']['set']>[1], RegExp][] = [
      [
        '/error.html',
        { body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
        /^SOURCE_NOT_A_FEED/,
      ],
      [
        '/garbage',
        { body: Buffer.from([0, 159, 146, 150, 255, 1, 2]), contentType: 'application/octet-stream' },
        /^SOURCE_UNPARSABLE/,
      ],
      ['/down', { body: 'unavailable', status: 503 }, /^SOURCE_HTTP_STATUS: .*503/],
      ['/slow', { body: '', handle: () => undefined }, /^SOURCE_TIMEOUT/],
      [
        '/loop',
        { body: '', handle: (_req, res) => void res.writeHead(302, { location: '/loop' }).end() },
        /^SOURCE_REDIRECT_LOOP/,
      ],
      [
        '/huge',
        {
          body: '',
          // 50 MB, sent as it is read: the limit ends it long before.
          handle: (_req, res) => {
            res.writeHead(200, { 'content-type': 'application/rss+xml' });
            const chunk = Buffer.alloc(1024 * 1024, 'a');
            let sent = 0;
            const write = () => {
              while (sent < 50 && res.write(chunk)) sent++;
              if (sent >= 50) res.end();
              else res.once('drain', write);
            };
            write();
          },
        },
        /^SOURCE_TOO_LARGE/,
      ],
    ];
    feeds.routes.set('/fine.xml', {
      body: '<rss version="2.0"><channel><title>f</title><item><guid>fine-1</guid><title>Fine</title><description>All well.</description></item></channel></rss>',
    });
    const fine = await add('/fine.xml');
    const count = await articleCount();
    for (const [path, route, reason] of cases) {
      feeds.routes.set(path, route);
      const id = await add(path);
      const report = await sources.poll(id);
      expect(report.outcome, path).toBe('failed');
      expect(report.error, path).toMatch(reason);
      const source = await sources.find(id);
      expect(source.status.lastError, path).toMatch(reason);
      expect(source.status.consecutiveFailures).toBe(1);
      expect(source.status.nextPollAt.getTime() - Date.now()).toBeGreaterThan(source.intervalSeconds * 1000);
    }
    expect(await articleCount()).toBe(count);
    expect((await sources.poll(fine)).created).toBe(1);
  });

  it('imports no item by halves: one the article rules refuse leaves nothing behind, the others are saved', async () => {
    const far = new Date(Date.now() + 10 * 366 * 24 * 3_600_000).toUTCString();
    feeds.routes.set('/partly.xml', {
      body: `<rss version="2.0"><channel><title>p</title>
        <item><guid>partly-bad</guid><title>Dated ten years ahead</title><pubDate>${far}</pubDate><description>Text.</description></item>
        <item><guid>partly-good</guid><title>An ordinary item</title><description>Text.</description></item>
      </channel></rss>`,
      etag: '"p1"',
    });
    const id = await add('/partly.xml');
    const count = await articleCount();
    const report = await sources.poll(id);
    expect(report).toMatchObject({ outcome: 'failed', seen: 2, created: 1, failed: 1 });
    expect(report.error).toMatch(/^SOURCE_ITEMS_FAILED: 1 of 2 items not saved \(item partly-bad: /);
    expect(await articleCount()).toBe(count + 1);
    const rows = await t.services.database.db
      .selectFrom('source_items')
      .select('guid')
      .where('source_id', '=', id)
      .execute();
    expect(rows.map((r) => r.guid)).toEqual(['partly-good']);
    // The validators were not kept: the next poll fetches the feed again for the item that failed.
    expect((await sources.find(id)).status.etag).toBeUndefined();
    expect((await sources.find(id)).status.itemsCreated).toBe(1);
  });

  it('refuses private addresses unless the operator named the host: literal, by name, and via a redirect', async () => {
    const guardedHttp = createHttpClient({ userAgent: 'test' });
    const guarded = createSourcesService({ ...t.services, http: guardedHttp, config: t.config.sources });
    feeds.routes.set('/private.xml', { body: fixture('rss.xml') });
    feeds.routes.set('/redirect', {
      body: '',
      handle: (_q, res) =>
        void res.writeHead(302, { location: `${feeds.origin.replace('127.0.0.1', 'localhost')}/private.xml` }).end(),
    });
    const port = new URL(feeds.origin).port;
    try {
      for (const url of [`${feeds.origin}/private.xml`, `http://localhost:${port}/private.xml`]) {
        const s = await guarded.add({ url, section: 'World', mode: 'draft' });
        expect((await guarded.poll(s.id)).error).toMatch(/^SOURCE_BLOCKED/);
      }
      // Allowed to start at 127.0.0.1, but not to be redirected to another private name from there.
      const s = await add('/redirect');
      expect((await sources.poll(s)).error).toMatch(/^SOURCE_BLOCKED/);
      expect(feeds.hits.get('/private.xml')).toBeUndefined();
    } finally {
      await guardedHttp.close();
    }
  });

  it('refuses a bad source with INVALID_SOURCE, a second one at the same address with SOURCE_EXISTS', async () => {
    await expect(sources.add({ url: 'ftp://x.example/feed', section: 'World', mode: 'draft' })).rejects.toMatchObject({
      code: 'INVALID_SOURCE',
    });
    await expect(
      sources.add({ url: 'https://x.example/feed', section: '', mode: 'later' as 'draft', intervalSeconds: 5 }),
    ).rejects.toMatchObject({
      code: 'INVALID_SOURCE',
      details: { problems: [{ field: 'section' }, { field: 'mode' }, { field: 'interval' }] },
    });
    await sources.add({ url: 'https://x.example/feed', section: 'World', mode: 'draft' });
    await expect(sources.add({ url: 'https://x.example/feed', section: 'World', mode: 'draft' })).rejects.toMatchObject(
      {
        code: 'SOURCE_EXISTS',
      },
    );
  });
});
