/**
 * Rendered pages kept in memory, bounded by bytes (least recently used go
 * first) and invalidated exactly: each page carries tags naming what it shows
 * (`article:12`, `section:3`, `latest`), and a write invalidates its tags.
 *
 * @example
 *   const cache = new PageCache(64 * 1024 * 1024);
 *   cache.set('/world', entry, ['latest', 'section:1']);
 *   cache.invalidate(['section:1']); // '/world' is gone
 *
 * An invalidated page is kept aside as stale until one request has rendered
 * it again (`staleOrRender`): the requests that arrive meanwhile get the
 * previous copy instead of rendering it too. Without that, every publish
 * made every reader of the home page (or of the article an editor keeps
 * saving) render it at once, each reading the database. The copy is never
 * older than one render, and at most STALE_MS.
 */
import type { PageEntry } from './page-entry.js';

/** A cached page and what the cache knows about it. */
export interface Stored {
  entry: PageEntry;
  tags: string[];
  size: number;
  /** The page reads `?page=`: other page numbers are other entries. Otherwise any query string gets this entry. */
  paged: boolean;
  /** Query keys the page's route must see itself: a request carrying one is not answered from this entry. */
  passes: readonly string[];
}

/** A stale copy is given out at most this long after its invalidation (its re-render should take milliseconds). */
export const STALE_MS = 10_000;

interface StaleCopy {
  stored: Stored;
  at: number;
  /** A request is rendering the page again. */
  rendering: boolean;
}

export class PageCache {
  // `size` is what was charged on insert: an entry grows when compressed later, and refunding its
  // grown size would drive the count below what is held, so the budget would stop evicting.
  private readonly entries = new Map<string, Stored>();
  private readonly byTag = new Map<string, Set<string>>();
  /** Invalidated pages not rendered again yet, oldest first; their bytes count in `bytes` until dropped. */
  private readonly stale = new Map<string, StaleCopy>();
  private bytes = 0;
  private invalidations = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Counts invalidations. A page rendered from data read before an
   * invalidation must not be stored after it: read this before rendering and
   * pass it to `set`.
   */
  get generation(): number {
    return this.invalidations;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(key: string): PageEntry | undefined {
    return this.lookup(key)?.entry;
  }

  /** The stored page and its metadata, marked most recently used. */
  lookup(key: string): Stored | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(
    key: string,
    entry: PageEntry,
    tags: string[],
    generation = this.invalidations,
    paged = false,
    passes: readonly string[] = [],
  ): void {
    if (generation !== this.invalidations) return;
    this.delete(key);
    this.dropStale(key);
    const size = entry.size;
    if (size > this.maxBytes / 4) return;
    this.entries.set(key, { entry, tags, size, paged, passes });
    this.bytes += size;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.byTag.set(tag, keys);
      }
      keys.add(key);
    }
    while (this.bytes > this.maxBytes) {
      // Stale copies go first: they are only a stopgap.
      const oldest = this.stale.keys().next().value ?? this.entries.keys().next().value;
      if (oldest === undefined) break;
      if (!this.dropStale(oldest)) this.delete(oldest);
    }
  }

  /** Drops every page carrying any of these tags (kept aside as stale until rendered again). */
  invalidate(tags: Iterable<string>, now = Date.now()): number {
    this.invalidations++;
    this.dropExpired(now);
    let dropped = 0;
    for (const tag of tags) {
      for (const key of this.byTag.get(tag) ?? []) {
        const hit = this.entries.get(key);
        if (!hit || !this.delete(key)) continue;
        dropped++;
        this.dropStale(key);
        this.stale.set(key, { stored: hit, at: now, rendering: false });
        this.bytes += hit.size;
      }
    }
    return dropped;
  }

  /**
   * For a request of an invalidated page: `'render'` when no request is rendering it again (this one should,
   * and then call `rendered`), else the previous copy to answer with; undefined when there is none (or it is
   * older than STALE_MS).
   */
  staleOrRender(key: string, now = Date.now()): Stored | 'render' | undefined {
    const copy = this.stale.get(key);
    if (!copy) return undefined;
    if (now - copy.at > STALE_MS) {
      this.dropStale(key);
      return undefined;
    }
    if (copy.rendering) return copy.stored;
    copy.rendering = true;
    return 'render';
  }

  /** The stale copy at this key, if any, without claiming anything (to read its `paged` and `passes`). */
  staleAt(key: string): Stored | undefined {
    return this.stale.get(key)?.stored;
  }

  /**
   * The request rendering this page again has ended. Its page was stored (`set` dropped the copy already) or
   * it was not (a 404 now, say): either way the previous copy is not given out any more.
   */
  rendered(key: string): void {
    this.dropStale(key);
  }

  clear(): void {
    this.invalidations++;
    this.entries.clear();
    this.byTag.clear();
    this.stale.clear();
    this.bytes = 0;
  }

  private dropStale(key: string): boolean {
    const copy = this.stale.get(key);
    if (!copy) return false;
    this.stale.delete(key);
    this.bytes -= copy.stored.size;
    return true;
  }

  private dropExpired(now: number): void {
    // Oldest first: stop at the first one still young.
    for (const [key, copy] of this.stale) {
      if (now - copy.at <= STALE_MS) break;
      this.dropStale(key);
    }
  }

  private delete(key: string): boolean {
    const hit = this.entries.get(key);
    if (!hit) return false;
    this.entries.delete(key);
    this.bytes -= hit.size;
    for (const tag of hit.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}
