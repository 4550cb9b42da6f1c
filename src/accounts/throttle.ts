/**
 * Login throttling rules, pure. Failed attempts are counted per account and
 * per client address in a sliding window: when the last `limit` failures of
 * one key all fall within `windowMs`, the key is locked for `lockMs` after the
 * last of them, even for the right password. Attempts refused while locked
 * are not counted, so a lock ends on time. The attempts themselves live in
 * the database (`login-attempts.repository.ts`), so every instance sees them.
 *
 * @example
 *   lockedFor([t5, t4, t3, t2, t1], now, ACCOUNT_LIMIT); // ms until the account may try again, or 0
 *   addressKey('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface ThrottleLimit {
  /** Failures that lock the key… */
  limit: number;
  /** …when they all fall within this window… */
  windowMs: number;
  /** …for this long after the last of them. */
  lockMs: number;
}

const MINUTES = 60_000;
export const ACCOUNT_LIMIT: ThrottleLimit = { limit: 5, windowMs: 15 * MINUTES, lockMs: 15 * MINUTES };
/** Higher: a newsroom behind one office address shares it. */
export const ADDRESS_LIMIT: ThrottleLimit = { limit: 20, windowMs: 15 * MINUTES, lockMs: 15 * MINUTES };

/** Attempts older than this can no longer lock anything: they are pruned. */
export const ATTEMPT_RETENTION_MS = Math.max(
  ACCOUNT_LIMIT.windowMs + ACCOUNT_LIMIT.lockMs,
  ADDRESS_LIMIT.windowMs + ADDRESS_LIMIT.lockMs,
);

/**
 * How long (ms) the key stays locked at `now`, given its most recent
 * failures, newest first (at least `limit` of them when there are that many);
 * 0 when it is not locked.
 */
export function lockedFor(failures: readonly Date[], now: Date, rule: ThrottleLimit): number {
  if (failures.length < rule.limit) return 0;
  const newest = failures[0]!.getTime();
  const oldest = failures[rule.limit - 1]!.getTime();
  if (newest - oldest > rule.windowMs) return 0;
  return Math.max(0, newest + rule.lockMs - now.getTime());
}

/** Whole seconds for a Retry-After header: never 0 while locked. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The key an address is counted under: an IPv4 address as it is (also when
 * written IPv4-mapped, `::ffff:192.0.2.1`); an IPv6 address by its /64, the
 * block one subscriber usually holds whole (counting single IPv6 addresses
 * would give an attacker 2^64 fresh counters). Undefined for anything else.
 */
export function addressKey(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  const groups = expandIPv6(ip.replace(/%.*$/, ''));
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`2001:db8::1` → 2001, db8, 0, …, 1). */
function expandIPv6(address: string): string[] {
  let ip = address;
  // An embedded IPv4 tail (64:ff9b::192.0.2.1) is the last two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    ip = `${ip.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(fill).fill('0'), ...right].map((g) => Number.parseInt(g, 16).toString(16));
}
