/**
 * Search answers kept for a short while, so a popular query asked by many
 * readers at once costs one search, not one each.
 *
 * - **Keyed by meaning**, not by text: the parsed terms (sorted: the order of
 *   words changes nothing), the filters, the page and its size. "Dam  Talks"
 *   and "talks dam" share an entry; the answer goes back with the query as
 *   this reader typed it.
 * - **Bounded** in entries and bytes, and each entry lives `ttlMs` at most.
 * - **Not floodable**: a new answer enters a small probation segment (a fifth
 *   of the room) and moves to the protected part only when asked again. A
 *   stream of one-off queries (junk, a crawler walking pages) only ever
 *   evicts other one-off answers; the answers readers repeat stay.
 * - **Never stale after a change**: any invalidation (a publish, an update,
 *   an unpublish, on this instance or another through `src/instances/`)
 *   drops everything, and a search that began before it is not stored after
 *   it (its answer still goes to the readers who asked).
 * - **Single flight**: identical queries asked while one is running wait for
 *   that one.
 *
 * @example
 *   const search = cachedSearch(createSearchService({ database }), { invalidator });
 *   await search.search({ q: 'dam talks' }); // searched
 *   await search.search({ q: 'Talks  dam' }); // from memory, `q` as typed
 */
import type { Invalidator } from '../instances/invalidation.js';
import { parseQuery } from './query.js';
import { type SearchResult, searchQuerySchema } from './search.schemas.js';
import type { SearchService } from './search.service.js';

export interface SearchCacheOptions {
  /** Answers kept at most (default 1,000). */
  maxEntries?: number;
  /** Bytes of answers (as JSON) kept at most (default 8 MB). */
  maxBytes?: number;
  /** How long an answer is kept (default 60 s): a bound on anything invalidation could miss. */
  ttlMs?: number;
  now?: () => number;
}

export interface CachedSearch extends SearchService {
  /** Drops every answer (what an invalidation does). */
  clear(): void;
  /** What is held, for tests and health pages. */
  stats(): { entries: number; bytes: number; probation: number; hits: number; misses: number; shared: number };
}

interface Entry {
  result: SearchResult;
  bytes: number;
  expires: number;
}

/** The share of the entries (and bytes) an answer asked once may hold. */
const PROBATION_SHARE = 0.2;

export function cachedSearch(
  inner: SearchService,
  deps: { invalidator?: Pick<Invalidator, 'subscribe'> } & SearchCacheOptions = {},
): CachedSearch {
  const maxEntries = deps.maxEntries ?? 1000;
  const maxBytes = deps.maxBytes ?? 8 * 1024 * 1024;
  const ttlMs = deps.ttlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  // Maps keep insertion order: the first key is the least recently used.
  const probation = new Map<string, Entry>();
  const protectedPart = new Map<string, Entry>();
  const running = new Map<string, Promise<SearchResult>>();
  let bytes = 0;
  let generation = 0;
  const counts = { hits: 0, misses: 0, shared: 0 };

  const drop = (segment: Map<string, Entry>, key: string) => {
    const entry = segment.get(key);
    if (!entry) return;
    segment.delete(key);
    bytes -= entry.bytes;
  };
  const evictFrom = (segment: Map<string, Entry>) => {
    const oldest = segment.keys().next().value;
    if (oldest !== undefined) drop(segment, oldest);
  };

  const lookup = (key: string): SearchResult | undefined => {
    const held = protectedPart.get(key) ?? probation.get(key);
    if (!held) return undefined;
    if (held.expires <= now()) {
      drop(protectedPart, key);
      drop(probation, key);
      return undefined;
    }
    // Asked again: protected, most recently used.
    drop(probation, key);
    drop(protectedPart, key);
    protectedPart.set(key, held);
    bytes += held.bytes;
    while (protectedPart.size > maxEntries * (1 - PROBATION_SHARE) || bytes > maxBytes) {
      // The protected part's oldest goes back to probation's newest end, as in a segmented LRU.
      const oldest = protectedPart.keys().next().value as string;
      if (oldest === key) break;
      const demoted = protectedPart.get(oldest) as Entry;
      protectedPart.delete(oldest);
      probation.set(oldest, demoted);
      trimProbation();
    }
    return held.result;
  };

  const trimProbation = () => {
    while (probation.size > 0 && (probation.size > maxEntries * PROBATION_SHARE || bytes > maxBytes))
      evictFrom(probation);
  };

  const store = (key: string, result: SearchResult) => {
    const size = Buffer.byteLength(JSON.stringify(result)) + key.length + 64;
    if (size > maxBytes * PROBATION_SHARE) return;
    drop(probation, key);
    drop(protectedPart, key);
    probation.set(key, { result, bytes: size, expires: now() + ttlMs });
    bytes += size;
    trimProbation();
    // Still over (the protected part holds the bytes): its oldest go.
    while (bytes > maxBytes && protectedPart.size > 0) evictFrom(protectedPart);
  };

  const clear = () => {
    generation++;
    probation.clear();
    protectedPart.clear();
    running.clear();
    bytes = 0;
  };
  deps.invalidator?.subscribe(clear);

  return {
    async search(input) {
      const query = searchQuerySchema.parse(input);
      const q = query.q.trim();
      const key = cacheKey(query);
      const held = lookup(key);
      if (held) {
        counts.hits++;
        return { ...held, q };
      }
      const inFlight = running.get(key);
      if (inFlight) {
        counts.shared++;
        return { ...(await inFlight), q };
      }
      counts.misses++;
      const started = generation;
      const flight = inner.search(query);
      running.set(key, flight);
      try {
        const result = await flight;
        if (generation === started) store(key, result);
        return { ...result, q };
      } finally {
        if (running.get(key) === flight) running.delete(key);
      }
    },
    clear,
    stats: () => ({
      entries: probation.size + protectedPart.size,
      bytes,
      probation: probation.size,
      ...counts,
    }),
  };
}

/**
 * What makes two searches the same: the parsed terms in a fixed order, the filters, the page and its size.
 *
 * @example
 *   cacheKey(searchQuerySchema.parse({ q: 'Dam  talks' })) === cacheKey(searchQuerySchema.parse({ q: 'talks dam' })); // true
 */
export function cacheKey(query: ReturnType<typeof searchQuerySchema.parse>): string {
  const terms = parseQuery(query.q.trim())
    .terms.map((t) => `${t.negated ? '-' : ''}${t.kind}:${t.words.join(' ')}:${t.raw.toLowerCase()}`)
    .sort();
  const { section, tag, author, from, to, page, perPage } = query;
  return JSON.stringify([terms, section, tag, author, from, to, page, perPage]);
}
