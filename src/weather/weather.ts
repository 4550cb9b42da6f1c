/**
 * The weather model and its pure rules: places, observations, the condition
 * vocabulary (from WMO weather codes, and MET Norway's symbol codes mapped
 * onto it), units, and the words a reader sees and hears.
 *
 * @example
 *   const reading = { temperatureC: 3.8, condition: fromWmoCode(3), isDay: true };
 *   describeWeather(reading, 'celsius', 'New York').label;
 *   // '3.8 degrees Celsius, overcast, in New York'
 */

export type Units = 'celsius' | 'fahrenheit';
export const UNITS: readonly Units[] = ['celsius', 'fahrenheit'];

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** A place the reader can pick: from the geocoder, a CDN's location headers, or configuration. */
export interface Place extends Coordinates {
  /** The geocoder's id (GeoNames), when the place came from it. */
  id?: number;
  name: string;
  /** First-level administrative area: state, province, region. */
  admin1?: string;
  country?: string;
  countryCode?: string;
  timezone?: string;
  population?: number;
}

/** Icons in `src/site/assets/weather-icons.svg`, by symbol id. */
export type IconId =
  | 'clear-day'
  | 'clear-night'
  | 'partly-cloudy-day'
  | 'partly-cloudy-night'
  | 'cloudy'
  | 'fog'
  | 'drizzle'
  | 'rain'
  | 'sleet'
  | 'snow'
  | 'thunder';

export type ConditionId =
  | 'clear'
  | 'mainly-clear'
  | 'partly-cloudy'
  | 'overcast'
  | 'fog'
  | 'drizzle'
  | 'freezing-drizzle'
  | 'rain'
  | 'freezing-rain'
  | 'sleet'
  | 'snow'
  | 'snow-grains'
  | 'rain-showers'
  | 'sleet-showers'
  | 'snow-showers'
  | 'thunderstorm'
  | 'thunderstorm-hail';

export interface Condition {
  id: ConditionId;
  /** Lower-case words, as they read inside a sentence: "light rain showers". */
  text: string;
}

/** What a provider reports for a place now. Temperatures are kept in °C and converted on the way out. */
export interface Reading {
  temperatureC: number;
  condition: Condition;
  isDay: boolean;
  /** When the provider's value is for. */
  observedAt: Date;
  provider: string;
}

const c = (id: ConditionId, text: string): Condition => ({ id, text });

/**
 * WMO weather interpretation codes as Open-Meteo documents them
 * (https://open-meteo.com/en/docs, "WMO Weather interpretation codes").
 */
const WMO: ReadonlyMap<number, Condition> = new Map([
  [0, c('clear', 'clear sky')],
  [1, c('mainly-clear', 'mainly clear')],
  [2, c('partly-cloudy', 'partly cloudy')],
  [3, c('overcast', 'overcast')],
  [45, c('fog', 'fog')],
  [48, c('fog', 'freezing fog')],
  [51, c('drizzle', 'light drizzle')],
  [53, c('drizzle', 'drizzle')],
  [55, c('drizzle', 'dense drizzle')],
  [56, c('freezing-drizzle', 'light freezing drizzle')],
  [57, c('freezing-drizzle', 'dense freezing drizzle')],
  [61, c('rain', 'light rain')],
  [63, c('rain', 'rain')],
  [65, c('rain', 'heavy rain')],
  [66, c('freezing-rain', 'light freezing rain')],
  [67, c('freezing-rain', 'heavy freezing rain')],
  [71, c('snow', 'light snow')],
  [73, c('snow', 'snow')],
  [75, c('snow', 'heavy snow')],
  [77, c('snow-grains', 'snow grains')],
  [80, c('rain-showers', 'light rain showers')],
  [81, c('rain-showers', 'rain showers')],
  [82, c('rain-showers', 'violent rain showers')],
  [85, c('snow-showers', 'light snow showers')],
  [86, c('snow-showers', 'heavy snow showers')],
  [95, c('thunderstorm', 'thunderstorm')],
  [96, c('thunderstorm-hail', 'thunderstorm with hail')],
  [99, c('thunderstorm-hail', 'thunderstorm with heavy hail')],
]);

/** The condition for a WMO code, or undefined for a code outside the table (a provider answering nonsense). */
export function fromWmoCode(code: number): Condition | undefined {
  return WMO.get(code);
}

/**
 * MET Norway's symbol codes (e.g. `lightrainshowersandthunder_day`,
 * `heavysleet`, `fair_night`) mapped onto the same vocabulary; the suffix
 * tells day from night. Undefined for a code it does not know.
 *
 * @example
 *   fromMetSymbol('partlycloudy_night'); // { condition: partly cloudy, isDay: false }
 */
export function fromMetSymbol(symbol: string): { condition: Condition; isDay: boolean } | undefined {
  const match = /^([a-z]+?)(?:_(day|night|polartwilight))?$/.exec(symbol);
  if (!match) return undefined;
  const base = match[1] as string;
  const isDay = match[2] !== 'night';
  const intensity = base.startsWith('light') ? 'light ' : base.startsWith('heavy') ? 'heavy ' : '';
  const condition = metCondition(base, intensity);
  return condition ? { condition, isDay } : undefined;
}

