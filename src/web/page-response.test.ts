import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.js';
import { PageEntry } from './page-entry.js';
import { findCached, hasSession, SESSION_COOKIE, serveFromCache, storeKey } from './page-response.js';

function request(url: string, method = 'GET', headers: IncomingMessage['headers'] = {}) {
  return { method, url, headers };
}

const page = (text: string) => new PageEntry(200, 'text/html; charset=utf-8', 'public', Buffer.from(text));

describe('storeKey', () => {
  it('is the path for a GET without a query', () => {
    expect(storeKey(request('/world'), true)).toBe('/world');
    expect(storeKey(request('/'), false)).toBe('/');
  });

  it('gives HEAD the same key as GET', () => {
    expect(storeKey(request('/world?page=2', 'HEAD'), true)).toBe(storeKey(request('/world?page=2'), true));
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('is undefined for %s', (method) => {
    expect(storeKey(request('/world', method), true)).toBeUndefined();
  });

  it('ignores query parameters other than page', () => {
    expect(storeKey(request('/world?utm_source=newsletter&fbclid=abc'), true)).toBe('/world');
    expect(storeKey(request('/world?'), true)).toBe('/world');
  });

  it('keeps a page number above 1 for paged pages, and drops the other parameters around it', () => {
    expect(storeKey(request('/world?page=2'), true)).toBe('/world?page=2');
    expect(storeKey(request('/world?utm_source=x&page=3&ref=y'), true)).toBe('/world?page=3');
    expect(storeKey(request('/tag/water?page=9999'), true)).toBe('/tag/water?page=9999');
    expect(storeKey(request('/world?page=%32'), true)).toBe('/world?page=2');
  });

  it('stores page 1 under the bare path', () => {
    expect(storeKey(request('/tag/water?page=1'), true)).toBe('/tag/water');
  });

  it('stores a page that reads no query under its path, whatever the query says', () => {
    expect(storeKey(request('/?page=7'), false)).toBe('/');
    expect(storeKey(request('/world/2024/01/01/x?page=abc'), false)).toBe('/world/2024/01/01/x');
  });

  it.each(['0', '-1', '01', 'abc', '', '2.5', '1e3', '10000', ' 2'])(
    'is undefined for the invalid page %j of a paged page',
    (n) => {
      expect(storeKey(request(`/world?page=${encodeURIComponent(n)}`), true)).toBeUndefined();
    },
  );

  it('stores nothing for a request carrying a query key the page answers itself', () => {
    expect(storeKey(request('/?p=123'), false, ['p'])).toBeUndefined();
    expect(storeKey(request('/?utm_source=x'), false, ['p'])).toBe('/');
    expect(storeKey(request('/world?page=2&p=1'), true, ['p'])).toBeUndefined();
  });

  it('is undefined for a request with a session cookie', () => {
    expect(storeKey(request('/world', 'GET', { cookie: `a=1; ${SESSION_COOKIE}=abc` }), true)).toBeUndefined();
  });
});

describe('findCached', () => {
  it('answers any query string from a page that reads none, and only the right page number from a paged one', () => {
    const cache = new PageCache(1024 * 1024);
    cache.set('/', page('home'), ['latest'], cache.generation, false);
    cache.set('/world', page('world 1'), ['section:1'], cache.generation, true);
    cache.set('/world?page=2', page('world 2'), ['section:1'], cache.generation, true);
    const body = (url: string) => findCached(request(url), cache)?.body.toString();
    expect(body('/?page=7')).toBe('home');
    expect(body('/?utm_source=x')).toBe('home');
    expect(body('/world?page=1')).toBe('world 1');
    expect(body('/world?ref=x')).toBe('world 1');
    expect(body('/world?page=2&ref=x')).toBe('world 2');
    expect(body('/world?page=3')).toBeUndefined();
    expect(body('/world?page=abc')).toBeUndefined();
  });

  it('hands a request carrying a key the page answers itself to its route', () => {
    const cache = new PageCache(1024 * 1024);
    cache.set('/', page('home'), ['latest'], cache.generation, false, ['p', 'page_id']);
    const body = (url: string) => findCached(request(url), cache)?.body.toString();
    expect(body('/?p=123')).toBeUndefined();
    expect(body('/?utm_source=x&page_id=7')).toBeUndefined();
    expect(body('/?utm_source=x')).toBe('home');
    expect(body('/')).toBe('home');
  });

  it('never answers a request with a session cookie', () => {
    const cache = new PageCache(1024 * 1024);
    cache.set('/', page('home'), ['latest']);
    expect(findCached(request('/', 'GET', { cookie: `${SESSION_COOKIE}=s1` }), cache)).toBeUndefined();
    expect(findCached(request('/', 'GET', { cookie: 'other=1' }), cache)?.body.toString()).toBe('home');
  });
});

describe('hasSession', () => {
  it('finds the session cookie by name among others, and nothing else', () => {
    expect(hasSession(`theme=dark; ${SESSION_COOKIE}=x`)).toBe(true);
    expect(hasSession(`${SESSION_COOKIE}_old=x; theme=dark`)).toBe(false);
    expect(hasSession(undefined)).toBe(false);
  });
});

describe('serveFromCache after an invalidation', () => {
  /** A response that records what was written, and can end as Node's does ('finish'). */
  function response() {
    const res = Object.assign(new EventEmitter(), {
      status: 0,
      body: '',
      writeHead(status: number) {
        res.status = status;
        return res;
      },
      end(chunk?: Buffer) {
        res.body = chunk ? chunk.toString() : '';
        return res;
      },
    });
    return res;
  }
  const serve = (cache: PageCache, url: string) => {
    const req = request(url) as unknown as IncomingMessage;
    const res = response();
    const served = serveFromCache(req, res as unknown as ServerResponse, cache, {}, (e) => e);
    return { req, res, served };
  };

  it('lets one request render the page again and answers the others meanwhile with the previous copy', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/world', page('the old front'), ['latest'], cache.generation, true);
    cache.invalidate(['latest']);

    const first = serve(cache, '/world');
    expect(first.served).toBe(false);
    // The server's factory and then Fastify's hook both ask for the same request: it still renders.
    expect(serveFromCache(first.req, first.res as unknown as ServerResponse, cache, {}, (e) => e)).toBe(false);
    const second = serve(cache, '/world?utm_source=x');
    expect(second.served).toBe(true);
    expect(second.res.body).toBe('the old front');
    // Another page number is another page: nothing stale to give.
    expect(serve(cache, '/world?page=2').served).toBe(false);

    // The render ended without storing a page: later requests render, none gets the old copy.
    first.res.emit('finish');
    expect(serve(cache, '/world').served).toBe(false);
    expect(serve(cache, '/world').served).toBe(false);
  });

  it('answers from the fresh page once the rendering request stored it', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/', page('before'), ['latest']);
    cache.invalidate(['latest']);
    const first = serve(cache, '/');
    expect(first.served).toBe(false);
    cache.set('/', page('after'), ['latest']);
    first.res.emit('finish');
    const next = serve(cache, '/');
    expect(next.served).toBe(true);
    expect(next.res.body).toBe('after');
  });

  it('never gives a stale copy to a request with a session', () => {
    const cache = new PageCache(1_000_000);
    cache.set('/', page('before'), ['latest']);
    cache.invalidate(['latest']);
    expect(serve(cache, '/').served).toBe(false);
    const req = request('/', 'GET', { cookie: `${SESSION_COOKIE}=abc` }) as unknown as IncomingMessage;
    expect(serveFromCache(req, response() as unknown as ServerResponse, cache, {}, (e) => e)).toBe(false);
  });
});
