import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/errors.js';
import { type Breaking, isShowing, nextTurn, showing, timeBox } from './breaking.js';

const at = (hhmm: string) => new Date(`2026-12-06T${hhmm}:00Z`);
const flag = (id: number, from: string, to: string, extra: Partial<Breaking> = {}): Breaking => ({
  id,
  headline: `Flag ${id}`,
  href: `/a/${id}`,
  target: { kind: 'article', id },
  startsAt: at(from),
  endsAt: at(to),
  ...extra,
});

describe('the time box', () => {
  it('runs from now for the minutes asked', () => {
    expect(timeBox(30, at('10:00'))).toEqual({ startsAt: at('10:00'), endsAt: at('10:30') });
  });

  it.each([0, 4, 1441, 2.5, Number.NaN])('refuses %s minutes with INVALID_BREAKING', (minutes) => {
    expect(() => timeBox(minutes, at('10:00'))).toThrow(AppError);
    try {
      timeBox(minutes, at('10:00'));
    } catch (err) {
      expect((err as AppError).code).toBe('INVALID_BREAKING');
    }
  });

  it('shows a flag from its start up to, not including, its end', () => {
    const f = flag(1, '10:00', '10:30');
    expect([at('09:59'), at('10:00'), at('10:29'), at('10:30')].map((t) => isShowing(f, t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('never shows a flag an editor ended', () => {
    expect(isShowing(flag(1, '10:00', '10:30', { endedAt: at('10:05') }), at('10:10'))).toBe(false);
  });
});

describe('which flag shows', () => {
  it('is the newest one showing, or none', () => {
    const older = flag(1, '10:00', '11:00');
    const newer = flag(2, '10:10', '10:20');
    expect(showing([older, newer], at('10:15'))?.id).toBe(2);
    expect(showing([older, newer], at('10:25'))?.id).toBe(1);
    expect(showing([older, newer], at('11:00'))).toBeUndefined();
  });

  it('changes by itself next at the nearest start or end still to come', () => {
    const flags = [flag(1, '10:00', '11:00'), flag(2, '10:10', '10:20')];
    expect(nextTurn(flags, at('10:05'))).toEqual(at('10:10'));
    expect(nextTurn(flags, at('10:15'))).toEqual(at('10:20'));
    expect(nextTurn(flags, at('11:00'))).toBeUndefined();
  });
});
