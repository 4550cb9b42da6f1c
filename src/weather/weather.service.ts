/**
 * The weather service: which city a reader gets (their own choice, else the
 * location a CDN in front reports, else the site's default city), city
 * search through the geocoder (answers kept in the database), and current
 * weather through the cache. Pages only ever read the default city's weather
 * from memory (`defaultReport`); a timer keeps it fresh and tells listeners
 * when what the widget shows has changed, so cached pages can be dropped.
 *
 * Outbound calls go through the application's shared HTTP client (`http`),
 * which this service uses but does not own: `close()` leaves it open.
 *
 * @example
 *   const weather = createWeatherService({ config: config.weather, language: 'en', database, log, http });
 *   weather.onDefaultChange(() => pageCache.invalidate(['weather']));
 *   weather.start();
 *   const { place, source } = await weather.resolve({ placeId: 2988507 });
 *   const report = await weather.current(place);
 */
import type { WeatherConfig } from '../config.js';
import type { Database } from '../db/connect.js';
import type { HttpClient } from '../net/http-client.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { MET_NORWAY, metNorwayProvider } from './met-norway.provider.js';
import { OPEN_METEO, openMeteoGeocoder, openMeteoProvider } from './open-meteo.provider.js';
import { findPlace, findSearch, saveSearch } from './places.repository.js';
import { failover, type Geocoder, ProviderError, type WeatherProvider, withBreaker, withBudget } from './provider.js';
import { type Cached, WeatherCache } from './weather.cache.js';
import {
  type Coordinates,
  isValidCoordinates,
  locationKey,
  normaliseQuery,
  type Place,
  roundCoordinates,
  type Units,
} from './weather.js';

export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Where the reader's city came from. */
export type PlaceSource = 'choice' | 'location' | 'default' | 'query';

export interface Report {
  place: Place;
  reading: Cached['reading'];
  fetchedAt: number;
  stale: boolean;
}

/** What a request tells about the reader, already read from its cookie and headers. */
export interface ReaderHints {
  /** The place the reader chose (cookie). */
  placeId?: number;
  /** A CDN's or proxy's location headers. */
  location?: { city?: string; latitude?: number; longitude?: number };
}

export interface WeatherService {
  readonly units: Units;
  /** The default city's weather from memory, or nothing yet (a refresh has then started). Never waits. */
  defaultReport(): Report | undefined;
  /** The reader's place, in order: their choice, their location, the default city. */
  resolve(hints: ReaderHints): Promise<{ place: Place; source: PlaceSource } | undefined>;
  /** Places matching a typed name, best first (geocoder answers are kept in the database). */
  search(query: string): Promise<Place[]>;
  place(id: number): Promise<Place | undefined>;
  /** Current weather for a place: from the cache, waiting for the provider only when nothing is cached. */
  current(place: Place): Promise<Report | undefined>;
  /** Called when what the default city's widget shows changes (a new value, or the last one expired). */
  onDefaultChange(listener: () => void): void;
  /** Starts the timer that keeps the default city fresh. */
  start(): void;
  /** A new default city and units (an admin's settings): the widget shows them from the next refresh. */
  setDefaults(defaults: { city: string; units: Units }): void;
  close(): Promise<void>;
}

export interface WeatherServiceDeps {
  config: WeatherConfig;
  /** The site's language: the geocoder's answer language. */
  language: string;
  database: Database;
  log: Logger;
  /**
   * The application's HTTP client, shared with everything else that calls out: its user agent
   * and private hosts are the composition root's; each call here brings the widget's own budget.
   */
  http: HttpClient;
  now?: () => number;
  /** How often the timer looks at the default city. */
  tickMs?: number;
  /** Upstream calls allowed per minute, each for weather and for city search (the default city is exempt). */
  callsPerMinute?: number;
}

const SEARCH_RESULTS = 10;
const PLACE_RETRY_MS = 60_000;

