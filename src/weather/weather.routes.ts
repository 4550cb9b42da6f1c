/**
 * Weather for readers:
 * - `GET /api/weather` — JSON for the header script: the reader's city
 *   (cookie, else CDN location headers, else the default city), or the one
 *   named by `?city=`, `?place=` or `?lat=&lon=`; `?units=` overrides.
 *   Weather trouble answers `weather: null` (never a 5xx); bad input is 400
 *   BAD_QUERY, an unknown city 404 PLACE_NOT_FOUND.
 * - `GET /weather/city` — the city page, without JavaScript: search (`?q=`),
 *   the geocoder's matches as a form, units, and a link back to the page the
 *   reader came from (`?back=`, else a same-origin Referer); `POST
 *   /weather/city` saves the choice in SameSite=Lax cookies (a cross-origin
 *   POST is refused, 403 CROSS_ORIGIN) and redirects (303) to the city page,
 *   which shows it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WeatherConfig } from '../config.js';
import { parseCookies, serializeCookie } from '../lib/cookies.js';
import { AppError } from '../lib/errors.js';
import type { PageSender } from '../web/page-response.js';
import type { LayoutVM } from '../web/view-model.js';
import { renderLayout } from '../web/views/layout.js';
import { type Coordinates, isValidCoordinates, type Place, UNITS, type Units } from './weather.js';
import { API_PATH, localPath, PAGE_PATH, refererPath, type WeatherPresenter } from './weather.presenter.js';
import type { PlaceSource, ReaderHints, WeatherService } from './weather.service.js';
import { renderWeatherMain, renderWeatherWidget } from './weather.view.js';

export const PLACE_COOKIE = 'weather_place';
export const UNITS_COOKIE = 'weather_units';
const COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export interface WeatherRoutesDeps {
  weather: WeatherService;
  weatherPresenter: WeatherPresenter;
  config: WeatherConfig;
  siteUrl: string;
  /** The reader face's chrome for a page of its own: site name, navigation, stylesheet. */
  layout(page: { title: string; path: string; noindex: boolean }): Promise<LayoutVM>;
  /** The reader face's page sender (the city page is never stored: it is the reader's own). */
  pages: PageSender;
}

/** Numbers arrive as text, and stay text until checked (see `decimalText`). */
type ApiQuery = { city?: string; place?: string; lat?: string; lon?: string; units?: Units };
type PageQuery = { q?: string; back?: string; saved?: string };
type FormBody = { action: 'choose' | 'units' | 'forget'; place?: string; units?: Units; back?: string };

const unitsSchema = { type: 'string', enum: [...UNITS] } as const;
/*
 * Numbers in queries and forms are matched as plain decimal text, not as
 * `type: 'number'`: Ajv coerces "Infinity", "-Infinity" and "1e999" to
 * ±Infinity and then skips `minimum`/`maximum` (they apply to finite numbers
 * only), so an infinite latitude used to pass and fail later as a 500. The
 * range is checked once converted (`coordinates`, `placeId`).
 */
const decimalText = { type: 'string', pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,15})?$' } as const;
const idText = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } as const;
/** The database's place ids are 32-bit integers. */
const MAX_PLACE_ID = 2_147_483_647;
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const apiSchema = {
  querystring: {
    type: 'object',
    properties: {
      city: { type: 'string', minLength: 2, maxLength: 100 },
      place: idText,
      lat: decimalText,
      lon: decimalText,
      units: unitsSchema,
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['place', 'source', 'weather'],
      properties: {
        place: nullable({
          type: 'object',
          properties: {
            id: nullable({ type: 'integer' }),
            name: { type: 'string' },
            admin1: nullable({ type: 'string' }),
            country: nullable({ type: 'string' }),
            latitude: { type: 'number' },
            longitude: { type: 'number' },
          },
        }),
        source: { type: 'string' },
        weather: nullable({
          type: 'object',
          properties: {
            temperature: { type: 'number' },
            text: { type: 'string' },
            unit: { type: 'string' },
            unitSymbol: { type: 'string' },
            condition: { type: 'string' },
            conditionText: { type: 'string' },
            icon: { type: 'string' },
            isDay: { type: 'boolean' },
            label: { type: 'string' },
            observedAt: { type: 'string' },
            fetchedAt: { type: 'string' },
            stale: { type: 'boolean' },
            provider: { type: 'string' },
          },
        }),
      },
    },
  },
} as const;

const pageSchema = {
  querystring: {
    type: 'object',
    properties: {
      q: { type: 'string', maxLength: 100 },
      back: { type: 'string', maxLength: 300 },
      saved: { type: 'string', enum: ['1'] },
    },
  },
} as const;

