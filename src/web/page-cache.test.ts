import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PageCache, STALE_MS } from './page-cache.js';
import { matchesEtag, PageEntry } from './page-entry.js';

function page(body: string, statusCode = 200): PageEntry {
  return new PageEntry(statusCode, 'text/html; charset=utf-8', 'public, max-age=0', Buffer.from(body));
}

/** An entry of exactly `size` bytes as the cache counts it (body plus fixed overhead). */
function sized(size: number, fill = 'x'): PageEntry {
  const entry = page(fill.repeat(size - 256));
  expect(entry.size).toBe(size);
  return entry;
}

/** A compressible body comfortably above the compression threshold. */
const LONG_BODY = '<p>The river dam talks opened in Geneva on Monday.</p>\n'.repeat(100);

describe('PageCache get and set', () => {
  it('returns undefined for a key never stored', () => {
    expect(new PageCache(10_000).get('/missing')).toBeUndefined();
  });

  it('returns the stored entry for its key', () => {
    const cache = new PageCache(10_000);
    const entry = page('<p>world</p>');
    cache.set('/world', entry, ['latest']);
    expect(cache.get('/world')).toBe(entry);
    expect(cache.get('/world?page=2')).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(entry.size);
  });

  it('replaces the entry for a key that is set again, counting its bytes once', () => {
    const cache = new PageCache(10_000);
    cache.set('/world', page('old'), ['latest']);
    const fresh = page('new body');
    cache.set('/world', fresh, ['latest']);
    expect(cache.get('/world')).toBe(fresh);
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(fresh.size);
  });

  it('forgets the old tags of a key that is set again', () => {
    const cache = new PageCache(10_000);
    cache.set('/world', page('old'), ['section:1']);
    cache.set('/world', page('new'), ['section:2']);
    expect(cache.invalidate(['section:1'])).toBe(0);
    expect(cache.get('/world')).toBeDefined();
    expect(cache.invalidate(['section:2'])).toBe(1);
  });
});

describe('PageCache byte budget', () => {
  it('evicts the least recently stored entry once the budget is exceeded', () => {
    const cache = new PageCache(4000);
    for (const key of ['/a', '/b', '/c', '/d']) cache.set(key, sized(1000), []);
    expect(cache.size).toBe(4);
    cache.set('/e', sized(1000), []);
    expect(cache.get('/a')).toBeUndefined();
    for (const key of ['/b', '/c', '/d', '/e']) expect(cache.get(key)).toBeDefined();
    expect(cache.usedBytes).toBe(4000);
  });

  it('keeps a recently read entry and evicts the least recently used one instead', () => {
    const cache = new PageCache(4000);
    for (const key of ['/a', '/b', '/c', '/d']) cache.set(key, sized(1000), []);
    cache.get('/a');
    cache.set('/e', sized(1000), []);
    expect(cache.get('/a')).toBeDefined();
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.size).toBe(4);
  });

  it('evicts as many old entries as needed to fit a new one', () => {
    const cache = new PageCache(4000);
    for (const key of ['/a', '/b', '/c', '/d', '/e', '/f', '/g', '/h']) cache.set(key, sized(500), []);
    cache.set('/big', sized(1000), []);
    expect(cache.get('/a')).toBeUndefined();
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.get('/c')).toBeDefined();
    expect(cache.get('/big')).toBeDefined();
    expect(cache.usedBytes).toBeLessThanOrEqual(4000);
  });

  it('does not store an entry larger than a quarter of the budget', () => {
    const cache = new PageCache(4000);
    cache.set('/huge', sized(1001), ['latest']);
    expect(cache.get('/huge')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
  });

  it('stores an entry of exactly a quarter of the budget', () => {
    const cache = new PageCache(4000);
    cache.set('/quarter', sized(1000), []);
    expect(cache.get('/quarter')).toBeDefined();
  });

  it('drops the old copy when a key is replaced by an entry too large to keep', () => {
    const cache = new PageCache(4000);
    cache.set('/world', sized(500), ['latest']);
    cache.set('/world', sized(2000), ['latest']);
    expect(cache.get('/world')).toBeUndefined();
    expect(cache.usedBytes).toBe(0);
  });

  it('keeps its byte count right when a stored entry is compressed later', () => {
    const cache = new PageCache(1_000_000);
    const entry = page(LONG_BODY);
    cache.set('/world', entry, ['latest']);
    // Serving a hit compresses the body after it was stored.
    entry.encoded('gzip');
    entry.encoded('br');
    expect(cache.invalidate(['latest'])).toBe(1);
    // Kept aside as stale until rendered again, at the size it was charged.
    cache.rendered('/world');
    expect(cache.usedBytes).toBe(0);
  });

  it('still bounds the memory held after many stored entries were compressed and dropped', () => {
    const cache = new PageCache(40_000);
    for (let i = 0; i < 100; i++) {
      const entry = page(LONG_BODY.replace('Monday', `day ${i}`));
      cache.set(`/n/${i}`, entry, [`n:${i}`]);
      entry.encoded('gzip');
      entry.encoded('br');
      cache.invalidate([`n:${i}`]);
    }
    const kept: PageEntry[] = [];
    for (let i = 0; i < 20; i++) cache.set(`/m/${i}`, page(LONG_BODY.replace('Monday', `day ${i}`)), []);
    for (let i = 0; i < 20; i++) {
      const entry = cache.get(`/m/${i}`);
      if (entry) kept.push(entry);
    }
    const held = kept.reduce((sum, entry) => sum + entry.size, 0);
    expect(held).toBeLessThanOrEqual(40_000);
    expect(cache.usedBytes).toBe(held);
  });
});

