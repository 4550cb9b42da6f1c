/**
 * Login throttling across instances, on the rules of `throttle.ts`: an
 * attempt is recorded under its account (the typed email, whether or not a
 * user has it, so the answer tells nothing) and its client address before
 * the password is checked; if either key is locked the attempt is forgotten
 * and refused with LOGIN_THROTTLED (429, `details.retryAfter` in seconds).
 * A failure stays counted; a success clears the account's count and forgets
 * its own address entry.
 *
 * @example
 *   const attempt = await beginAttempt(db, { account: email, address: addressKey(ip) }, now);
 *   if (await passwordMatches()) await attemptSucceeded(db, attempt);
 *   else if ((await attemptFailed(db, attempt, now)) > 0) { … the account is now locked … }
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import {
  type AttemptScope,
  clearAttempts,
  deleteAttempts,
  insertAttempt,
  recentAttempts,
} from './login-attempts.repository.js';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, lockedFor, retryAfterSeconds, type ThrottleLimit } from './throttle.js';

type Db = Kysely<Schema>;

export interface AttemptKeys {
  /** The normalised email typed. */
  account: string;
  /** `addressKey(ip)`; without one, only the account is counted (the command line). */
  address?: string | undefined;
}

export interface Attempt {
  keys: AttemptKeys;
  account: number;
  address?: number;
}

/** Records the attempt, then refuses it (LOGIN_THROTTLED) if its account or address is locked. */
export async function beginAttempt(db: Db, keys: AttemptKeys, now: Date): Promise<Attempt> {
  const account = await insertAttempt(db, 'account', keys.account, now);
  const address = keys.address ? await insertAttempt(db, 'address', keys.address, now) : undefined;
  const waits = [await lockedMs(db, 'account', keys.account, ACCOUNT_LIMIT, now, account)];
  if (keys.address && address !== undefined) {
    waits.push(await lockedMs(db, 'address', keys.address, ADDRESS_LIMIT, now, address));
  }
  const wait = Math.max(...waits);
  if (wait > 0) {
    // Refused attempts do not count: the lock ends when it said it would.
    await deleteAttempts(db, address === undefined ? [account] : [account, address]);
    const retryAfter = retryAfterSeconds(wait);
    throw new AppError('LOGIN_THROTTLED', `Too many failed sign-ins: try again in ${retryAfter} s`, {
      retryAfter,
      scope: waits[0]! > 0 ? 'account' : 'address',
    });
  }
  return { keys, account, ...(address !== undefined ? { address } : {}) };
}

/** The attempt failed: it stays counted. Returns how long (ms) its account is now locked, 0 if it is not. */
export function attemptFailed(db: Db, attempt: Attempt, now: Date): Promise<number> {
  return lockedMs(db, 'account', attempt.keys.account, ACCOUNT_LIMIT, now);
}

/** The attempt succeeded: the account's failures are forgotten, and so is this attempt's address entry. */
export async function attemptSucceeded(db: Db, attempt: Attempt): Promise<void> {
  await clearAttempts(db, 'account', attempt.keys.account);
  if (attempt.address !== undefined) await deleteAttempts(db, [attempt.address]);
}

async function lockedMs(
  db: Db,
  scope: AttemptScope,
  key: string,
  rule: ThrottleLimit,
  now: Date,
  except?: number,
): Promise<number> {
  // Older attempts can no longer lock anything.
  const since = new Date(now.getTime() - rule.windowMs - rule.lockMs);
  return lockedFor(await recentAttempts(db, scope, key, since, rule.limit, except), now, rule);
}
