import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { cacheKey } from './page-response.js';

function request(url: string, method = 'GET'): FastifyRequest {
  return { method, url } as FastifyRequest;
}

describe('cacheKey', () => {
  it('is the path for a GET without a query', () => {
    expect(cacheKey(request('/world'))).toBe('/world');
    expect(cacheKey(request('/'))).toBe('/');
  });

  it('gives HEAD the same key as GET', () => {
    expect(cacheKey(request('/world?page=2', 'HEAD'))).toBe(cacheKey(request('/world?page=2')));
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('is undefined for %s', (method) => {
    expect(cacheKey(request('/world', method))).toBeUndefined();
  });

  it('ignores query parameters other than page', () => {
    expect(cacheKey(request('/world?utm_source=newsletter&fbclid=abc'))).toBe('/world');
    expect(cacheKey(request('/world?'))).toBe('/world');
  });

  it('keeps a valid page number and drops the other parameters around it', () => {
    expect(cacheKey(request('/world?page=2'))).toBe('/world?page=2');
    expect(cacheKey(request('/world?utm_source=x&page=3&ref=y'))).toBe('/world?page=3');
  });

  it('keeps page numbers from 1 to 9999', () => {
    expect(cacheKey(request('/tag/water?page=1'))).toBe('/tag/water?page=1');
    expect(cacheKey(request('/tag/water?page=9999'))).toBe('/tag/water?page=9999');
  });

  it('decodes a percent-encoded page number', () => {
    expect(cacheKey(request('/world?page=%32'))).toBe('/world?page=2');
  });

  it.each(['0', '-1', '01', 'abc', '', '2.5', '1e3', '10000', ' 2'])(
    'is undefined for the invalid page %j, so the request is not served from the cache',
    (page) => {
      expect(cacheKey(request(`/world?page=${encodeURIComponent(page)}`))).toBeUndefined();
    },
  );
});
