/**
 * MET Norway's Locationforecast 2.0 (`/compact`), as its terms ask: an
 * identifying User-Agent (the HTTP client's, from configuration), at most
 * four decimals in coordinates, no new request for a place before its
 * `Expires`, and `If-Modified-Since` with the previous `Last-Modified`
 * verbatim (a 304 keeps the forecast we have and moves on to the current
 * hour). A 203 means the product version is deprecated: the data is still
 * used, and a warning is logged.
 *
 * @example
 *   const met = metNorwayProvider({ http, baseUrl: 'https://api.met.no/weatherapi/locationforecast/2.0' });
 *   const first = await met.current({ latitude: 59.91, longitude: 10.75 });
 *   const again = await met.current({ latitude: 59.91, longitude: 10.75 }, first); // If-Modified-Since
 */
import { z } from 'zod';
import type { HttpResponse } from '../net/http-client.js';
import { endpoint } from './open-meteo.provider.js';
import {
  type Fetched,
  jsonRequest,
  type ProviderDeps,
  ProviderError,
  parseJson,
  statusError,
  transportError,
  type WeatherProvider,
} from './provider.js';
import { type Coordinates, fromMetSymbol, isPlausibleTemperature, type Reading, roundCoordinates } from './weather.js';

export const MET_NORWAY = 'met-norway';

const summary = z.object({ summary: z.object({ symbol_code: z.string() }) }).optional();
const compactSchema = z.object({
  properties: z.object({
    meta: z.object({ units: z.object({ air_temperature: z.literal('celsius') }).optional() }).optional(),
    timeseries: z
      .array(
        z.object({
          time: z.string(),
          data: z.object({
            instant: z.object({ details: z.object({ air_temperature: z.number() }) }),
            next_1_hours: summary,
            next_6_hours: summary,
            next_12_hours: summary,
          }),
        }),
      )
      .min(1),
  }),
});

/** How far ahead of a forecast hour we still take it as "now". */
const HOUR_MS = 60 * 60_000;
/** Hours of the forecast kept for answering a 304. */
const KEPT = 12;

function readings(body: unknown): Reading[] {
  const parsed = compactSchema.safeParse(body);
  if (!parsed.success) throw new ProviderError('PROVIDER_BAD_RESPONSE', MET_NORWAY, 'not a compact forecast');
  const out: Reading[] = [];
  for (const step of parsed.data.properties.timeseries.slice(0, KEPT)) {
    const at = Date.parse(step.time);
    const symbol = (step.data.next_1_hours ?? step.data.next_6_hours ?? step.data.next_12_hours)?.summary.symbol_code;
    const mapped = symbol === undefined ? undefined : fromMetSymbol(symbol);
    const t = step.data.instant.details.air_temperature;
    if (Number.isNaN(at) || !mapped || !isPlausibleTemperature(t)) continue;
    out.push({
      temperatureC: t,
      condition: mapped.condition,
      isDay: mapped.isDay,
      observedAt: new Date(at),
      provider: MET_NORWAY,
    });
  }
  if (out.length === 0) throw new ProviderError('PROVIDER_BAD_RESPONSE', MET_NORWAY, 'no usable forecast hour');
  return out;
}

/** The forecast step for now: the latest one that has begun, or the first if none has. */
export function pickCurrent(series: Reading[], now: number): Reading | undefined {
  let current: Reading | undefined;
  for (const r of series) {
    if (r.observedAt.getTime() <= now) current = r;
  }
  const first = series[0];
  if (!current && first && first.observedAt.getTime() - now < HOUR_MS) current = first;
  // A forecast whose every hour is long past answers nothing about now.
  if (current && now - current.observedAt.getTime() > 6 * HOUR_MS) return undefined;
  return current;
}

function httpDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export interface MetNorwayDeps extends ProviderDeps {
  /** Told about a 203 (deprecated product version). */
  warn?: (message: string) => void;
}

export function metNorwayProvider(deps: MetNorwayDeps): WeatherProvider {
  const now = deps.now ?? Date.now;
  return {
    name: MET_NORWAY,
    async current(at: Coordinates, previous?: Fetched): Promise<Fetched> {
      const { latitude, longitude } = roundCoordinates(at, 4);
      const url = endpoint(deps.baseUrl, '/compact', { lat: String(latitude), lon: String(longitude) });
      const conditional = previous?.reading.provider === MET_NORWAY ? previous : undefined;
      let res: HttpResponse;
      try {
        res = await deps.http.get(url, {
          ...jsonRequest(deps.timeoutMs),
          ...(conditional?.lastModified ? { ifModifiedSince: conditional.lastModified } : {}),
        });
      } catch (err) {
        throw transportError(MET_NORWAY, err);
      }
      const expires = httpDate(res.headers['expires']);
      const lastModified = res.headers['last-modified'];
      const validators = {
        ...(expires ? { notBefore: expires } : {}),
        ...(lastModified
          ? { lastModified }
          : conditional?.lastModified
            ? { lastModified: conditional.lastModified }
            : {}),
      };
      if (res.status === 304 && conditional) {
        const reading = pickCurrent(conditional.upcoming ?? [conditional.reading], now());
        if (!reading) throw new ProviderError('PROVIDER_BAD_RESPONSE', MET_NORWAY, '304 for a forecast now past');
        return { ...conditional, ...validators, reading };
      }
      if (res.status !== 200 && res.status !== 203) throw statusError(MET_NORWAY, res, now());
      if (res.status === 203) deps.warn?.('MET Norway answered 203: this Locationforecast version is deprecated');
      const series = readings(parseJson(MET_NORWAY, res.body));
      const reading = pickCurrent(series, now());
      if (!reading) throw new ProviderError('PROVIDER_BAD_RESPONSE', MET_NORWAY, 'forecast does not cover now');
      return { reading, upcoming: series, ...validators };
    },
  };
}
