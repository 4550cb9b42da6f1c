/**
 * The five-field cron expressions recurring jobs use, in UTC, through the
 * `cron-parser` library: the next time one fires (for the SQLite runner), and
 * seconds turned into the nearest cron (for pg-boss, whose schedules are cron
 * only).
 *
 * @example
 *   nextCronTime('30 4 * * *', new Date('2024-05-01T12:00:00Z')); // 2024-05-02T04:30:00Z
 *   secondsToCron(3600); // '0 * * * *'
 */
import { CronExpressionParser } from 'cron-parser';

/** Throws on anything but a valid five-field expression. */
export function parseCron(expression: string): void {
  if (expression.trim().split(/\s+/).length !== 5) throw new Error(`cron expression needs five fields: ${expression}`);
  CronExpressionParser.parse(expression, { tz: 'UTC' });
}

/** The first time after `after` (to the minute) that the expression fires. */
export function nextCronTime(expression: string, after: Date): Date {
  parseCron(expression);
  return CronExpressionParser.parse(expression, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/** The cron expression nearest to "every `seconds` seconds"; cron's smallest step is a minute. */
export function secondsToCron(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
  const days = Math.round(hours / 24);
  return days === 1 ? '0 0 * * *' : `0 0 */${days} * *`;
}