export function createWeatherService(deps: WeatherServiceDeps): WeatherService {
  const { config, database, log, http } = deps;
  const now = deps.now ?? Date.now;
  const language = deps.language.split('-')[0]?.toLowerCase() || 'en';
  // The widget's budget, per call: the shared client's default is for everyone else.
  const timeoutMs = config.timeoutMs;
  const breaker = (name: string) =>
    new CircuitBreaker({
      now,
      onChange: (state, detail) =>
        state === 'open'
          ? log.warn({ provider: name, ...detail }, 'weather provider failing: circuit open')
          : log.info({ provider: name }, 'weather provider back: circuit closed'),
    });
  const providers: WeatherProvider[] = config.providers.map((name) =>
    name === OPEN_METEO
      ? withBreaker(openMeteoProvider({ http, baseUrl: config.openMeteoUrl, now, timeoutMs }), breaker(OPEN_METEO))
      : withBreaker(
          metNorwayProvider({
            http,
            baseUrl: config.metNorwayUrl,
            now,
            timeoutMs,
            warn: (message) => log.warn({ provider: MET_NORWAY }, message),
          }),
          breaker(MET_NORWAY),
        ),
  );
  const perMinute = deps.callsPerMinute ?? 120;
  let defaultPlace: Place | undefined;
  /** The default place's grid cell, computed once: every page render peeks at it. */
  let defaultCell: Coordinates | undefined;
  const isDefault = (at: Coordinates) => defaultPlace !== undefined && locationKey(at) === locationKey(defaultPlace);
  const provider = withBudget(failover(providers), { perMinute, now, exempt: isDefault });
  const geocoder: Geocoder = withBudget(
    withBreaker(
      openMeteoGeocoder({ http, baseUrl: config.openMeteoGeocodingUrl, now, timeoutMs }),
      breaker('geocoder'),
    ),
    { perMinute, now },
  );

  const listeners: (() => void)[] = [];
  let shownKey = '';
  const checkDefault = () => {
    const report = peekDefault();
    const key = report
      ? [report.reading.temperatureC, report.reading.condition.text, report.reading.isDay, report.place.name].join('|')
      : '';
    if (key === shownKey) return;
    shownKey = key;
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        log.warn({ err }, 'weather change listener failed');
      }
    }
  };

  const cache = new WeatherCache({
    provider,
    now,
    log,
    onRefreshed: (key) => {
      if (defaultPlace && key === locationKey(defaultPlace)) checkDefault();
    },
  });

  // Provider coordinates: two decimals (about a kilometre), the cache's grid.
  const cell = (p: Coordinates): Coordinates => roundCoordinates(p, 2);

  // One geocoder call per new name, however many readers ask for it at once.
  const searching = new Map<string, Promise<Place[]>>();
  async function search(query: string): Promise<Place[]> {
    const key = normaliseQuery(query).slice(0, 100);
    if (key.length < 2) return [];
    const known = await findSearch(database.reader, key, language);
    if (known) return known;
    let pending = searching.get(key);
    if (!pending) {
      pending = geocoder
        .search(key, { count: SEARCH_RESULTS, language })
        .then(async (found) => {
          await saveSearch(database.db, key, language, found, new Date(now()));
          return found;
        })
        .finally(() => searching.delete(key));
      searching.set(key, pending);
    }
    return pending;
  }

  let placeAttemptAt = 0;
  let resolvingDefault: Promise<void> | undefined;
  let defaultCity = config.defaultCity;
  let units = config.units;
  const resolveDefault = (): Promise<void> => {
    if (defaultPlace) return Promise.resolve();
    if (resolvingDefault) return resolvingDefault;
    if (now() < placeAttemptAt) return Promise.resolve();
    placeAttemptAt = now() + PLACE_RETRY_MS;
    const city = defaultCity;
    resolvingDefault = search(city)
      .then((places) => {
        if (city !== defaultCity) return; // changed meanwhile: the next look-up is for the new city
        defaultPlace = places[0];
        defaultCell = defaultPlace && cell(defaultPlace);
        if (!defaultPlace) log.warn({ city }, 'the geocoder does not know the default city');
        else cache.peek(defaultCell as Coordinates);
      })
      .catch((err: unknown) => {
        log.warn({ err: errorText(err), city }, 'could not look up the default city');
      })
      .finally(() => {
        resolvingDefault = undefined;
      });
    return resolvingDefault;
  };

  function peekDefault(): Report | undefined {
    if (!defaultPlace) {
      void resolveDefault();
      return undefined;
    }
    const cached = cache.peek(defaultCell ?? cell(defaultPlace));
    return cached && { place: defaultPlace, ...cached };
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      await resolveDefault();
      if (defaultCell) await cache.refresh(defaultCell);
      checkDefault();
    } finally {
      ticking = false;
    }
  };

  return {
    get units() {
      return units;
    },
    defaultReport: peekDefault,

    async resolve(hints) {
      if (hints.placeId !== undefined) {
        const chosen = await findPlace(database.reader, hints.placeId);
        if (chosen) return { place: chosen, source: 'choice' };
      }
      const located = await fromLocation(hints.location, search, log);
      if (located) return { place: located, source: 'location' };
      await resolveDefault();
      return defaultPlace && { place: defaultPlace, source: 'default' };
    },

    search,

    place: (id) => findPlace(database.reader, id),

    async current(place) {
      const cached = await cache.get(cell(place));
      return cached && { place, ...cached };
    },

    onDefaultChange(listener) {
      listeners.push(listener);
    },

    setDefaults(next) {
      if (next.units !== units) {
        units = next.units;
        for (const listener of listeners) listener();
      }
      if (next.city === defaultCity) return;
      defaultCity = next.city;
      defaultPlace = undefined;
      defaultCell = undefined;
      placeAttemptAt = 0;
      void tick();
    },

    start() {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), deps.tickMs ?? 30_000);
      timer.unref();
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      // The HTTP client is the application's, shared: closed by whoever created it.
    },
  };
}

/** A place from a CDN's location headers: coordinates if given, else the city looked up by name. */
async function fromLocation(
  location: ReaderHints['location'],
  search: (query: string) => Promise<Place[]>,
  log: Logger,
): Promise<Place | undefined> {
  if (!location) return undefined;
  const { city, latitude, longitude } = location;
  if (latitude !== undefined && longitude !== undefined) {
    const at = { latitude, longitude };
    if (isValidCoordinates(at)) return { name: city || 'your area', ...at };
  }
  if (!city) return undefined;
  try {
    return (await search(city))[0];
  } catch (err) {
    log.debug({ err: errorText(err), city }, 'could not look up the location header city');
    return undefined;
  }
}

function errorText(err: unknown): string {
  return err instanceof ProviderError ? `${err.code} ${err.message}` : err instanceof Error ? err.message : String(err);
}
