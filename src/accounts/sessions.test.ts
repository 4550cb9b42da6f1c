import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import type { User } from './account.js';
import type { AccountsService } from './accounts.service.js';
import { accountsOn, emptyAccounts, OTHER_PASSWORD, PASSWORD, type TestClock, testClock } from './fixtures/accounts.js';
import { hashToken } from './tokens.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeTargets('sessions and passwords on $dialect', (target) => {
  let t: TestDb;
  let clock: TestClock;
  let accounts: AccountsService;
  let ed: User;
  beforeAll(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await emptyAccounts(t.database);
    clock = testClock();
    accounts = accountsOn(t.database, clock);
    ed = await accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password: PASSWORD });
  });

  const login = (password = PASSWORD) => accounts.login({ email: 'ed@news.test', password, ip: '192.0.2.7' });
  const lastSeen = async (id: number) => {
    const row = await t.database.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return new Date(row.last_seen_at).toISOString();
  };

  describe('a session', () => {
    it('is created at login and found by its token, which the database keeps only as a hash', async () => {
      const { token, session } = await login();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.user).toMatchObject({ id: ed.id, email: 'ed@news.test', role: 'admin' });
      expect(session.expiresAt.getTime() - clock.now().getTime()).toBe(30 * DAY);
      expect(session.idleExpiresAt.getTime() - clock.now().getTime()).toBe(12 * HOUR);
      const found = await accounts.session(token);
      expect(found).toMatchObject({ id: session.id, user: { id: ed.id, lastLoginAt: clock.now() } });
      expect(found?.csrfSecret).toBe(session.csrfSecret);

      const rows = await t.database.db.selectFrom('sessions').selectAll().execute();
      expect(rows.map((r) => r.token_hash)).toEqual([hashToken(token)]);
      expect(JSON.stringify(rows)).not.toContain(token);
      const [entry] = (await accounts.audit.list({ action: 'login' })).entries;
      expect(entry).toMatchObject({ actorId: ed.id, ip: '192.0.2.7' });
    });

    it('is not found for an unknown, malformed or huge token', async () => {
      await login();
      for (const token of ['A'.repeat(43), 'short', '', 'x'.repeat(100_000), undefined, 42]) {
        expect(await accounts.session(token)).toBeUndefined();
      }
    });

    it('ends after 12 idle hours, and use keeps it going', async () => {
      const { token, session } = await login();
      clock.advance(11 * HOUR);
      expect((await accounts.session(token))?.idleExpiresAt).toEqual(new Date(clock.now().getTime() + 12 * HOUR));
      clock.advance(12 * HOUR - 1);
      expect(await accounts.session(token)).toBeDefined();
      clock.advance(12 * HOUR);
      expect(await accounts.session(token)).toBeUndefined();
      // An expired session is deleted when met.
      expect(await t.database.db.selectFrom('sessions').select('id').where('id', '=', session.id).execute()).toEqual(
        [],
      );
    });

    it('records its use at most once a minute', async () => {
      const { token, session } = await login();
      const started = clock.now().toISOString();
      clock.advance(59_999);
      await accounts.session(token);
      expect(await lastSeen(session.id)).toBe(started);
      clock.advance(1);
      await accounts.session(token);
      expect(await lastSeen(session.id)).toBe(clock.now().toISOString());
    });

    it('ends 30 days after login however much it is used', async () => {
      const { token } = await login();
      const ends = clock.now().getTime() + 30 * DAY;
      // Used every 11 hours: never idle for 12.
      while (ends - clock.now().getTime() > 11 * HOUR) {
        clock.advance(11 * HOUR);
        expect(await accounts.session(token)).toBeDefined();
      }
      clock.advance(ends - clock.now().getTime() - 1);
      const last = await accounts.session(token);
      expect(last?.idleExpiresAt).toEqual(last?.expiresAt);
      clock.advance(1);
      expect(await accounts.session(token)).toBeUndefined();
    });

    it('ends at logout; "log out everywhere" ends them all, for the user or an admin only', async () => {
      const first = await login();
      const second = await login();
      await accounts.logout(first.token, { ip: '192.0.2.7' });
      expect(await accounts.session(first.token)).toBeUndefined();
      expect(await accounts.session(second.token)).toBeDefined();
      await accounts.logout(first.token);
      await accounts.logout('not a token');

      const amy = await accounts.createUser(ed, {
        email: 'amy@news.test',
        name: 'Amy',
        role: 'author',
        password: PASSWORD,
      });
      const amys = await accounts.login({ email: 'amy@news.test', password: PASSWORD });
      await expect(accounts.logoutEverywhere(amy, ed.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const third = await login();
      expect(await accounts.logoutEverywhere(ed, ed.id)).toBe(2);
      expect(await accounts.session(second.token)).toBeUndefined();
      expect(await accounts.session(third.token)).toBeUndefined();
      expect(await accounts.session(amys.token)).toBeDefined();
      expect(await accounts.logoutEverywhere(amy, amy.id)).toBe(1);
      expect((await accounts.audit.list({ action: 'logout' })).entries).toHaveLength(1);
      expect((await accounts.audit.list({ action: 'logout.everywhere' })).entries.map((e) => e.detail)).toEqual([
        { sessions: 1 },
        { sessions: 2 },
      ]);
    });

    it('answers the CSRF token of its own session only', async () => {
      const a = (await login()).session;
      const b = (await login()).session;
      expect(accounts.verifyCsrf(a, accounts.csrfToken(a))).toBe(true);
      expect(accounts.verifyCsrf(b, accounts.csrfToken(a))).toBe(false);
      expect(a.csrfSecret).not.toBe(b.csrfSecret);
    });
  });

  describe('changing a password', () => {
    it('asks for the current password, keeps this session and ends the others', async () => {
      const here = await login();
      const elsewhere = await login();
      await expect(accounts.changePassword(here.session, 'not my password', OTHER_PASSWORD)).rejects.toMatchObject({
        code: 'WRONG_PASSWORD',
        statusCode: 403,
      });
      await expect(accounts.changePassword(here.session, PASSWORD, 'too short')).rejects.toMatchObject({
        code: 'INVALID_ACCOUNT',
      });
      await accounts.changePassword(here.session, PASSWORD, OTHER_PASSWORD, { ip: '192.0.2.7' });
      expect(await accounts.session(here.token)).toBeDefined();
      expect(await accounts.session(elsewhere.token)).toBeUndefined();
      await expect(login(PASSWORD)).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
      expect((await login(OTHER_PASSWORD)).session.user.id).toBe(ed.id);
      const actions = (await accounts.audit.list({ actorId: ed.id })).entries.map((e) => e.action);
      expect(actions).toContain('password.changed');
      expect(actions).toContain('password.changeFailed');
    });

    it('is throttled like a login: five wrong current passwords lock the account', async () => {
      const { session } = await login();
      for (let i = 0; i < 5; i++) {
        await expect(accounts.changePassword(session, `wrong password ${i}`, OTHER_PASSWORD)).rejects.toMatchObject({
          code: 'WRONG_PASSWORD',
        });
      }
      await expect(accounts.changePassword(session, PASSWORD, OTHER_PASSWORD)).rejects.toMatchObject({
        code: 'LOGIN_THROTTLED',
      });
    });
  });

  describe('resetting a password', () => {
    it('works once with the operator’s link, ends every session and lifts a lockout', async () => {
      const session = await login();
      for (let i = 0; i < 5; i++) await expect(login(`wrong password ${i}`)).rejects.toMatchObject({});
      await expect(login()).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });

      const link = await accounts.createPasswordReset('operator', 'ED@news.test');
      expect(link.expiresAt.getTime() - clock.now().getTime()).toBe(HOUR);
      expect(JSON.stringify(await t.database.db.selectFrom('password_resets').selectAll().execute())).not.toContain(
        link.token,
      );
      await expect(accounts.resetPasswordWithToken(link.token, 'short')).rejects.toMatchObject({
        code: 'INVALID_ACCOUNT',
      });
      expect((await accounts.resetPasswordWithToken(link.token, OTHER_PASSWORD)).id).toBe(ed.id);
      expect(await accounts.session(session.token)).toBeUndefined();
      expect((await login(OTHER_PASSWORD)).session.user.id).toBe(ed.id);
      await expect(accounts.resetPasswordWithToken(link.token, 'yet another passphrase')).rejects.toMatchObject({
        code: 'TOKEN_USED',
        statusCode: 410,
      });
      const actions = (await accounts.audit.list()).entries.map((e) => e.action);
      expect(actions).toContain('password.reset');
      expect(actions).toContain('password.resetIssued');
    });

    it('refuses an expired, replaced or unknown link, and an unknown email', async () => {
      const old = await accounts.createPasswordReset(ed, 'ed@news.test');
      const latest = await accounts.createPasswordReset(ed, 'ed@news.test');
      await expect(accounts.resetPasswordWithToken(old.token, OTHER_PASSWORD)).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
      });
      await expect(accounts.resetPasswordWithToken('A'.repeat(43), OTHER_PASSWORD)).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
      });
      clock.advance(HOUR);
      await expect(accounts.resetPasswordWithToken(latest.token, OTHER_PASSWORD)).rejects.toMatchObject({
        code: 'TOKEN_EXPIRED',
      });
      await expect(accounts.createPasswordReset('operator', 'nobody@news.test')).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      expect((await login()).session.user.id).toBe(ed.id);
    });
  });

  it('prunes expired sessions, spent links and old login attempts', async () => {
    const kept = await login();
    await login();
    await expect(login('wrong password')).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
    await accounts.createPasswordReset('operator', 'ed@news.test');
    clock.advance(11 * HOUR);
    await accounts.session(kept.token);
    clock.advance(2 * HOUR);
    expect(await accounts.prune()).toEqual({ sessions: 1, loginAttempts: 2, passwordResets: 1, invitations: 0 });
    expect(await accounts.session(kept.token)).toBeDefined();
  });
});