describe('PageCache invalidate', () => {
  it('refuses a page rendered before an invalidation that happened while it rendered', () => {
    const cache = new PageCache(100_000);
    const before = cache.generation;
    cache.invalidate(['article:1']);
    cache.set('/stale', page('stale'), ['latest'], before);
    expect(cache.get('/stale')).toBeUndefined();
    cache.set('/fresh', page('fresh'), ['latest'], cache.generation);
    expect(cache.get('/fresh')).toBeDefined();
  });

  it('drops exactly the entries carrying a given tag and returns how many', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest', 'section:1', 'section:2']);
    cache.set('/world', page('world'), ['latest', 'section:1']);
    cache.set('/sport', page('sport'), ['latest', 'section:2']);
    cache.set('/about', page('about'), ['static']);
    expect(cache.invalidate(['section:1'])).toBe(2);
    expect(cache.get('/')).toBeUndefined();
    expect(cache.get('/world')).toBeUndefined();
    expect(cache.get('/sport')).toBeDefined();
    expect(cache.get('/about')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('counts an entry once when it carries several of the invalidated tags', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest', 'article:1', 'article:2']);
    cache.set('/a/1', page('one'), ['article:1']);
    expect(cache.invalidate(['article:1', 'article:2', 'latest'])).toBe(2);
    expect(cache.size).toBe(0);
    // Each kept once as a stale copy until rendered again.
    expect(cache.usedBytes).toBe(page('home').size + page('one').size);
    cache.rendered('/');
    cache.rendered('/a/1');
    expect(cache.usedBytes).toBe(0);
  });

  it('returns 0 for tags no entry carries', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest']);
    expect(cache.invalidate(['article:99'])).toBe(0);
    expect(cache.invalidate([])).toBe(0);
    expect(cache.get('/')).toBeDefined();
  });

  it('accepts any iterable of tags', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest']);
    expect(cache.invalidate(new Set(['latest']))).toBe(1);
  });

  it('returns 0 when the same tag is invalidated twice', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest']);
    expect(cache.invalidate(['latest'])).toBe(1);
    expect(cache.invalidate(['latest'])).toBe(0);
  });

  it('does not drop an entry evicted and stored again under other tags', () => {
    const cache = new PageCache(4000);
    cache.set('/a', sized(1000), ['old']);
    for (const key of ['/b', '/c', '/d', '/e']) cache.set(key, sized(1000), []);
    cache.set('/a', sized(1000), ['new']);
    expect(cache.invalidate(['old'])).toBe(0);
    expect(cache.get('/a')).toBeDefined();
  });
});

describe('PageCache clear', () => {
  it('drops every entry and resets the byte count', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest']);
    cache.set('/world', page('world'), ['section:1']);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
    expect(cache.get('/')).toBeUndefined();
    expect(cache.invalidate(['latest', 'section:1'])).toBe(0);
  });

  it('is usable again after clearing', () => {
    const cache = new PageCache(100_000);
    cache.set('/', page('home'), ['latest']);
    cache.clear();
    const entry = page('home again');
    cache.set('/', entry, ['latest']);
    expect(cache.get('/')).toBe(entry);
    expect(cache.usedBytes).toBe(entry.size);
  });
});

