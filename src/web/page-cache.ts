/**
 * Rendered pages kept in memory, bounded by bytes (least recently used go
 * first) and invalidated exactly: each page carries tags naming what it shows
 * (`article:12`, `section:3`, `latest`), and a write invalidates its tags.
 *
 * @example
 *   const cache = new PageCache(64 * 1024 * 1024);
 *   cache.set('/world', entry, ['latest', 'section:1']);
 *   cache.invalidate(['section:1']); // '/world' is gone
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

export class PageCache {
  // `size` is what was charged on insert: an entry grows when compressed later, and refunding its
  // grown size would drive the count below what is held, so the budget would stop evicting.
  private readonly entries = new Map<string, Stored>();
  private readonly byTag = new Map<string, Set<string>>();
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
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Drops every page carrying any of these tags. */
  invalidate(tags: Iterable<string>): number {
    this.invalidations++;
    let dropped = 0;
    for (const tag of tags) {
      for (const key of this.byTag.get(tag) ?? []) {
        if (this.delete(key)) dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.invalidations++;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
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
