import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  articleInput,
  createInstance,
  createTestDb,
  describePostgres,
  redisUrl,
  type TestDb,
} from '../../test/helpers.js';

// LISTEN/NOTIFY always (the suite is skipped without PostgreSQL); Redis when there is one.
const transports = [...(redisUrl ? ['redis'] : []), 'postgres'];

// Several instances need a shared database: PostgreSQL. Without one there is nothing to share (listed as skipped).
describePostgres('several instances', () => {
  describe.each(transports)('two instances sharing PostgreSQL, invalidating through %s', (transport) => {
    let shared: TestDb;
    const instances: { app: FastifyInstance; url: string }[] = [];

    beforeAll(async () => {
      shared = await createTestDb({ dialect: 'postgres' });
      const channel = `t_${randomBytes(4).toString('hex')}`;
      for (let i = 0; i < 2; i++) {
        const app = await createInstance(shared, {
          CACHE_CHANNEL: channel,
          MEDIA_DIR: `/tmp/dateline-instances-media-${channel}`,
          ...(transport === 'redis' ? { REDIS_URL: redisUrl! } : {}),
        });
        const address = await app.listen({ host: '127.0.0.1', port: 0 });
        instances.push({ app, url: address });
      }
      await instances[0]!.app.dateline.articles.save(articleInput({ headline: 'Story already there' }));
    });

    afterAll(async () => {
      for (const { app } of instances) await app.close();
      await shared.cleanup();
    });

    it('reports the cache bus in /readyz', async () => {
      const res = await fetch(`${instances[1]!.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', [transport]: 'ok' });
    });

    it('shows an article published on one instance on the other, on its cached article pages too', async () => {
      const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
      const home = async () => (await fetch(`${b.url}/`)).text();
      const before = await home();
      expect(before).toContain('Story already there');
      expect(await home()).toBe(before); // served from B's page cache from here on
      const articleUrl = before.match(/href="(\/world\/\d{4}\/\d{2}\/\d{2}\/story-already-there)"/)![1]!;
      await fetch(`${b.url}${articleUrl}`);

      await a.app.dateline.articles.save(articleInput({ headline: 'Fresh from instance A', publishedAt: new Date() }));
      // B's pages stay cached (no expiry) until an invalidation from A arrives: nothing else can show the article.
      // The generous wait is for a loaded machine; the bus delivers in milliseconds.
      await vi.waitFor(async () => expect(await home()).toContain('Fresh from instance A'), {
        timeout: 10_000,
        interval: 25,
      });
      const page = await (await fetch(`${b.url}${articleUrl}`)).text();
      // Listed under Latest news, or under Related news when the engine relates the two (Latest news then leaves it out).
      expect(page).toMatch(/(Latest news|Related news)<\/h2>[\s\S]*Fresh from instance A/);
    });

    it('drops the other instance’s cached search answers when one instance publishes', async () => {
      const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
      const search = async () => (await fetch(`${b.url}/search?q=aqueduct`)).text();
      expect(await search()).not.toContain('Aqueduct</mark> reopens');
      await search(); // asked twice: kept in B's search cache
      expect(b.app.dateline.search.stats().hits).toBeGreaterThan(0);
      await a.app.dateline.articles.save(articleInput({ headline: 'Aqueduct reopens', publishedAt: new Date() }));
      await vi.waitFor(async () => expect(await search()).toContain('Aqueduct</mark> reopens'), {
        timeout: 10_000,
        interval: 25,
      });
    });
  });
});
