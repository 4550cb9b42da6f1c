/**
 * Dates for people: formatted once per site time zone and locale, with
 * formatters built at start-up (building one per request is slow).
 *
 * @example
 *   const clock = createClock('America/New_York', 'en');
 *   clock.format(new Date('2019-01-02T19:05:00Z')); // 'January 2, 2019 at 2:05 PM EST'
 */

export interface Clock {
  /** Human text in the site's time zone. */
  format(date: Date): string;
  /** Calendar date in the site's time zone, for URLs. */
  ymd(date: Date): { year: string; month: string; day: string };
  /** The day alone, for people: 'April 12, 2014'. */
  day(date: Date): string;
}

export function createClock(timeZone: string, locale: string): Clock {
  const human = new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  });
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayOnly = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' });
  // Intl formatting is slow and pages show the same few hundred instants over and over.
  const formatted = memo((date: Date) => {
    const tz = zone.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return `${human.format(date)} ${tz}`.trim();
  });
  const days = memo((date: Date) => {
    const [year = '1970', month = '01', day = '01'] = parts.format(date).split('-');
    return { year, month, day };
  });
  return { format: formatted, ymd: days, day: memo((date: Date) => dayOnly.format(date)) };
}

/** Remembers results per instant, forgetting all at once when full (bounded memory, no bookkeeping). */
function memo<T>(fn: (date: Date) => T, max = 10_000): (date: Date) => T {
  const results = new Map<number, T>();
  return (date) => {
    const key = date.getTime();
    let value = results.get(key);
    if (value === undefined) {
      if (results.size >= max) results.clear();
      value = fn(date);
      results.set(key, value);
    }
    return value;
  };
}

/** Rows hold ISO strings (SQLite) or Dates (PostgreSQL). */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toDateOrUndefined(value: Date | string | null | undefined): Date | undefined {
  return value === null || value === undefined ? undefined : toDate(value);
}

/**
 * The instant a wall-clock time names in a time zone (what a `datetime-local`
 * field holds, read in the site's zone). Undefined for text that is not such
 * a time. Across a DST change, an hour that does not exist moves forward.
 *
 * @example
 *   zonedTime('2024-07-01T09:30', 'America/New_York'); // 2024-07-01T13:30:00.000Z
 */
export function zonedTime(local: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  // The zone's offset at the guessed instant, applied twice to settle across a change of offset.
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return new Date(at);
}

/** The wall-clock time of an instant in a zone, as a `datetime-local` value. */
export function localTime(date: Date, timeZone: string): string {
  const shifted = new Date(date.getTime() + offsetAt(date.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone is ahead of UTC at this instant. */
function offsetAt(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** True for an IANA time zone name this runtime knows ('Europe/Kyiv', 'UTC'). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A clock that follows a time zone which may change while the site runs (an
 * admin's setting): a clock per zone, made when the zone is first asked for.
 *
 * @example
 *   const clock = followingClock(() => settings.current().timeZone, 'en');
 */
export function followingClock(timeZone: () => string, locale: string): Clock {
  const clocks = new Map<string, Clock>();
  const current = () => {
    const tz = timeZone();
    let clock = clocks.get(tz);
    if (!clock) {
      clock = createClock(tz, locale);
      clocks.set(tz, clock);
    }
    return clock;
  };
  return {
    format: (date) => current().format(date),
    ymd: (date) => current().ymd(date),
    day: (date) => current().day(date),
  };
}
