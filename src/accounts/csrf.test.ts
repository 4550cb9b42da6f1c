import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { csrfToken, verifyCsrf } from './csrf.js';

// Node's own module, wrapped to watch the comparison (it still compares).
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const session = { id: 41, csrfSecret: 'c2VjcmV0IG9mIHNlc3Npb24gNDEsIDMyIGJ5dGVzIGxvbmc' };

describe('CSRF tokens', () => {
  it('verifies the token of its own session', () => {
    const token = csrfToken(session);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyCsrf(session, token)).toBe(true);
  });

  it('refuses the token of another session, or of the same id under another secret', () => {
    expect(verifyCsrf(session, csrfToken({ ...session, id: 42 }))).toBe(false);
    expect(verifyCsrf(session, csrfToken({ ...session, csrfSecret: 'another secret entirely' }))).toBe(false);
  });

  it('refuses a tampered, truncated, over-long or missing token', () => {
    const token = csrfToken(session);
    const flipped = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    expect(verifyCsrf(session, flipped)).toBe(false);
    expect(verifyCsrf(session, token.slice(0, -1))).toBe(false);
    expect(verifyCsrf(session, `${token}A`)).toBe(false);
    expect(verifyCsrf(session, '!'.repeat(43))).toBe(false);
    expect(verifyCsrf(session, undefined)).toBe(false);
    expect(verifyCsrf(session, '')).toBe(false);
    expect(verifyCsrf(session, 12345)).toBe(false);
  });

  it('compares in constant time (crypto.timingSafeEqual), for a right and a wrong token alike', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const token = csrfToken(session);
    verifyCsrf(session, token);
    verifyCsrf(session, `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`);
    expect(compare).toHaveBeenCalledTimes(2);
    expect(compare.mock.results.map((r) => r.value)).toEqual([true, false]);
  });
});
