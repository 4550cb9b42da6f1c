import { describe, expect, it } from 'vitest';
import { nextCronTime, secondsToCron } from './cron.js';

const next = (cron: string, after: string) => nextCronTime(cron, new Date(after)).toISOString();

describe('nextCronTime', () => {
  it('finds the next minute for every-minute, strictly after the given time', () => {
    expect(next('* * * * *', '2024-05-01T12:00:00.000Z')).toBe('2024-05-01T12:01:00.000Z');
    expect(next('* * * * *', '2024-05-01T12:00:59.999Z')).toBe('2024-05-01T12:01:00.000Z');
  });

  it('finds a daily time today or tomorrow, in UTC', () => {
    expect(next('30 4 * * *', '2024-05-01T03:00:00Z')).toBe('2024-05-01T04:30:00.000Z');
    expect(next('30 4 * * *', '2024-05-01T04:30:00Z')).toBe('2024-05-02T04:30:00.000Z');
  });

  it('reads steps, ranges and lists', () => {
    expect(next('*/15 * * * *', '2024-05-01T12:16:00Z')).toBe('2024-05-01T12:30:00.000Z');
    expect(next('0 9-17/4 * * *', '2024-05-01T10:00:00Z')).toBe('2024-05-01T13:00:00.000Z');
    expect(next('5,10 0 * * *', '2024-05-01T00:06:00Z')).toBe('2024-05-01T00:10:00.000Z');
  });

  it('crosses months and years, and matches weekdays (7 is Sunday)', () => {
    expect(next('0 0 1 1 *', '2024-05-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    // 2024-05-01 is a Wednesday; the next Sunday is the 5th.
    expect(next('0 12 * * 7', '2024-05-01T00:00:00Z')).toBe('2024-05-05T12:00:00.000Z');
    expect(next('0 0 29 2 *', '2024-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 10th, or any Sunday: from Wednesday the 1st, Sunday the 5th comes first.
    expect(next('0 0 10 * 0', '2024-05-01T00:00:00Z')).toBe('2024-05-05T00:00:00.000Z');
  });

  it('rejects malformed expressions', () => {
    for (const bad of ['* * * *', '60 * * * *', '* * * * * *', 'a * * * *', '*/0 * * * *', '5-1 * * * *']) {
      expect(() => nextCronTime(bad, new Date()), bad).toThrow();
    }
  });
});

describe('secondsToCron', () => {
  it.each([
    [30, '* * * * *'],
    [60, '* * * * *'],
    [300, '*/5 * * * *'],
    [3600, '0 * * * *'],
    [6 * 3600, '0 */6 * * *'],
    [86_400, '0 0 * * *'],
    [2 * 86_400, '0 0 */2 * *'],
  ])('turns %i seconds into %s', (seconds, cron) => {
    expect(secondsToCron(seconds)).toBe(cron);
  });
});
