/**
 * Current weather per location, in memory. A value is fresh for 10 minutes
 * (longer if the provider's `Expires` asks); past that it is still served,
 * as it stands, while one background refresh runs (stale-while-revalidate);
 * when refreshing fails the last good value is kept for up to 3 hours. Each
 * location has at most one upstream call in flight (single-flight): a
 * thousand concurrent readers of one city make one call. After a failure a
 * location is not retried for a minute (the providers' circuit breakers
 * handle a provider that is down for every location).
 *
 * `peek` never waits: pages render from it. `get` waits only when there is
 * nothing to serve (the JSON endpoint).
 *
 * @example
 *   const cache = new WeatherCache({ provider });
 *   cache.peek(newYork); // undefined the first time; a refresh has started
 *   await cache.get(newYork); // { reading, fetchedAt, stale: false }
 */
import type { Fetched, WeatherProvider } from './provider.js';
import { type Coordinates, locationKey, type Reading } from './weather.js';

export interface Cached {
  reading: Reading;
  /** When the provider last confirmed this value. */
  fetchedAt: number;
  /** Past its freshness: a refresh is due or running. */
  stale: boolean;
}

export interface WeatherCacheOptions {
  provider: WeatherProvider;
  freshMs?: number;
  /** How long the last good value is served when refreshing fails. */
  maxStaleMs?: number;
  /** How long a location waits after a failed refresh. */
  retryMs?: number;
  /** Locations kept (least recently used go first). */
  maxEntries?: number;
  now?: () => number;
  log?: { debug(obj: object, msg: string): void };
  /** Told after every refresh that stored a value. */
  onRefreshed?: (key: string) => void;
}

interface Entry {
  at: Coordinates;
  fetched?: Fetched;
  fetchedAt: number;
  /** No refresh before this (freshness, the provider's Expires, or the retry wait after a failure). */
  refreshAt: number;
  inflight?: Promise<void>;
}

/** The longest an `Expires` may postpone a refresh: a provider's header is advice, not a lease. */
const MAX_NOT_BEFORE_MS = 2 * 60 * 60_000;

export class WeatherCache {
  private readonly entries = new Map<string, Entry>();
  private readonly provider: WeatherProvider;
  private readonly freshMs: number;
  private readonly maxStaleMs: number;
  private readonly retryMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly log: WeatherCacheOptions['log'];
  private readonly onRefreshed: WeatherCacheOptions['onRefreshed'];
  /** Upstream calls started, for tests and benchmarks. */
  calls = 0;

  constructor(options: WeatherCacheOptions) {
    this.provider = options.provider;
    this.freshMs = options.freshMs ?? 10 * 60_000;
    this.maxStaleMs = options.maxStaleMs ?? 3 * 60 * 60_000;
    this.retryMs = options.retryMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
    this.log = options.log;
    this.onRefreshed = options.onRefreshed;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value to serve now, if any; starts a background refresh when one is due. Never waits. */
  peek(at: Coordinates): Cached | undefined {
    const entry = this.entry(at);
    this.refreshIfDue(entry);
    return this.usable(entry);
  }

  /**
   * Like `peek`, but when there is nothing to serve and the location may be
   * asked, waits for the (shared) upstream call.
   */
  async get(at: Coordinates): Promise<Cached | undefined> {
    const entry = this.entry(at);
    this.refreshIfDue(entry);
    const usable = this.usable(entry);
    if (usable || !entry.inflight) return usable;
    await entry.inflight;
    return this.usable(entry);
  }

  /** Refreshes now if due and waits for it (the scheduled refresh of the default city). */
  async refresh(at: Coordinates): Promise<Cached | undefined> {
    const entry = this.entry(at);
    this.refreshIfDue(entry);
    if (entry.inflight) await entry.inflight;
    return this.usable(entry);
  }

  private entry(at: Coordinates): Entry {
    const key = locationKey(at);
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
    } else {
      entry = { at, fetchedAt: 0, refreshAt: 0 };
      while (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    }
    this.entries.set(key, entry);
    return entry;
  }

  private usable(entry: Entry): Cached | undefined {
    if (!entry.fetched) return undefined;
    const age = this.now() - entry.fetchedAt;
    if (age > this.maxStaleMs) return undefined;
    return { reading: entry.fetched.reading, fetchedAt: entry.fetchedAt, stale: age >= this.freshMs };
  }

  private refreshIfDue(entry: Entry): void {
    if (entry.inflight || this.now() < entry.refreshAt) return;
    this.calls++;
    entry.inflight = this.provider
      .current(entry.at, entry.fetched)
      .then(
        (fetched) => {
          const now = this.now();
          entry.fetched = fetched;
          entry.fetchedAt = now;
          const notBefore = fetched.notBefore ? Math.min(fetched.notBefore.getTime(), now + MAX_NOT_BEFORE_MS) : 0;
          entry.refreshAt = Math.max(now + this.freshMs, notBefore);
          try {
            this.onRefreshed?.(locationKey(entry.at));
          } catch (err) {
            this.log?.debug({ err: (err as Error).message }, 'weather refresh listener failed');
          }
        },
        (err: unknown) => {
          entry.refreshAt = this.now() + this.retryMs;
          this.log?.debug(
            { err: err instanceof Error ? err.message : String(err), location: locationKey(entry.at) },
            'weather refresh failed',
          );
        },
      )
      .finally(() => {
        entry.inflight = undefined;
      });
  }
}
