import { describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, addressKey, lockedFor, retryAfterSeconds } from './throttle.js';

const MIN = 60_000;
const t0 = new Date('2025-03-03T09:00:00Z').getTime();
const at = (minutes: number) => new Date(t0 + minutes * MIN);
/** Failure times, given in minutes, newest first as the repository returns them. */
const failures = (...minutes: number[]) => minutes.sort((a, b) => b - a).map(at);

describe('login throttling rules', () => {
  it('locks an account for 15 minutes after the 5th failure within 15 minutes', () => {
    expect(lockedFor(failures(0, 1, 2, 3), at(4), ACCOUNT_LIMIT)).toBe(0);
    expect(lockedFor(failures(0, 1, 2, 3, 4), at(4), ACCOUNT_LIMIT)).toBe(15 * MIN);
    expect(lockedFor(failures(0, 1, 2, 3, 4), at(18), ACCOUNT_LIMIT)).toBe(1 * MIN);
    expect(lockedFor(failures(0, 1, 2, 3, 4), at(19), ACCOUNT_LIMIT)).toBe(0);
  });

  it('does not lock when the last five failures spread over more than the window', () => {
    expect(lockedFor(failures(0, 4, 8, 12, 15.01), at(16), ACCOUNT_LIMIT)).toBe(0);
    expect(lockedFor(failures(0, 4, 8, 12, 15), at(16), ACCOUNT_LIMIT)).toBe(14 * MIN);
  });

  it('looks at the last five failures only: older ones neither lock nor prevent a lock', () => {
    // An old failure does not make five recent ones spread out…
    expect(lockedFor(failures(10, 11, 12, 13, 14, -100), at(14), ACCOUNT_LIMIT)).toBe(15 * MIN);
    // …and four recent ones with an old fifth do not lock.
    expect(lockedFor(failures(11, 12, 13, 14, -100), at(14), ACCOUNT_LIMIT)).toBe(0);
  });

  it('gives a Retry-After in whole seconds, never 0 while locked', () => {
    expect(retryAfterSeconds(900_000)).toBe(900);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_500)).toBe(2);
  });

  it('counts IPv4 addresses as they are and IPv6 addresses by their /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:db8:1::')).toBe('2001:db8:1:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.7')).toBe('64:ff9b:0:0::/64');
    expect(addressKey(undefined)).toBeUndefined();
    expect(addressKey('')).toBeUndefined();
    expect(addressKey('not an address')).toBeUndefined();
  });
});
