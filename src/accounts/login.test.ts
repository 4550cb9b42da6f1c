import * as argon2 from '@node-rs/argon2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { AccountsService } from './accounts.service.js';
import { accountsOn, emptyAccounts, PASSWORD, type TestClock, testClock } from './fixtures/accounts.js';
import { PASSWORD_HASH_OPTIONS } from './passwords.js';

// The library itself, wrapped to count verifications (it still verifies).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...original, verify: vi.fn(original.verify) };
});

const MINUTE = 60_000;

describeTargets('signing in on $dialect', (target) => {
  let t: TestDb;
  let clock: TestClock;
  let accounts: AccountsService;
  let edId: number;
  const others: Database[] = [];
  beforeAll(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await emptyAccounts(t.database);
    clock = testClock();
    accounts = accountsOn(t.database, clock);
    edId = (await accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password: PASSWORD })).id;
  });
  afterEach(async () => {
    for (const d of others.splice(0)) await d.close();
  });

  /** The accounts service of another instance on the same database (its own connections), on the same clock. */
  async function secondInstance(): Promise<AccountsService> {
    const database = await connect(t.url, { poolSize: 4 });
    others.push(database);
    return accountsOn(database, clock);
  }

  const login = (password: string, email = 'ed@news.test', ip = '192.0.2.7', service = accounts) =>
    service.login({ email, password, ip });
  const failures = async (n: number, email = 'ed@news.test', ip = '192.0.2.7') => {
    for (let i = 0; i < n; i++) {
      await expect(login(`wrong password ${i}`, email, ip)).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
    }
  };

  describe('a failed login', () => {
    it('answers the same for a wrong password and an unknown email, after the same argon2 work', async () => {
      const verify = vi.mocked(argon2.verify);
      verify.mockClear();
      const wrong = await login('wrong password').catch((e: unknown) => e);
      const unknown = await login(PASSWORD, 'nobody@news.test').catch((e: unknown) => e);
      expect(wrong).toMatchObject({ code: 'LOGIN_FAILED', statusCode: 401 });
      expect(unknown).toMatchObject({ code: 'LOGIN_FAILED', statusCode: 401 });
      expect((unknown as Error).message).toBe((wrong as Error).message);
      // One verification each: the unknown email against a dummy hash of the same parameters.
      expect(verify).toHaveBeenCalledTimes(2);
      const [, dummy] = verify.mock.calls.map((c) => argon2.parseOptions(c[0] as string));
      expect(dummy).toMatchObject({
        memoryCost: PASSWORD_HASH_OPTIONS.memoryCost,
        timeCost: PASSWORD_HASH_OPTIONS.timeCost,
      });
    });

    it('refuses a password longer than any accepted without hashing it', async () => {
      const verify = vi.mocked(argon2.verify);
      verify.mockClear();
      await expect(login('x'.repeat(1_000_000))).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
      await expect(login(PASSWORD, 'x'.repeat(10_000))).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
      expect(verify).not.toHaveBeenCalled();
    });

    it('is recorded in the audit log with the email typed, the account as its subject, and no actor', async () => {
      await failures(1);
      await failures(1, 'nobody@news.test');
      const entries = (await accounts.audit.list({ action: 'login.failed' })).entries;
      expect(entries.map((e) => [e.actorId, e.subject, e.detail, e.ip])).toEqual([
        [undefined, undefined, { email: 'nobody@news.test' }, '192.0.2.7'],
        [undefined, `user:${edId}`, { email: 'ed@news.test' }, '192.0.2.7'],
      ]);
    });
  });

  describe('the account lock', () => {
    it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
      await failures(5);
      const refused = await login(PASSWORD).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'LOGIN_THROTTLED', statusCode: 429, details: { retryAfter: 900 } });
      clock.advance(10 * MINUTE);
      await expect(login(PASSWORD)).rejects.toMatchObject({ details: { retryAfter: 300 } });
      // From another address too: it is the account that is locked.
      await expect(login(PASSWORD, 'ed@news.test', '198.51.100.1')).rejects.toMatchObject({
        code: 'LOGIN_THROTTLED',
      });
      clock.advance(5 * MINUTE);
      expect((await login(PASSWORD)).session.user.email).toBe('ed@news.test');
      const lockouts = (await accounts.audit.list({ action: 'login.lockout' })).entries;
      expect(lockouts.map((e) => e.detail)).toEqual([{ email: 'ed@news.test', seconds: 900 }]);
    });

    it('locks an email nobody has the same way (the answer tells nothing)', async () => {
      await failures(5, 'nobody@news.test');
      await expect(login(PASSWORD, 'nobody@news.test')).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });
    });

    it('counts failures in a sliding window of 15 minutes', async () => {
      await failures(4);
      clock.advance(15 * MINUTE + 1);
      await failures(1);
      // The first four are out of the window: one failure in it.
      expect((await login(PASSWORD)).session).toBeDefined();
    });

    it('forgets the account’s failures after a successful login', async () => {
      await failures(4);
      await login(PASSWORD);
      await failures(4);
      expect((await login(PASSWORD)).session).toBeDefined();
    });

    it('holds across two instances of the site on one database', async () => {
      const other = await secondInstance();
      for (let i = 0; i < 5; i++) {
        const service = i % 2 ? other : accounts;
        await expect(login(`wrong ${i} password`, 'ed@news.test', '192.0.2.7', service)).rejects.toMatchObject({
          code: 'LOGIN_FAILED',
        });
      }
      await expect(login(PASSWORD, 'ed@news.test', '192.0.2.7', other)).rejects.toMatchObject({
        code: 'LOGIN_THROTTLED',
      });
      await expect(login(PASSWORD, 'ed@news.test', '192.0.2.7', accounts)).rejects.toMatchObject({
        code: 'LOGIN_THROTTLED',
      });
    });

    it('lets at most 5 concurrent guesses on two instances reach the password check', async () => {
      const other = await secondInstance();
      const verify = vi.mocked(argon2.verify);
      verify.mockClear();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          login(`guess number ${i}`, 'ed@news.test', `192.0.2.${i}`, i % 2 ? other : accounts),
        ),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'));
      expect(codes.filter((c) => c !== 'LOGIN_FAILED' && c !== 'LOGIN_THROTTLED')).toEqual([]);
      expect(codes.filter((c) => c === 'LOGIN_FAILED').length).toBeLessThanOrEqual(5);
      expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
    });
  });

  describe('the address limit', () => {
    it('refuses an address after 20 failures in 15 minutes, whichever accounts they tried', async () => {
      for (let i = 0; i < 20; i++) await failures(1, `user${i}@news.test`);
      await expect(login(PASSWORD)).rejects.toMatchObject({ code: 'LOGIN_THROTTLED', details: { scope: 'address' } });
      // Another address is not held back; nor is a neighbour in the same IPv4 range.
      expect((await login(PASSWORD, 'ed@news.test', '192.0.2.8')).session).toBeDefined();
      clock.advance(15 * MINUTE);
      expect((await login(PASSWORD)).session).toBeDefined();
    });

    it('counts an IPv6 /64 as one address', async () => {
      for (let i = 0; i < 20; i++) await failures(1, `user${i}@news.test`, `2001:db8:1:2::${i.toString(16)}`);
      await expect(login(PASSWORD, 'ed@news.test', '2001:db8:1:2:ffff::1')).rejects.toMatchObject({
        code: 'LOGIN_THROTTLED',
      });
      expect((await login(PASSWORD, 'ed@news.test', '2001:db8:1:3::1')).session).toBeDefined();
    });
  });

  it('rehashes, at login, a password hashed with other parameters', async () => {
    const weaker = await argon2.hash(PASSWORD, { ...PASSWORD_HASH_OPTIONS, timeCost: 1 });
    await t.database.db.updateTable('users').set({ password_hash: weaker }).execute();
    await login(PASSWORD);
    const { password_hash } = await t.database.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(argon2.parseOptions(password_hash)).toMatchObject({ algorithm: 2, timeCost: 2, memoryCost: 19_456 });
    expect((await login(PASSWORD)).session).toBeDefined();
  });
});