describe('PageEntry etag', () => {
  it('is a weak validator', () => {
    expect(page('<p>x</p>').etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
  });

  it('is the same for the same body', () => {
    expect(page('<p>same</p>').etag).toBe(page('<p>same</p>').etag);
  });

  it('differs for a different body, even by one character', () => {
    expect(page('<p>same</p>').etag).not.toBe(page('<p>Same</p>').etag);
  });
});

describe('PageEntry negotiate', () => {
  const entry = page(LONG_BODY);

  it('prefers brotli when the client accepts it', () => {
    expect(entry.negotiate('gzip, deflate, br')).toBe('br');
    expect(entry.negotiate('br')).toBe('br');
  });

  it('falls back to gzip when brotli is not accepted', () => {
    expect(entry.negotiate('gzip, deflate')).toBe('gzip');
  });

  it('honours q=0 as "not acceptable"', () => {
    expect(entry.negotiate('br;q=0, gzip')).toBe('gzip');
    expect(entry.negotiate('br; q=0.0, gzip;q=0')).toBe('identity');
  });

  it('accepts a coding with a non-zero q value', () => {
    expect(entry.negotiate('gzip;q=0.5')).toBe('gzip');
    expect(entry.negotiate('br;q=0.1, gzip;q=1')).toBe('br');
  });

  it('matches coding names regardless of case and spacing', () => {
    expect(entry.negotiate('  GZIP ;q=1 ')).toBe('gzip');
    expect(entry.negotiate('deflate ,Br')).toBe('br');
  });

  it('does not mistake a longer coding name for gzip or br', () => {
    expect(entry.negotiate('x-gzip, brotli')).toBe('identity');
  });

  it('sends identity when the header is missing or empty', () => {
    expect(entry.negotiate(undefined)).toBe('identity');
    expect(entry.negotiate('')).toBe('identity');
  });

  it('sends identity when no supported coding is accepted', () => {
    expect(entry.negotiate('deflate, compress')).toBe('identity');
  });

  it('does not compress a body under 1 KiB', () => {
    expect(page('x'.repeat(1023)).negotiate('br, gzip')).toBe('identity');
    expect(page('x'.repeat(1024)).negotiate('br, gzip')).toBe('br');
  });
});

describe('PageEntry encoded', () => {
  it('returns the body itself for identity', () => {
    const entry = page(LONG_BODY);
    expect(entry.encoded('identity')).toBe(entry.body);
  });

  it('gzips a body that gunzips back to the original, smaller than it', () => {
    const entry = page(LONG_BODY);
    const gz = entry.encoded('gzip');
    expect(gz.length).toBeLessThan(entry.body.length);
    expect(gunzipSync(gz).toString()).toBe(LONG_BODY);
  });

  it('brotli-compresses a body that decompresses back to the original, smaller than it', () => {
    const entry = page(LONG_BODY);
    const br = entry.encoded('br');
    expect(br.length).toBeLessThan(entry.body.length);
    expect(brotliDecompressSync(br).toString()).toBe(LONG_BODY);
  });

  it('compresses once and reuses the result', () => {
    const entry = page(LONG_BODY);
    expect(entry.encoded('gzip')).toBe(entry.encoded('gzip'));
    expect(entry.encoded('br')).toBe(entry.encoded('br'));
  });

  it('counts compressed variants in its size', () => {
    const entry = page(LONG_BODY);
    const before = entry.size;
    const gz = entry.encoded('gzip');
    expect(entry.size).toBe(before + gz.length);
  });

  it('round-trips non-ASCII text', () => {
    const text = 'Zürich, São Paulo, 東京 — “quotes” '.repeat(60);
    const entry = page(text);
    expect(gunzipSync(entry.encoded('gzip')).toString('utf8')).toBe(text);
    expect(brotliDecompressSync(entry.encoded('br')).toString('utf8')).toBe(text);
  });
});

describe('matchesEtag', () => {
  const etag = 'W/"abc123"';

  it('is false without an If-None-Match header', () => {
    expect(matchesEtag(undefined, etag)).toBe(false);
    expect(matchesEtag('', etag)).toBe(false);
  });

  it('matches the same weak tag', () => {
    expect(matchesEtag('W/"abc123"', etag)).toBe(true);
  });

  it('matches the strong form of a weak tag and the weak form of a strong tag', () => {
    expect(matchesEtag('"abc123"', etag)).toBe(true);
    expect(matchesEtag('W/"abc123"', '"abc123"')).toBe(true);
  });

  it('matches when the tag is anywhere in a list', () => {
    expect(matchesEtag('"zzz", W/"abc123", "yyy"', etag)).toBe(true);
    expect(matchesEtag('"zzz",W/"abc123"', etag)).toBe(true);
  });

  it('does not match a list without the tag', () => {
    expect(matchesEtag('"zzz", W/"yyy"', etag)).toBe(false);
  });

  it('does not match a tag that merely contains or is contained in this one', () => {
    expect(matchesEtag('W/"abc1234"', etag)).toBe(false);
    expect(matchesEtag('W/"abc"', etag)).toBe(false);
  });

  it('matches * whatever the tag', () => {
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag(' * ', etag)).toBe(true);
  });

  it('matches the etag of an entry with the same body', () => {
    expect(matchesEtag(page('<p>x</p>').etag, page('<p>x</p>').etag)).toBe(true);
    expect(matchesEtag(page('<p>x</p>').etag, page('<p>y</p>').etag)).toBe(false);
  });
});

