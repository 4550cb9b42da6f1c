/**
 * What a weather provider is, how its failures are named, and how providers
 * combine: each behind its own circuit breaker, several in failover order.
 *
 * @example
 *   const provider = failover([
 *     withBreaker(openMeteo, new CircuitBreaker()),
 *     withBreaker(metNorway, new CircuitBreaker()),
 *   ]);
 *   const { reading } = await provider.current({ latitude: 40.71, longitude: -74.01 });
 */
import { type GetOptions, type HttpClient, HttpError, type HttpResponse } from '../net/http-client.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Coordinates, Place, Reading } from './weather.js';

export type ProviderErrorCode =
  /** Connection refused, reset, DNS, 5xx. */
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_TIMEOUT'
  /** 429 (with Retry-After, when given). */
  | 'PROVIDER_RATE_LIMITED'
  /** Other 4xx: our request or our identity was refused. */
  | 'PROVIDER_REFUSED'
  /** Not JSON, not the documented shape, or values out of range. */
  | 'PROVIDER_BAD_RESPONSE'
  /** The circuit breaker is open: not asked at all. */
  | 'CIRCUIT_OPEN'
  /** This site's own cap on upstream calls per minute was reached: not asked at all. */
  | 'BUDGET_EXHAUSTED';

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    readonly provider: string,
    message: string,
    /** How long the provider asked us to wait (429 Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** One answer from a provider, with what it said about asking again. */
export interface Fetched {
  reading: Reading;
  /** Do not ask again before this (MET Norway's `Expires`). */
  notBefore?: Date;
  /** For a conditional GET next time (MET Norway's `Last-Modified`, sent back verbatim). */
  lastModified?: string;
  /** Later hours of the same forecast, so that a 304 can still move on to the current hour. */
  upcoming?: Reading[];
}

export interface WeatherProvider {
  readonly name: string;
  /**
   * The weather at these coordinates now. `previous` is the last answer for
   * the same place (from any provider), for conditional requests. Throws
   * `ProviderError`.
   */
  current(at: Coordinates, previous?: Fetched): Promise<Fetched>;
}

export interface Geocoder {
  readonly name: string;
  /** Places matching a typed name, best first; empty when nothing matches. Throws `ProviderError`. */
  search(query: string, options: { count: number; language: string }): Promise<Place[]>;
}

/** What every provider and geocoder is built with. */
export interface ProviderDeps {
  /** The application's shared HTTP client. */
  http: HttpClient;
  baseUrl: string;
  now?: () => number;
  /** The widget's own budget per call (WEATHER_TIMEOUT_MS), whatever the shared client's default is. */
  timeoutMs?: number;
}

/**
 * Options of every provider call: JSON, within the widget's budget when given.
 *
 * @example
 *   await deps.http.get(url, { ...jsonRequest(deps.timeoutMs), ifModifiedSince });
 */
export function jsonRequest(timeoutMs: number | undefined): GetOptions {
  return { headers: { accept: 'application/json' }, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), or undefined. */
export function retryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Turns a non-success response into the matching ProviderError. */
export function statusError(provider: string, res: HttpResponse, now: number): ProviderError {
  if (res.status === 429) {
    return new ProviderError(
      'PROVIDER_RATE_LIMITED',
      provider,
      'rate limited (429)',
      retryAfter(res.headers['retry-after'], now),
    );
  }
  if (res.status >= 500) return new ProviderError('PROVIDER_UNAVAILABLE', provider, `answered ${res.status}`);
  return new ProviderError('PROVIDER_REFUSED', provider, `answered ${res.status}`);
}

/** Turns a transport failure into a ProviderError (anything else is passed through). */
export function transportError(provider: string, err: unknown): unknown {
  if (!(err instanceof HttpError)) return err;
  return new ProviderError(
    err.code === 'HTTP_TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE',
    provider,
    `${err.code}: ${err.message}`,
  );
}

/** Parses JSON, or fails as a bad response. */
export function parseJson(provider: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ProviderError('PROVIDER_BAD_RESPONSE', provider, 'body is not JSON');
  }
}

/**
 * Puts a breaker in front of a provider: while it is open, calls fail at once
 * with CIRCUIT_OPEN; otherwise each outcome is reported to it.
 */
export function withBreaker<T extends WeatherProvider | Geocoder>(inner: T, breaker: CircuitBreaker): T {
  const guard = async <R>(call: () => Promise<R>): Promise<R> => {
    if (!breaker.allows()) {
      throw new ProviderError('CIRCUIT_OPEN', inner.name, `not asked while the circuit is open`);
    }
    try {
      const result = await call();
      breaker.succeeded();
      return result;
    } catch (err) {
      // A refusal of our own request, or our own budget, is not the provider being down.
      if (!(err instanceof ProviderError) || (err.code !== 'PROVIDER_REFUSED' && err.code !== 'BUDGET_EXHAUSTED')) {
        breaker.failed(err instanceof ProviderError ? err.retryAfterMs : undefined);
      }
      throw err;
    }
  };
  if ('current' in inner) {
    return { name: inner.name, current: (at, previous) => guard(() => inner.current(at, previous)) } as T;
  }
  return { name: inner.name, search: (query, options) => guard(() => inner.search(query, options)) } as T;
}

/**
 * Asks providers in order until one answers. The last answer's provider gets
 * `previous` only when it was the one that gave it (conditional requests are
 * per provider).
 */
export function failover(providers: WeatherProvider[]): WeatherProvider {
  if (providers.length === 1) return providers[0] as WeatherProvider;
  return {
    name: providers.map((p) => p.name).join(','),
    async current(at, previous) {
      let last: unknown;
      for (const provider of providers) {
        try {
          return await provider.current(at, previous?.reading.provider === provider.name ? previous : undefined);
        } catch (err) {
          last = err;
        }
      }
      throw last;
    },
  };
}

/**
 * Caps the upstream calls a provider or geocoder makes per minute, so that
 * readers asking for many distinct places cannot spend the site's quota (or
 * get it rate-limited). Calls for `exempt` coordinates (the default city)
 * always go through.
 */
export function withBudget<T extends WeatherProvider | Geocoder>(
  inner: T,
  options: { perMinute: number; now?: () => number; exempt?: (at: Coordinates) => boolean },
): T {
  const now = options.now ?? Date.now;
  let windowStart = 0;
  let used = 0;
  const spend = () => {
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      used = 0;
    }
    if (used >= options.perMinute) {
      throw new ProviderError('BUDGET_EXHAUSTED', inner.name, `over ${options.perMinute} calls this minute`);
    }
    used++;
  };
  if ('current' in inner) {
    return {
      name: inner.name,
      current: async (at, previous) => {
        if (!options.exempt?.(at)) spend();
        return inner.current(at, previous);
      },
    } as T;
  }
  return {
    name: inner.name,
    search: async (query, opts) => {
      spend();
      return inner.search(query, opts);
    },
  } as T;
}
