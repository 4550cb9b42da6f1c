import { describe, expect, it } from 'vitest';
import { createClock, localTime, toDate, toDateOrUndefined, zonedTime } from './time.js';

// Newer ICU versions put a narrow no-break space before AM/PM; compare with plain spaces.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('createClock in America/New_York', () => {
  const clock = createClock('America/New_York', 'en');

  it('formats a winter time in EST', () => {
    expect(plain(clock.format(new Date('2019-01-02T19:05:00Z')))).toBe('January 2, 2019 at 2:05 PM EST');
  });

  it('formats a summer time in EDT', () => {
    expect(plain(clock.format(new Date('2019-07-02T19:05:00Z')))).toBe('July 2, 2019 at 3:05 PM EDT');
  });

  it('springs forward from 1:59 AM EST to 3:00 AM EDT', () => {
    expect(plain(clock.format(new Date('2024-03-10T06:59:00Z')))).toBe('March 10, 2024 at 1:59 AM EST');
    expect(plain(clock.format(new Date('2024-03-10T07:00:00Z')))).toBe('March 10, 2024 at 3:00 AM EDT');
  });

  it('falls back so the repeated 1 AM hour is told apart by its zone', () => {
    expect(plain(clock.format(new Date('2024-11-03T05:59:00Z')))).toBe('November 3, 2024 at 1:59 AM EDT');
    expect(plain(clock.format(new Date('2024-11-03T06:00:00Z')))).toBe('November 3, 2024 at 1:00 AM EST');
  });

  it('gives the previous local day for times just after midnight UTC', () => {
    expect(clock.ymd(new Date('2024-03-06T03:30:00Z'))).toEqual({ year: '2024', month: '03', day: '05' });
    expect(clock.ymd(new Date('2024-07-15T03:59:00Z'))).toEqual({ year: '2024', month: '07', day: '14' });
  });

  it('changes day at local midnight, not UTC midnight', () => {
    expect(clock.ymd(new Date('2024-03-06T04:59:59Z'))).toEqual({ year: '2024', month: '03', day: '05' });
    expect(clock.ymd(new Date('2024-03-06T05:00:00Z'))).toEqual({ year: '2024', month: '03', day: '06' });
  });

  it('gives the previous year for the first hours of 1 January UTC', () => {
    expect(clock.ymd(new Date('2024-01-01T02:00:00Z'))).toEqual({ year: '2023', month: '12', day: '31' });
  });
});

describe('createClock in Europe/London', () => {
  const clock = createClock('Europe/London', 'en-GB');

  it('formats a winter time in GMT with the 24-hour clock of the locale', () => {
    expect(plain(clock.format(new Date('2019-01-02T19:05:00Z')))).toBe('2 January 2019 at 19:05 GMT');
  });

  it('springs forward an hour at 01:00 UTC on the last Sunday of March', () => {
    expect(plain(clock.format(new Date('2024-03-31T00:59:00Z')))).toBe('31 March 2024 at 00:59 GMT');
    expect(plain(clock.format(new Date('2024-03-31T01:00:00Z')))).toBe('31 March 2024 at 02:00 GMT+1');
  });

  it('falls back an hour at 01:00 UTC on the last Sunday of October', () => {
    expect(plain(clock.format(new Date('2024-10-27T00:59:00Z')))).toBe('27 October 2024 at 01:59 GMT+1');
    expect(plain(clock.format(new Date('2024-10-27T01:00:00Z')))).toBe('27 October 2024 at 01:00 GMT');
  });

  it('gives the next local day for a summer time just before midnight UTC', () => {
    expect(clock.ymd(new Date('2024-07-14T23:30:00Z'))).toEqual({ year: '2024', month: '07', day: '15' });
  });

  it('keeps the UTC day for a winter time just before midnight UTC', () => {
    expect(clock.ymd(new Date('2024-01-14T23:30:00Z'))).toEqual({ year: '2024', month: '01', day: '14' });
  });
});

describe('createClock in other zones and locales', () => {
  it('gives the next year for a Tokyo evening of 31 December UTC', () => {
    const clock = createClock('Asia/Tokyo', 'ja');
    expect(clock.ymd(new Date('2024-12-31T15:00:00Z'))).toEqual({ year: '2025', month: '01', day: '01' });
  });

  it('gives zero-padded ASCII digits for URLs whatever the locale', () => {
    const clock = createClock('Asia/Kolkata', 'ar');
    expect(clock.ymd(new Date('2024-03-05T20:00:00Z'))).toEqual({ year: '2024', month: '03', day: '06' });
  });

  it('formats in the language of the locale', () => {
    const clock = createClock('Europe/Paris', 'fr');
    expect(plain(clock.format(new Date('2024-03-05T15:00:00Z')))).toBe('5 mars 2024 à 16:00 GMT+1');
  });

  it('throws for an unknown time zone', () => {
    expect(() => createClock('Mars/Base', 'en')).toThrow(RangeError);
  });
});

describe('toDate', () => {
  it('parses an ISO string', () => {
    const date = toDate('2024-03-05T15:00:00.000Z');
    expect(date).toBeInstanceOf(Date);
    expect(date.toISOString()).toBe('2024-03-05T15:00:00.000Z');
  });

  it('parses an ISO string with an offset to the same instant', () => {
    expect(toDate('2024-03-05T10:00:00-05:00').toISOString()).toBe('2024-03-05T15:00:00.000Z');
  });

  it('returns a Date as the same object', () => {
    const date = new Date('2024-03-05T15:00:00Z');
    expect(toDate(date)).toBe(date);
  });
});

describe('toDateOrUndefined', () => {
  it('returns undefined for null and undefined', () => {
    expect(toDateOrUndefined(null)).toBeUndefined();
    expect(toDateOrUndefined(undefined)).toBeUndefined();
  });

  it('converts strings and passes Dates through', () => {
    const date = new Date('2024-03-05T15:00:00Z');
    expect(toDateOrUndefined(date)).toBe(date);
    expect(toDateOrUndefined('2024-03-05T15:00:00Z')?.getTime()).toBe(date.getTime());
  });
});

describe('zonedTime and localTime', () => {
  it('reads a wall-clock time in a zone, summer and winter', () => {
    expect(zonedTime('2024-07-01T09:30', 'America/New_York')?.toISOString()).toBe('2024-07-01T13:30:00.000Z');
    expect(zonedTime('2024-01-15T09:30', 'America/New_York')?.toISOString()).toBe('2024-01-15T14:30:00.000Z');
    expect(zonedTime('2024-01-15T09:30', 'Asia/Kolkata')?.toISOString()).toBe('2024-01-15T04:00:00.000Z');
    expect(zonedTime('2024-01-15T09:30', 'UTC')?.toISOString()).toBe('2024-01-15T09:30:00.000Z');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', 'tomorrow', '2024-02-30T10:00', '2024-01-01T24:00', '2024-01-01 10:00', '2024-13-01T10:00'])
      expect(zonedTime(bad, 'UTC'), bad).toBeUndefined();
  });

  it('writes an instant back as the same wall-clock time', () => {
    const at = new Date('2024-07-01T13:30:00Z');
    expect(localTime(at, 'America/New_York')).toBe('2024-07-01T09:30');
    expect(zonedTime(localTime(at, 'Europe/Kyiv'), 'Europe/Kyiv')?.getTime()).toBe(at.getTime());
  });
});