describe('PageCache stale copies while a page is rendered again', () => {
  it('gives the first request after an invalidation the render, and the ones meanwhile the previous copy', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/', page('before'), ['latest']);
    expect(cache.invalidate(['latest'], 1_000)).toBe(1);
    expect(cache.get('/')).toBeUndefined();
    expect(cache.staleOrRender('/', 1_001)).toBe('render');
    const meanwhile = cache.staleOrRender('/', 1_002);
    expect(meanwhile !== 'render' && meanwhile?.entry.body.toString()).toBe('before');
    // The render stores its page: the copy is gone, the fresh page answers.
    cache.set('/', page('after'), ['latest']);
    expect(cache.staleOrRender('/', 1_003)).toBeUndefined();
    expect(cache.get('/')?.body.toString()).toBe('after');
  });

  it('stops giving out the copy once the rendering request ended without storing (the page is a 404 now)', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/news/a', page('published'), ['article:1']);
    cache.invalidate(['article:1'], 0);
    expect(cache.staleOrRender('/news/a', 1)).toBe('render');
    cache.rendered('/news/a');
    expect(cache.staleOrRender('/news/a', 2)).toBeUndefined();
  });

  it('gives out no copy older than STALE_MS, and drops old copies at the next invalidation', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/a', page('a'), ['x']);
    cache.set('/b', page('b'), ['y']);
    cache.invalidate(['x'], 0);
    expect(cache.staleOrRender('/a', STALE_MS + 1)).toBeUndefined();
    cache.invalidate(['y'], 0);
    const used = cache.usedBytes;
    cache.invalidate(['nothing'], STALE_MS + 1);
    expect(cache.usedBytes).toBe(used - page('b').size);
    expect(cache.staleAt('/b')).toBeUndefined();
  });

  it('counts stale copies in the budget and evicts them before fresh pages', () => {
    const cache = new PageCache(4000);
    cache.set('/old', sized(1000), ['x']);
    cache.invalidate(['x'], 0);
    expect(cache.usedBytes).toBe(1000);
    cache.set('/a', sized(1000), []);
    cache.set('/b', sized(1000), []);
    cache.set('/c', sized(1000), []);
    cache.set('/d', sized(1000), []);
    expect(cache.staleAt('/old')).toBeUndefined();
    expect(['/a', '/b', '/c', '/d'].map((k) => cache.get(k) !== undefined)).toEqual([true, true, true, true]);
    expect(cache.usedBytes).toBe(4000);
  });

  it('keeps no copy after clear()', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/', page('x'), ['latest']);
    cache.invalidate(['latest'], 0);
    cache.clear();
    expect(cache.staleOrRender('/', 1)).toBeUndefined();
    expect(cache.usedBytes).toBe(0);
  });
});
