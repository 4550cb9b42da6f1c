import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMediaPresence, localMediaPath } from './presence.js';

describe('localMediaPath', () => {
  it('maps /media/ URLs into the media folder, decoded, without query or fragment', () => {
    expect(localMediaPath('/srv/media', '/media/images/ab/w640.jpg')).toBe('/srv/media/images/ab/w640.jpg');
    expect(localMediaPath('/srv/media', '/media/caf%C3%A9.jpg?v=2#x')).toBe('/srv/media/café.jpg');
  });

  it('leaves images that are not local alone', () => {
    expect(localMediaPath('/srv/media', 'https://example.org/media/a.jpg')).toBeUndefined();
    expect(localMediaPath('/srv/media', '/assets/logo.png')).toBeUndefined();
  });

  it('calls unservable what /media/ would answer 404 for: dotfiles, a way out of the folder, bad escapes', () => {
    for (const src of [
      '/media/.secret',
      '/media/images/.incoming/x/w1.jpg',
      '/media/a/../../etc/passwd',
      '/media/%2e%2e/x',
      '/media/%E0%A4%A',
      '/media/',
    ])
      expect(localMediaPath('/srv/media', src), src).toBe('unservable');
  });
});

describe('the memo of which media files exist', () => {
  let mediaDir: string;
  let now: number;
  beforeEach(() => {
    mediaDir = mkdtempSync(join(tmpdir(), 'dateline-presence-'));
    mkdirSync(join(mediaDir, 'sub'));
    now = 1_000_000;
  });
  afterEach(() => rmSync(mediaDir, { recursive: true, force: true }));

  const memo = (maxEntries = 100) =>
    createMediaPresence({ mediaDir, presentMs: 10_000, missingMs: 1_000, maxEntries, now: () => now });

  it('answers true for an existing file and for images that are not local, false for a missing one', () => {
    writeFileSync(join(mediaDir, 'a.jpg'), 'x');
    const presence = memo();
    expect(presence.isAvailable('/media/a.jpg')).toBe(true);
    expect(presence.isAvailable('/media/b.jpg')).toBe(false);
    expect(presence.isAvailable('/media/sub')).toBe(false);
    expect(presence.isAvailable('/media/a.jpg/x.jpg')).toBe(false);
    expect(presence.isAvailable('https://example.org/gone.jpg')).toBe(true);
    expect(presence.isAvailable('/media/.hidden.jpg')).toBe(false);
  });

  it('remembers a found file for presentMs and a missing one for missingMs, then asks the disk again', () => {
    writeFileSync(join(mediaDir, 'a.jpg'), 'x');
    const presence = memo();
    expect(presence.isAvailable('/media/a.jpg')).toBe(true);
    expect(presence.isAvailable('/media/b.jpg')).toBe(false);
    rmSync(join(mediaDir, 'a.jpg'));
    writeFileSync(join(mediaDir, 'b.jpg'), 'x');
    now += 999;
    expect(presence.isAvailable('/media/a.jpg')).toBe(true);
    expect(presence.isAvailable('/media/b.jpg')).toBe(false);
    now += 2;
    expect(presence.isAvailable('/media/b.jpg')).toBe(true);
    expect(presence.isAvailable('/media/a.jpg')).toBe(true);
    now += 10_000;
    expect(presence.isAvailable('/media/a.jpg')).toBe(false);
  });

  it('asks the disk at once on check(), and remembers the answer', async () => {
    const presence = memo();
    expect(presence.isAvailable('/media/new.jpg')).toBe(false);
    writeFileSync(join(mediaDir, 'new.jpg'), 'x');
    expect(await presence.check('/media/new.jpg')).toBe(true);
    expect(presence.isAvailable('/media/new.jpg')).toBe(true);
    expect(await presence.check('https://example.org/x.jpg')).toBe(true);
    expect(await presence.check('/media/../x.jpg')).toBe(false);
  });

  it('keeps at most maxEntries answers, dropping the oldest first', () => {
    for (const name of ['1.jpg', '2.jpg', '3.jpg']) writeFileSync(join(mediaDir, name), 'x');
    const presence = memo(2);
    presence.isAvailable('/media/1.jpg');
    presence.isAvailable('/media/2.jpg');
    presence.isAvailable('/media/3.jpg');
    for (const name of ['1.jpg', '2.jpg', '3.jpg']) rmSync(join(mediaDir, name));
    // 1 was dropped: asked again, the disk says it is gone. 2 and 3 are still remembered.
    expect(presence.isAvailable('/media/1.jpg')).toBe(false);
    expect(presence.isAvailable('/media/3.jpg')).toBe(true);
  });
});