function metCondition(base: string, intensity: string): Condition | undefined {
  // Thunder first: MET writes it as a suffix on any precipitation ("heavysnowshowersandthunder").
  if (base.endsWith('andthunder')) return c('thunderstorm', `${intensity}${precipitation(base)} and thunder`.trim());
  switch (base) {
    case 'clearsky':
      return c('clear', 'clear sky');
    case 'fair':
      return c('mainly-clear', 'mainly clear');
    case 'partlycloudy':
      return c('partly-cloudy', 'partly cloudy');
    case 'cloudy':
      return c('overcast', 'overcast');
    case 'fog':
      return c('fog', 'fog');
  }
  const kind = precipitation(base);
  if (!kind || !/^(light|heavy)?s?(rain|sleet|snow)(showers)?$/.test(base)) return undefined;
  const showers = base.endsWith('showers');
  const id: ConditionId = showers ? (`${kind}-showers` as ConditionId) : (kind as ConditionId);
  return c(id, `${intensity}${kind}${showers ? ' showers' : ''}`);
}

function precipitation(base: string): 'rain' | 'sleet' | 'snow' | '' {
  if (base.includes('sleet')) return 'sleet';
  if (base.includes('snow')) return 'snow';
  if (base.includes('rain')) return 'rain';
  return '';
}

/** The icon for a condition, by day or night. */
export function iconFor(condition: ConditionId, isDay: boolean): IconId {
  switch (condition) {
    case 'clear':
    case 'mainly-clear':
      return isDay ? 'clear-day' : 'clear-night';
    case 'partly-cloudy':
      return isDay ? 'partly-cloudy-day' : 'partly-cloudy-night';
    case 'overcast':
      return 'cloudy';
    case 'fog':
      return 'fog';
    case 'drizzle':
    case 'freezing-drizzle':
      return 'drizzle';
    case 'rain':
    case 'rain-showers':
    case 'freezing-rain':
      return 'rain';
    case 'sleet':
    case 'sleet-showers':
      return 'sleet';
    case 'snow':
    case 'snow-grains':
    case 'snow-showers':
      return 'snow';
    case 'thunderstorm':
    case 'thunderstorm-hail':
      return 'thunder';
  }
}

/** °C → the reader's unit, to one decimal. */
export function convert(temperatureC: number, units: Units): number {
  const value = units === 'fahrenheit' ? (temperatureC * 9) / 5 + 32 : temperatureC;
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** The one-decimal figure with a true minus sign: "3.8", "−2.0". */
export function formatTemperature(value: number): string {
  const text = Math.abs(value).toFixed(1);
  return value < 0 ? `\u2212${text}` : text;
}

export const UNIT_SYMBOL: Record<Units, string> = { celsius: '°C', fahrenheit: '°F' };
const UNIT_WORDS: Record<Units, string> = { celsius: 'degrees Celsius', fahrenheit: 'degrees Fahrenheit' };

export interface Description {
  /** "3.8" or "−2.0", in the reader's unit. */
  temperature: string;
  value: number;
  unitSymbol: string;
  /** Sentence case, for display: "Overcast". */
  conditionText: string;
  icon: IconId;
  /** For assistive technology: "3.8 degrees Celsius, overcast, in New York". */
  label: string;
}

/** Everything a widget shows, in words and figures. */
export function describeWeather(
  reading: Omit<Reading, 'observedAt' | 'provider'>,
  units: Units,
  city: string,
): Description {
  const value = convert(reading.temperatureC, units);
  const spoken = value < 0 ? `minus ${Math.abs(value).toFixed(1)}` : value.toFixed(1);
  const text = reading.condition.text;
  return {
    temperature: formatTemperature(value),
    value,
    unitSymbol: UNIT_SYMBOL[units],
    conditionText: text.charAt(0).toUpperCase() + text.slice(1),
    icon: iconFor(reading.condition.id, reading.isDay),
    label: `${spoken} ${UNIT_WORDS[units]}, ${text}, in ${city}`,
  };
}

/** "Springfield, Illinois, United States": the name with what tells it apart. */
export function placeLabel(place: Place): string {
  const parts = [place.name];
  if (place.admin1 && place.admin1 !== place.name) parts.push(place.admin1);
  if (place.country) parts.push(place.country);
  return parts.join(', ');
}

/** Air temperatures outside this range are an instrument or a provider talking nonsense. */
export const PLAUSIBLE_C = { min: -95, max: 65 } as const;

export function isPlausibleTemperature(t: number): boolean {
  return Number.isFinite(t) && t >= PLAUSIBLE_C.min && t <= PLAUSIBLE_C.max;
}

/** Grid cells of about a kilometre: nearby readers share one cache entry and one upstream call. */
export function locationKey(at: Coordinates): string {
  return `${at.latitude.toFixed(2)},${at.longitude.toFixed(2)}`;
}

/** Rounds coordinates as they are sent upstream (MET Norway asks for at most four decimals). */
export function roundCoordinates(at: Coordinates, decimals = 4): Coordinates {
  const f = 10 ** decimals;
  return { latitude: Math.round(at.latitude * f) / f, longitude: Math.round(at.longitude * f) / f };
}

export function isValidCoordinates(at: Coordinates): boolean {
  return (
    Number.isFinite(at.latitude) &&
    Number.isFinite(at.longitude) &&
    Math.abs(at.latitude) <= 90 &&
    Math.abs(at.longitude) <= 180
  );
}

/** A city name as typed, normalised into a search key: trimmed, spaces collapsed, lower case. */
export function normaliseQuery(query: string): string {
  return query.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
