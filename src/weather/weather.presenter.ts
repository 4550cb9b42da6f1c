/**
 * Weather domain objects → what goes out: the header widget's view model,
 * the city page's, and the JSON of `/api/weather` (a whitelist of fields).
 *
 * @example
 *   const p = createWeatherPresenter({ iconsHref: '/assets/weather-icons.abc.svg' });
 *   p.widget(report, 'celsius').now?.label; // '3.8 degrees Celsius, overcast, in New York'
 */
import { describeWeather, type Place, placeLabel, type Units } from './weather.js';
import type { PlaceSource, Report } from './weather.service.js';
import type { WeatherPageVM, WeatherWidgetVM } from './weather.view.js';

export const API_PATH = '/api/weather';
/** The city page. Not `/weather`: a site may well have a section called Weather at that address. */
export const PAGE_PATH = '/weather/city';

/**
 * A path on this site to come back to, or undefined: only local paths, never
 * `//host` or `/\host` (which browsers treat as another site).
 */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return undefined;
  return value;
}

/** The local path of a same-origin Referer (the page a reader came from), or undefined. */
export function refererPath(referer: string | undefined, origins: ReadonlySet<string>): string | undefined {
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    if (!origins.has(url.origin) || url.pathname === PAGE_PATH) return undefined;
    return localPath(`${url.pathname}${url.search}`);
  } catch {
    return undefined;
  }
}

const SOURCE_TEXT: Record<PlaceSource, string | undefined> = {
  choice: 'your choice',
  location: 'from your location',
  default: "the site's default city",
  query: undefined,
};

export interface WeatherJson {
  place: {
    id: number | null;
    name: string;
    admin1: string | null;
    country: string | null;
    latitude: number;
    longitude: number;
  } | null;
  source: PlaceSource;
  weather: {
    /** In `unit`, one decimal. */
    temperature: number;
    /** Display text with a true minus sign: "−2.0". */
    text: string;
    unit: Units;
    unitSymbol: string;
    condition: string;
    conditionText: string;
    icon: string;
    isDay: boolean;
    label: string;
    observedAt: string;
    fetchedAt: string;
    stale: boolean;
    provider: string;
  } | null;
}

type NowVM = NonNullable<WeatherWidgetVM['now']>;

export function createWeatherPresenter(deps: { iconsHref: string }) {
  const now = (report: Report, units: Units): NowVM => {
    const d = describeWeather(report.reading, units, report.place.name);
    return {
      temperature: d.temperature,
      unitSymbol: d.unitSymbol,
      conditionText: d.conditionText,
      city: report.place.name,
      label: d.label,
      iconHref: `${deps.iconsHref}#${d.icon}`,
    };
  };

  // Every page rendered until the next refresh shows the same widget: one view model per reading (so that
  // the view can render it once too). The widget is the same on every page: the city page finds the page
  // the reader came from in its Referer, not in the link.
  const empty: WeatherWidgetVM = { apiHref: API_PATH, iconsHref: deps.iconsHref, changeHref: PAGE_PATH };
  const widgets = new WeakMap<Report['reading'], Map<string, WeatherWidgetVM>>();

  return {
    widget(report: Report | undefined, units: Units): WeatherWidgetVM {
      if (!report) return empty;
      let byKey = widgets.get(report.reading);
      if (!byKey) {
        byKey = new Map();
        widgets.set(report.reading, byKey);
      }
      const key = `${units}|${report.place.name}`;
      let vm = byKey.get(key);
      if (!vm) {
        vm = { ...empty, now: now(report, units) };
        byKey.set(key, vm);
      }
      return vm;
    },

    page(input: {
      report: Report | undefined;
      place: Place | undefined;
      source: PlaceSource | undefined;
      units: Units;
      chosen: boolean;
      query: string | undefined;
      matches: Place[] | undefined;
      saved: boolean;
      back: string | undefined;
    }): WeatherPageVM {
      const sourceText = input.source ? SOURCE_TEXT[input.source] : undefined;
      return {
        ...(input.report ? { now: now(input.report, input.units) } : {}),
        ...(input.place ? { placeLabel: placeLabel(input.place) } : {}),
        ...(sourceText ? { sourceText } : {}),
        chosen: input.chosen,
        units: input.units,
        ...(input.query !== undefined ? { query: input.query } : {}),
        ...(input.matches
          ? {
              matches: input.matches
                .filter((p): p is Place & { id: number } => p.id !== undefined)
                .map((p) => ({ id: p.id, label: placeLabel(p) })),
            }
          : {}),
        saved: input.saved,
        ...(input.back ? { back: input.back } : {}),
      };
    },

    json(place: Place | undefined, source: PlaceSource, report: Report | undefined, units: Units): WeatherJson {
      const d = report && describeWeather(report.reading, units, report.place.name);
      return {
        place: place
          ? {
              id: place.id ?? null,
              name: place.name,
              admin1: place.admin1 ?? null,
              country: place.country ?? null,
              latitude: place.latitude,
              longitude: place.longitude,
            }
          : null,
        source,
        weather:
          report && d
            ? {
                temperature: d.value,
                text: d.temperature,
                unit: units,
                unitSymbol: d.unitSymbol,
                condition: report.reading.condition.id,
                conditionText: d.conditionText,
                icon: d.icon,
                isDay: report.reading.isDay,
                label: d.label,
                observedAt: report.reading.observedAt.toISOString(),
                fetchedAt: new Date(report.fetchedAt).toISOString(),
                stale: report.stale,
                provider: report.reading.provider,
              }
            : null,
      };
    },
  };
}

export type WeatherPresenter = ReturnType<typeof createWeatherPresenter>;
