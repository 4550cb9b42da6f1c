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
