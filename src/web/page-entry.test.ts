import { describe, expect, it } from 'vitest';
import { isCurrent, PageEntry } from './page-entry.js';

describe('isCurrent (conditional GET)', () => {
  const modified = 'Tue, 05 Mar 2024 18:30:00 GMT';
  const entry = new PageEntry(200, 'application/rss+xml; charset=utf-8', 'public', Buffer.from('<rss/>'), modified);

  it('is current when If-Modified-Since is at or after Last-Modified, not before', () => {
    expect(isCurrent({ 'if-modified-since': modified }, entry)).toBe(true);
    expect(isCurrent({ 'if-modified-since': 'Tue, 05 Mar 2024 18:30:01 GMT' }, entry)).toBe(true);
    expect(isCurrent({ 'if-modified-since': 'Tue, 05 Mar 2024 18:29:59 GMT' }, entry)).toBe(false);
  });

  it('lets If-None-Match decide when both are sent (RFC 9110), and ignores a date that is not one', () => {
    expect(isCurrent({ 'if-none-match': '"other"', 'if-modified-since': modified }, entry)).toBe(false);
    expect(
      isCurrent({ 'if-none-match': entry.etag, 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, entry),
    ).toBe(true);
    expect(isCurrent({ 'if-modified-since': 'yesterday-ish' }, entry)).toBe(false);
  });

  it('never answers from a date for an entry without Last-Modified (a page)', () => {
    const page = new PageEntry(200, 'text/html; charset=utf-8', 'public', Buffer.from('<p>x</p>'));
    expect(isCurrent({ 'if-modified-since': modified }, page)).toBe(false);
    expect(page.headers('identity', {})['last-modified']).toBeUndefined();
    expect(entry.headers('identity', {})['last-modified']).toBe(modified);
  });
});
