/**
 * Open-Meteo (no key): the forecast API's current conditions
 * (`current=temperature_2m,weather_code,is_day`) and the geocoding API.
 * Base URLs are configuration, so a self-hosted Open-Meteo or the commercial
 * `customer-api` host (with `?apikey=…` in the base URL: its query is kept on
 * every request) works the same way.
 *
 * @example
 *   const provider = openMeteoProvider({ http, baseUrl: 'https://api.open-meteo.com' });
 *   const { reading } = await provider.current({ latitude: 40.71, longitude: -74.01 });
 *   reading.temperatureC; // 3.8
 */
import { z } from 'zod';
import type { HttpResponse } from '../net/http-client.js';
import {
  type Fetched,
  type Geocoder,
  jsonRequest,
  type ProviderDeps,
  ProviderError,
  parseJson,
  statusError,
  transportError,
  type WeatherProvider,
} from './provider.js';
import { type Coordinates, fromWmoCode, isPlausibleTemperature, isValidCoordinates, type Place } from './weather.js';

export const OPEN_METEO = 'open-meteo';
export const OPEN_METEO_GEOCODING = 'open-meteo-geocoding';

/** `base` + `path`, keeping the base's own path prefix and query (an API key), plus `params`. */
export function endpoint(base: string, path: string, params: Record<string, string>): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

const forecastSchema = z.object({
  utc_offset_seconds: z.number().int().optional(),
  current: z.object({
    time: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/),
    temperature_2m: z.number(),
    weather_code: z.number().int(),
    is_day: z.union([z.literal(0), z.literal(1)]),
  }),
  current_units: z.object({ temperature_2m: z.literal('°C') }).optional(),
});

async function getJson(deps: ProviderDeps, provider: string, url: string, now: () => number): Promise<unknown> {
  let res: HttpResponse;
  try {
    res = await deps.http.get(url, jsonRequest(deps.timeoutMs));
  } catch (err) {
    throw transportError(provider, err);
  }
  if (res.status !== 200) throw statusError(provider, res, now());
  return parseJson(provider, res.body);
}

export function openMeteoProvider(deps: ProviderDeps): WeatherProvider {
  const now = deps.now ?? Date.now;
  return {
    name: OPEN_METEO,
    async current(at: Coordinates): Promise<Fetched> {
      const url = endpoint(deps.baseUrl, '/v1/forecast', {
        latitude: String(at.latitude),
        longitude: String(at.longitude),
        current: 'temperature_2m,weather_code,is_day',
      });
      const parsed = forecastSchema.safeParse(await getJson(deps, OPEN_METEO, url, now));
      if (!parsed.success) throw new ProviderError('PROVIDER_BAD_RESPONSE', OPEN_METEO, 'not a forecast');
      const current = parsed.data.current;
      const condition = fromWmoCode(current.weather_code);
      if (!condition) {
        throw new ProviderError('PROVIDER_BAD_RESPONSE', OPEN_METEO, `unknown weather code ${current.weather_code}`);
      }
      if (!isPlausibleTemperature(current.temperature_2m)) {
        throw new ProviderError('PROVIDER_BAD_RESPONSE', OPEN_METEO, `temperature ${current.temperature_2m}`);
      }
      // Times are local to `timezone` (GMT unless asked otherwise), written without an offset.
      const local = Date.parse(`${current.time}Z`);
      const observedAt = new Date(local - (parsed.data.utc_offset_seconds ?? 0) * 1000);
      return {
        reading: {
          temperatureC: current.temperature_2m,
          condition,
          isDay: current.is_day === 1,
          observedAt,
          provider: OPEN_METEO,
        },
      };
    },
  };
}

const placeSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1).max(200),
  latitude: z.number(),
  longitude: z.number(),
  country_code: z.string().optional(),
  country: z.string().optional(),
  admin1: z.string().optional(),
  timezone: z.string().optional(),
  population: z.number().int().nonnegative().optional(),
});

// An unknown name is answered 200 with no `results` key at all.
const searchSchema = z.object({ results: z.array(z.unknown()).optional() });

export function openMeteoGeocoder(deps: ProviderDeps): Geocoder {
  const now = deps.now ?? Date.now;
  return {
    name: OPEN_METEO_GEOCODING,
    async search(query, options) {
      const url = endpoint(deps.baseUrl, '/v1/search', {
        name: query,
        count: String(options.count),
        language: options.language,
        format: 'json',
      });
      const parsed = searchSchema.safeParse(await getJson(deps, OPEN_METEO_GEOCODING, url, now));
      if (!parsed.success) throw new ProviderError('PROVIDER_BAD_RESPONSE', OPEN_METEO_GEOCODING, 'not a search');
      const places: Place[] = [];
      for (const item of parsed.data.results ?? []) {
        // One odd entry (a place without coordinates) should not hide the others.
        const p = placeSchema.safeParse(item);
        if (!p.success || !isValidCoordinates(p.data)) continue;
        places.push({
          id: p.data.id,
          name: p.data.name,
          latitude: p.data.latitude,
          longitude: p.data.longitude,
          ...(p.data.admin1 ? { admin1: p.data.admin1 } : {}),
          ...(p.data.country ? { country: p.data.country } : {}),
          ...(p.data.country_code ? { countryCode: p.data.country_code } : {}),
          ...(p.data.timezone ? { timezone: p.data.timezone } : {}),
          ...(p.data.population !== undefined ? { population: p.data.population } : {}),
        });
      }
      if ((parsed.data.results?.length ?? 0) > 0 && places.length === 0) {
        throw new ProviderError('PROVIDER_BAD_RESPONSE', OPEN_METEO_GEOCODING, 'no usable result');
      }
      return places.slice(0, options.count);
    },
  };
}