const formSchema = {
  body: {
    type: 'object',
    required: ['action'],
    properties: {
      action: { type: 'string', enum: ['choose', 'units', 'forget'] },
      place: idText,
      units: unitsSchema,
      back: { type: 'string', maxLength: 300 },
    },
  },
} as const;

/** Text from a CDN header: percent-decoded if encoded, control characters out, at most 100 characters. */
function headerText(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value;
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // Keep it as sent.
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point here.
  text = text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text ? text.slice(0, 100) : undefined;
}

/** A place id from checked text (`idText`); over the database's range is bad input, not an unknown place. */
function placeId(text: string): number {
  const id = Number(text);
  if (id > MAX_PLACE_ID) throw new AppError('BAD_QUERY', 'no such place id');
  return id;
}

/** Coordinates from checked text (`decimalText`), within the Earth's ranges. */
function coordinates(lat: string, lon: string): Coordinates {
  const at = { latitude: Number(lat), longitude: Number(lon) };
  if (!isValidCoordinates(at)) throw new AppError('BAD_QUERY', 'lat must be within ±90 and lon within ±180');
  return at;
}

function headerNumber(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\s*-?\d{1,3}(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** What both weather routes read of a request: the reader's cookies, location headers and own origins. */
function readerContext(deps: WeatherRoutesDeps) {
  const { config } = deps;
  const secure = deps.siteUrl.startsWith('https:');
  const siteOrigin = new URL(deps.siteUrl).origin;
  const locationHeaders = [config.cityHeader, config.latHeader, config.lonHeader];

  const cookiesOf = (request: FastifyRequest) => parseCookies(request.headers.cookie);
  const chosenUnits = (cookies: Record<string, string>): Units | undefined => {
    const u = cookies[UNITS_COOKIE];
    return u === 'celsius' || u === 'fahrenheit' ? u : undefined;
  };
  const hints = (request: FastifyRequest, cookies: Record<string, string>): ReaderHints => {
    const id = cookies[PLACE_COOKIE];
    const city = headerText(request.headers[config.cityHeader]);
    const latitude = headerNumber(request.headers[config.latHeader]);
    const longitude = headerNumber(request.headers[config.lonHeader]);
    const location =
      city !== undefined || (latitude !== undefined && longitude !== undefined)
        ? {
            ...(city !== undefined ? { city } : {}),
            ...(latitude !== undefined && longitude !== undefined ? { latitude, longitude } : {}),
          }
        : undefined;
    return {
      ...(id && /^\d{1,10}$/.test(id) ? { placeId: Number(id) } : {}),
      ...(location ? { location } : {}),
    };
  };

  const ownOrigins = (request: FastifyRequest) => new Set([siteOrigin, `${request.protocol}://${request.host}`]);

  /** Only forms from this site may change a reader's settings. */
  const fromThisSite = (request: FastifyRequest): boolean => {
    const allowed = ownOrigins(request);
    const origin = request.headers.origin;
    if (origin !== undefined) return allowed.has(origin);
    const referer = request.headers.referer;
    if (referer === undefined) return true; // not a browser posting across sites: browsers send Origin on those
    try {
      return allowed.has(new URL(referer).origin);
    } catch {
      return false;
    }
  };
  return { secure, siteOrigin, locationHeaders, cookiesOf, chosenUnits, hints, ownOrigins, fromThisSite };
}

/**
 * `GET /weather` on the API face (served at `/api/weather`: JSON, JSON errors).
 *
 * @example
 *   await app.register(async (api) => weatherApiRoutes(api, deps), { prefix: '/api' });
 */
export async function weatherApiRoutes(app: FastifyInstance, deps: WeatherRoutesDeps): Promise<void> {
  const { weather, weatherPresenter: wp } = deps;
  const { locationHeaders, cookiesOf, chosenUnits, hints } = readerContext(deps);

  app.get<{ Querystring: ApiQuery }>(API_PATH.slice('/api'.length), { schema: apiSchema }, async (request, reply) => {
    const q = request.query;
    const asked = [q.city !== undefined, q.place !== undefined, q.lat !== undefined || q.lon !== undefined];
    if (asked.filter(Boolean).length > 1 || (q.lat === undefined) !== (q.lon === undefined)) {
      throw new AppError('BAD_QUERY', 'give one of city, place, or lat and lon');
    }
    const cookies = cookiesOf(request);
    let place: Place | undefined;
    let source: PlaceSource = 'query';
    if (q.city !== undefined) {
      let found: Place[] | undefined;
      try {
        found = await weather.search(q.city);
      } catch {
        found = undefined; // the geocoder is down: not the reader's fault, nor a 5xx
      }
      if (found && found.length === 0) throw new AppError('PLACE_NOT_FOUND', 'no such city');
      place = found?.[0];
    } else if (q.place !== undefined) {
      place = await weather.place(placeId(q.place));
      if (!place) throw new AppError('PLACE_NOT_FOUND', 'no such place');
    } else if (q.lat !== undefined && q.lon !== undefined) {
      place = { name: 'your area', ...coordinates(q.lat, q.lon) };
    } else {
      const resolved = await weather.resolve(hints(request, cookies));
      place = resolved?.place;
      source = resolved?.source ?? 'default';
    }
    const units = q.units ?? (source === 'query' ? undefined : chosenUnits(cookies)) ?? weather.units;
    const report = place && (await weather.current(place));
    // An answer for a named place is the same for everyone; one from cookies and location headers is the reader's own.
    const shared = source === 'query';
    const maxAge = report ? 300 : 60;
    if (!shared) reply.header('vary', ['cookie', ...locationHeaders].join(', '));
    return reply
      .header('cache-control', place ? `${shared ? 'public' : 'private'}, max-age=${maxAge}` : 'no-store')
      .send(wp.json(place, source, report, units));
  });
}

/**
 * The city page, `GET`/`POST /weather/city`, on the reader face (HTML pages,
 * HTML errors). Needs the form parser on that face (`web/forms.ts`).
 */
export async function weatherPageRoutes(app: FastifyInstance, deps: WeatherRoutesDeps): Promise<void> {
  const { weather, weatherPresenter: wp } = deps;
  const { secure, cookiesOf, chosenUnits, hints, ownOrigins, fromThisSite } = readerContext(deps);

  app.get<{ Querystring: PageQuery }>(`${PAGE_PATH}`, { schema: pageSchema }, async (request, reply) => {
    const cookies = cookiesOf(request);
    const units = chosenUnits(cookies) ?? weather.units;
    // Where to go back to: kept in the forms once known, found first in the Referer of the "Change city" link.
    const back = localPath(request.query.back) ?? refererPath(request.headers.referer, ownOrigins(request));
    const query = request.query.q?.trim() || undefined;
    const readerHints = hints(request, cookies);
    const [resolved, matches, chrome] = await Promise.all([
      weather.resolve(readerHints),
      query === undefined ? Promise.resolve(undefined) : weather.search(query).catch(() => undefined),
      deps.layout({ title: 'Weather', path: PAGE_PATH, noindex: true }),
    ]);
    const report = resolved && (await weather.current(resolved.place));
    const vm = wp.page({
      report,
      place: resolved?.place,
      source: resolved?.source,
      units,
      chosen: resolved?.source === 'choice',
      query,
      matches,
      saved: request.query.saved === '1',
      back,
    });
    // The reader's own weather in the header, not the default city's.
    const layout = { ...chrome, headerWidgets: [renderWeatherWidget(wp.widget(report, units))] };
    // The reader's own page: never stored by the page cache (no tags) nor by anyone else.
    return deps.pages.send(request, reply, {
      html: renderLayout(layout, renderWeatherMain(vm)),
      cacheControl: 'private, no-store',
    });
  });

  app.post<{ Body: FormBody }>(PAGE_PATH, { schema: formSchema }, async (request, reply: FastifyReply) => {
    if (!fromThisSite(request)) throw new AppError('CROSS_ORIGIN', 'this form may only be sent from this site');
    const { action, back } = request.body;
    const cookies: string[] = [];
    const set = (name: string, value: string) =>
      cookies.push(serializeCookie(name, value, { maxAge: COOKIE_MAX_AGE, secure }));
    if (action === 'choose') {
      if (request.body.place === undefined) throw new AppError('BAD_QUERY', 'choose a place');
      const id = placeId(request.body.place);
      const place = await weather.place(id);
      if (!place) throw new AppError('PLACE_NOT_FOUND', 'no such place');
      set(PLACE_COOKIE, String(id));
    }
    if ((action === 'choose' || action === 'units') && request.body.units) set(UNITS_COOKIE, request.body.units);
    if (action === 'forget') {
      cookies.push(serializeCookie(PLACE_COOKIE, '', { maxAge: 0, secure }));
    }
    const path = localPath(back);
    const params = new URLSearchParams({
      ...(action === 'forget' ? {} : { saved: '1' }),
      ...(path ? { back: path } : {}),
    });
    const target = `${PAGE_PATH}${params.size ? `?${params}` : ''}`;
    return reply.header('set-cookie', cookies).header('cache-control', 'no-store').redirect(target, 303);
  });
}
