/**
 * Password hashing: argon2id with OWASP's recommended parameters (19 MiB of
 * memory, 2 passes, 1 lane — also `@node-rs/argon2`'s defaults, written out
 * here so that a change of library defaults cannot silently change ours).
 * Hashes are PHC strings carrying their own parameters: one made with older
 * parameters still verifies, and `needsRehash` says when to replace it.
 *
 * @example
 *   const stored = await hashPassword('correct horse battery staple');
 *   await verifyPassword(stored, 'correct horse battery staple'); // true
 */
import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, type Options, parseOptions, verify } from '@node-rs/argon2';
import { PASSWORD_MAX } from './account.js';

/** `Algorithm.Argon2id`: the enum is `const` in an ambient declaration, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * Whether `password` matches `stored`. False, without hashing, for a password
 * longer than any we accept (no megabyte argon2 on a login form) and for a
 * stored value that is not a hash.
 */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX * 2) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when `stored` was made with other parameters than today's: hash the password again at the next login. */
export function needsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    return (
      o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, made once per process with the
 * same parameters: a login for an email nobody has is verified against it,
 * so that it costs as long as a wrong password and timing tells nothing.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}
