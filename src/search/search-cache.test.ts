import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { Services } from '../services.js';
import { searchQuerySchema } from './search.schemas.js';
import { createSearchService } from './search.service.js';
import { cachedSearch, cacheKey } from './search-cache.js';

const key = (q: string, more: Record<string, unknown> = {}) => cacheKey(searchQuerySchema.parse({ q, ...more }));

it('keys a search by its meaning: case, spacing and word order do not matter; filters and pages do', () => {
  expect(key('Dam  talks')).toBe(key('talks dam'));
  expect(key('"dam talks"')).not.toBe(key('dam talks'));
  expect(key('dam -talks')).not.toBe(key('dam talks'));
  expect(key('dam', { page: 2 })).not.toBe(key('dam'));
  expect(key('dam', { section: 'world' })).not.toBe(key('dam'));
  expect(key('dam', { perPage: 5 })).not.toBe(key('dam'));
});

describeTargets('the search cache on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  let clock = 0;
  const fresh = (options: Parameters<typeof cachedSearch>[1] = {}) =>
    cachedSearch(createSearchService({ database: s.database }), { now: () => clock, ...options });

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    await s.articles.save(articleInput({ headline: 'Dam talks resume in Geneva', publishedAt: new Date() }));
  });
  afterAll(() => t.cleanup());

  it('answers a repeated query from memory, with the query as this reader typed it', async () => {
    const search = fresh();
    const first = await search.search({ q: 'dam talks' });
    const again = await search.search({ q: '  Talks DAM ' });
    expect(again.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    expect(again.q).toBe('Talks DAM');
    expect(search.stats()).toMatchObject({ misses: 1, hits: 1, entries: 1 });
  });

  it('runs identical concurrent queries once', async () => {
    const search = fresh();
    const answers = await Promise.all([1, 2, 3, 4].map(() => search.search({ q: 'geneva' })));
    expect(answers.every((a) => a.total === 1)).toBe(true);
    expect(search.stats()).toMatchObject({ misses: 1, shared: 3 });
  });

  it('stays within its entries, and a flood of one-off queries does not push out the ones readers repeat', async () => {
    const search = fresh({ maxEntries: 10 });
    await search.search({ q: 'dam' });
    await search.search({ q: 'dam' }); // asked twice: protected
    for (let i = 0; i < 200; i++) await search.search({ q: `junk${i} ${'x'.repeat(i % 50)}` });
    expect(search.stats().entries).toBeLessThanOrEqual(10);
    expect(search.stats().probation).toBeLessThanOrEqual(2);
    const before = search.stats().misses;
    await search.search({ q: 'dam' });
    expect(search.stats().misses).toBe(before);
  });

  it('stays within its bytes', async () => {
    const search = fresh({ maxBytes: 20_000 });
    for (let i = 0; i < 50; i++) {
      const q = `dam ${i}`;
      await search.search({ q });
      await search.search({ q });
    }
    expect(search.stats().bytes).toBeLessThanOrEqual(20_000);
    expect(search.stats().entries).toBeGreaterThan(0);
  });

  it('forgets an answer after its time', async () => {
    const search = fresh({ ttlMs: 1000 });
    await search.search({ q: 'dam' });
    clock += 999;
    await search.search({ q: 'dam' });
    clock += 2;
    await search.search({ q: 'dam' });
    expect(search.stats()).toMatchObject({ misses: 2, hits: 1 });
  });

  it('finds an article published after the query was cached (the service’s own cache, dropped at commit)', async () => {
    expect((await s.search.search({ q: 'reservoir' })).total).toBe(0);
    expect((await s.search.search({ q: 'reservoir' })).total).toBe(0);
    const { id } = await s.articles.save(
      articleInput({ headline: 'Reservoir levels fall after dam talks', publishedAt: new Date() }),
    );
    expect((await s.search.search({ q: 'reservoir' })).hits.map((h) => h.id)).toEqual([id]);
    await s.articles.unpublish(id);
    expect((await s.search.search({ q: 'reservoir' })).total).toBe(0);
  });

  it('does not keep an answer read before an invalidation that arrived while it ran', async () => {
    const search = fresh();
    const running = search.search({ q: 'geneva' });
    search.clear();
    await running;
    expect(search.stats().entries).toBe(0);
  });
});
