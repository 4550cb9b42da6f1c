/**
 * Whether a local image's file exists, remembered: the reader site must
 * never show a broken image, and must not read the disk per image per page.
 *
 * Why a memo of `stat` rather than a flag stored with the article: the
 * question is about the disk now, not at save time — a file restored from a
 * backup, or copied in after an import, comes back without re-saving
 * anything, and a flag could not be kept by `dateline import` or `copy`
 * without teaching `articles/` about files. Why it is cheap: rendering
 * happens only when a page is not in the page cache; an answer is then kept
 * for every page that shows the image (cards repeat across lists), a
 * present file for 10 minutes (uploaded images are content-addressed and
 * never change), a missing one for a minute (so a restored file shows up
 * soon on pages rendered after it). A miss costs one `stat`, a few
 * microseconds on a local disk. The memo is bounded (oldest answers
 * dropped first), so a site with a million images holds a few MB at most.
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export interface PresenceOptions {
  mediaDir: string;
  /** How long a file found stays known (default 10 minutes). */
  presentMs?: number;
  /** How long a file not found stays known (default 1 minute). */
  missingMs?: number;
  /** Answers kept at most (default 20,000). */
  maxEntries?: number;
  now?: () => number;
}

export interface MediaPresence {
  /**
   * False only for a local `/media/…` image whose file is not there (or
   * that `/media/` would not serve: a dotfile, a path out of the folder).
   * Synchronous, from memory, or one `stat` on a miss: for rendering.
   */
  isAvailable(src: string): boolean;
  /** The same question asked of the disk now (the answer is remembered): for checks at save or import. */
  check(src: string): Promise<boolean>;
}

const MEDIA_PREFIX = '/media/';

/**
 * The file a `/media/…` URL is served from, or `'unservable'` for one that
 * `/media/` answers 404 whatever the disk holds; undefined for an image
 * that is not local (`https://…`, another path).
 *
 * @example
 *   localMediaPath('/srv/media', '/media/images/ab/w640.jpg'); // '/srv/media/images/ab/w640.jpg'
 *   localMediaPath('/srv/media', 'https://example.org/a.jpg'); // undefined
 */
export function localMediaPath(mediaDir: string, src: string): string | 'unservable' | undefined {
  if (!src.startsWith(MEDIA_PREFIX)) return undefined;
  let rest: string;
  try {
    rest = decodeURIComponent(src.slice(MEDIA_PREFIX.length).replace(/[?#].*$/s, ''));
  } catch {
    return 'unservable';
  }
  const segments = rest.split('/');
  if (rest === '' || rest.includes('\0') || segments.some((s) => s.startsWith('.'))) return 'unservable';
  const root = resolve(mediaDir);
  const path = resolve(root, rest);
  return path.startsWith(root + sep) ? path : 'unservable';
}

function isFileSync(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // not a folder on the way (ENOTDIR), not readable: not servable either
  }
}

/**
 * A bounded, time-limited memo of which local media files exist.
 *
 * @example
 *   const presence = createMediaPresence({ mediaDir: '/srv/media' });
 *   presence.isAvailable('/media/gone.jpg'); // false
 *   presence.isAvailable('https://example.org/a.jpg'); // true: not ours to check
 */
export function createMediaPresence(options: PresenceOptions): MediaPresence {
  const presentMs = options.presentMs ?? 10 * 60_000;
  const missingMs = options.missingMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 20_000;
  const now = options.now ?? Date.now;
  /** Path → whether it exists and until when that is believed; Map order is age order. */
  const known = new Map<string, { exists: boolean; until: number }>();

  const remember = (path: string, exists: boolean): boolean => {
    known.delete(path);
    known.set(path, { exists, until: now() + (exists ? presentMs : missingMs) });
    if (known.size > maxEntries) known.delete(known.keys().next().value as string);
    return exists;
  };

  return {
    isAvailable(src) {
      const path = localMediaPath(options.mediaDir, src);
      if (path === undefined) return true;
      if (path === 'unservable') return false;
      const entry = known.get(path);
      if (entry && entry.until > now()) return entry.exists;
      return remember(path, isFileSync(path));
    },
    async check(src) {
      const path = localMediaPath(options.mediaDir, src);
      if (path === undefined) return true;
      if (path === 'unservable') return false;
      const info = await stat(path).catch(() => undefined);
      return remember(path, info?.isFile() ?? false);
    },
  };
}
