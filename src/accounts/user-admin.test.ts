import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb, until } from '../../test/helpers.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { User } from './account.js';
import type { AccountsService } from './accounts.service.js';
import { accountsOn, emptyAccounts, OTHER_PASSWORD, PASSWORD, type TestClock, testClock } from './fixtures/accounts.js';
import { hashToken } from './tokens.js';

const DAY = 24 * 3_600_000;

describeTargets('managing users on $dialect', (target) => {
  let t: TestDb;
  let clock: TestClock;
  let accounts: AccountsService;
  /** Other connections to the same database: a second instance of the site. */
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
  });
  afterEach(async () => {
    for (const d of others.splice(0)) await d.close();
  });

  /** The accounts service of another instance on the same database (its own connections). */
  async function secondInstance(): Promise<AccountsService> {
    const database = await connect(t.url, { poolSize: 4 });
    others.push(database);
    return accountsOn(database, clock);
  }

  const firstAdmin = () => accounts.createFirstAdmin({ email: 'Ed@News.test', name: ' Ed ', password: PASSWORD });
  const actions = async () => (await accounts.audit.list({}, 100)).entries.map((e) => e.action).reverse();

  describe('the first admin', () => {
    it('is created while no user exists, and never again', async () => {
      expect(await accounts.hasUsers()).toBe(false);
      const admin = await firstAdmin();
      expect(admin).toMatchObject({ email: 'ed@news.test', name: 'Ed', role: 'admin', active: true });
      expect(await accounts.hasUsers()).toBe(true);
      await expect(
        accounts.createFirstAdmin({ email: 'mallory@news.test', name: 'Mallory', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'ACCOUNTS_ALREADY_SET_UP', statusCode: 409 });
      expect((await accounts.listUsers()).map((u) => u.email)).toEqual(['ed@news.test']);
      expect(await actions()).toEqual(['user.created']);
    });

    it('is created once when two instances race to create it: exactly one wins', async () => {
      const other = await secondInstance();
      const results = await Promise.allSettled([
        accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password: PASSWORD }),
        other.createFirstAdmin({ email: 'mallory@news.test', name: 'Mallory', password: PASSWORD }),
        accounts.createFirstAdmin({ email: 'eve@news.test', name: 'Eve', password: PASSWORD }),
        other.createFirstAdmin({ email: 'trent@news.test', name: 'Trent', password: PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'ACCOUNTS_ALREADY_SET_UP' });
      }
      expect(await accounts.listUsers()).toHaveLength(1);
    });

    // On PostgreSQL (read committed) both transactions can see an empty table: the unique constraint decides. Made
    // deterministic here: one insert is held uncommitted until the other is seen waiting on it.
    if (target.dialect === 'postgres') {
      it('is refused to the instance whose insert waited on another’s uncommitted first admin', async () => {
        const holder = await connect(t.url, { poolSize: 1 });
        others.push(holder);
        let release = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let holderPid = 0;
        let inserted = () => {};
        const insertedYet = new Promise<void>((resolve) => {
          inserted = resolve;
        });
        const held = holder.db.transaction().execute(async (trx) => {
          holderPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          const at = clock.now().toISOString();
          await trx
            .insertInto('users')
            .values({
              email: 'first@news.test',
              name: 'First',
              role: 'admin',
              password_hash: 'x',
              first_admin: 1,
              created_at: at,
              updated_at: at,
              password_changed_at: at,
            })
            .execute();
          inserted();
          await gate;
        });
        await insertedYet;
        const racing = accounts.createFirstAdmin({ email: 'second@news.test', name: 'Second', password: PASSWORD });
        racing.catch(() => {});
        await until(async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where ${holderPid} = any(pg_blocking_pids(pid))`.execute(t.database.db);
          return rows[0]!.n > 0;
        });
        release();
        await held;
        await expect(racing).rejects.toMatchObject({ code: 'ACCOUNTS_ALREADY_SET_UP' });
        expect((await accounts.listUsers()).map((u) => u.email)).toEqual(['first@news.test']);
      });
    }

    it('refuses a weak password or a bad email with INVALID_ACCOUNT, listing the problems', async () => {
      await expect(accounts.createFirstAdmin({ email: 'ed', name: 'Ed', password: 'short' })).rejects.toMatchObject({
        code: 'INVALID_ACCOUNT',
        statusCode: 422,
        details: {
          problems: [
            { field: 'email', problem: 'not an email address' },
            { field: 'password', problem: 'at least 10 characters' },
          ],
        },
      });
      expect(await accounts.hasUsers()).toBe(false);
    });
  });

  describe('accounts made by an admin or the operator', () => {
    let admin: User;
    beforeEach(async () => {
      admin = await firstAdmin();
    });

    it('creates users with a role; an email is taken whatever its case', async () => {
      const amy = await accounts.createUser(admin, {
        email: 'amy@news.test',
        name: 'Amy',
        role: 'author',
        password: PASSWORD,
      });
      expect(amy).toMatchObject({ role: 'author', active: true });
      const cli = await accounts.createUser('operator', {
        email: 'ops@news.test',
        name: 'Ops',
        role: 'editor',
        password: PASSWORD,
      });
      expect(cli.role).toBe('editor');
      await expect(
        accounts.createUser(admin, { email: 'AMY@news.test', name: 'Amy 2', role: 'author', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'EMAIL_TAKEN', statusCode: 409 });
      const entries = (await accounts.audit.list({ action: 'user.created' })).entries;
      expect(entries.map((e) => [e.actorId, e.subject, e.detail])).toEqual([
        [undefined, `user:${cli.id}`, { by: 'operator', role: 'editor' }],
        [admin.id, `user:${amy.id}`, { role: 'author' }],
        [admin.id, `user:${admin.id}`, { role: 'admin', firstAdmin: true }],
      ]);
    });

    it('lets only admins manage users (FORBIDDEN for an editor)', async () => {
      const editor = await accounts.createUser(admin, {
        email: 'ella@news.test',
        name: 'Ella',
        role: 'editor',
        password: PASSWORD,
      });
      const input = { email: 'x@news.test', name: 'X', role: 'admin' as const, password: PASSWORD };
      await expect(accounts.createUser(editor, input)).rejects.toMatchObject({ code: 'FORBIDDEN', statusCode: 403 });
      await expect(accounts.invite(editor, { email: 'x@news.test', role: 'admin' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(accounts.changeRole(editor, editor.id, 'admin')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(accounts.deactivate(editor, admin.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(accounts.createPasswordReset(editor, 'ed@news.test')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await accounts.listUsers()).toHaveLength(2);
    });

    it('changes a role at once for the signed-in user, and keeps the last active admin', async () => {
      const amy = await accounts.createUser(admin, {
        email: 'amy@news.test',
        name: 'Amy',
        role: 'author',
        password: PASSWORD,
      });
      const { token } = await accounts.login({ email: 'amy@news.test', password: PASSWORD });
      await accounts.changeRole(admin, amy.id, 'editor', { ip: '192.0.2.1' });
      expect((await accounts.session(token))?.user.role).toBe('editor');
      const [entry] = (await accounts.audit.list({ action: 'user.roleChanged' })).entries;
      expect(entry).toMatchObject({ actorId: admin.id, subject: `user:${amy.id}`, ip: '192.0.2.1' });
      expect(entry?.detail).toEqual({ from: 'author', to: 'editor' });

      await expect(accounts.changeRole(admin, admin.id, 'editor')).rejects.toMatchObject({
        code: 'LAST_ADMIN',
        statusCode: 409,
      });
      await accounts.changeRole(admin, amy.id, 'admin');
      expect((await accounts.changeRole(admin, admin.id, 'editor')).role).toBe('editor');
      await expect(accounts.changeRole('operator', amy.id, 'author')).rejects.toMatchObject({ code: 'LAST_ADMIN' });
      await expect(accounts.changeRole('operator', 9999, 'author')).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      await expect(accounts.changeRole('operator', amy.id, 'owner' as 'admin')).rejects.toMatchObject({
        code: 'INVALID_ACCOUNT',
      });
    });

    it('deactivates a user: their sessions end, they cannot sign in, and the last admin stays', async () => {
      const amy = await accounts.createUser(admin, {
        email: 'amy@news.test',
        name: 'Amy',
        role: 'author',
        password: PASSWORD,
      });
      const first = await accounts.login({ email: 'amy@news.test', password: PASSWORD });
      const second = await accounts.login({ email: 'amy@news.test', password: PASSWORD });
      const deactivated = await accounts.deactivate(admin, amy.id);
      expect(deactivated).toMatchObject({ active: false, deactivatedAt: clock.now() });
      expect(await accounts.session(first.token)).toBeUndefined();
      expect(await accounts.session(second.token)).toBeUndefined();
      await expect(accounts.login({ email: 'amy@news.test', password: PASSWORD })).rejects.toMatchObject({
        code: 'LOGIN_FAILED',
      });
      const [entry] = (await accounts.audit.list({ action: 'user.deactivated' })).entries;
      expect(entry?.detail).toEqual({ sessionsEnded: 2 });
      await expect(accounts.deactivate(admin, admin.id)).rejects.toMatchObject({ code: 'LAST_ADMIN' });

      expect((await accounts.reactivate(admin, amy.id)).active).toBe(true);
      expect((await accounts.login({ email: 'amy@news.test', password: PASSWORD })).session.user.id).toBe(amy.id);
    });
  });

  describe('invitations', () => {
    let admin: User;
    beforeEach(async () => {
      admin = await firstAdmin();
    });

    it('turns into a user once, with the invited email and role; only the token’s hash is stored', async () => {
      const { token, invitation } = await accounts.invite(admin, { email: 'Amy@News.test', role: 'contributor' });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(invitation).toMatchObject({ email: 'amy@news.test', role: 'contributor', invitedBy: admin.id });
      expect(invitation.expiresAt.getTime() - clock.now().getTime()).toBe(7 * DAY);
      const stored = await t.database.db.selectFrom('invitations').selectAll().execute();
      expect(stored.map((r) => r.token_hash)).toEqual([hashToken(token)]);
      expect(JSON.stringify(stored)).not.toContain(token);

      expect(await accounts.invitation(token)).toMatchObject({ email: 'amy@news.test', role: 'contributor' });
      const amy = await accounts.acceptInvitation(token, { name: 'Amy', password: PASSWORD });
      expect(amy).toMatchObject({ email: 'amy@news.test', role: 'contributor', name: 'Amy' });
      expect((await accounts.login({ email: 'amy@news.test', password: PASSWORD })).session.user.id).toBe(amy.id);

      await expect(accounts.acceptInvitation(token, { name: 'Amy', password: OTHER_PASSWORD })).rejects.toMatchObject({
        code: 'TOKEN_USED',
        statusCode: 410,
      });
      await expect(accounts.invitation(token)).rejects.toMatchObject({ code: 'TOKEN_USED' });
      expect(await actions()).toEqual(['user.created', 'user.invited', 'user.created', 'login']);
    });

    it('refuses an unknown, malformed or expired token with its own code', async () => {
      const { token } = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
      const unknown = 'A'.repeat(43);
      for (const bad of [unknown, 'short', '', 'x'.repeat(10_000)]) {
        await expect(accounts.acceptInvitation(bad, { name: 'Amy', password: PASSWORD })).rejects.toMatchObject({
          code: 'TOKEN_INVALID',
          statusCode: 404,
        });
      }
      clock.advance(7 * DAY - 1);
      expect(await accounts.invitation(token)).toMatchObject({ email: 'amy@news.test' });
      clock.advance(1);
      await expect(accounts.acceptInvitation(token, { name: 'Amy', password: PASSWORD })).rejects.toMatchObject({
        code: 'TOKEN_EXPIRED',
        statusCode: 410,
      });
      expect(await accounts.findUserByEmail('amy@news.test')).toBeUndefined();
    });

    it('does not spend the token on a password that cannot be used', async () => {
      const { token } = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
      await expect(accounts.acceptInvitation(token, { name: 'Amy', password: 'short' })).rejects.toMatchObject({
        code: 'INVALID_ACCOUNT',
      });
      expect((await accounts.acceptInvitation(token, { name: 'Amy', password: PASSWORD })).role).toBe('author');
    });

    it('is accepted once when two instances race with the same link', async () => {
      const other = await secondInstance();
      const { token } = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
      const results = await Promise.allSettled([
        accounts.acceptInvitation(token, { name: 'Amy', password: PASSWORD }),
        other.acceptInvitation(token, { name: 'Amy B', password: OTHER_PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toMatchObject({ code: 'TOKEN_USED' });
      expect((await accounts.listUsers()).map((u) => u.email)).toEqual(['amy@news.test', 'ed@news.test']);
    });

    it('replaces a pending invitation for the same email, can be revoked, and is refused for an existing user', async () => {
      const first = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
      const second = await accounts.invite(admin, { email: 'amy@news.test', role: 'editor' });
      await expect(accounts.invitation(first.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
      expect((await accounts.listInvitations()).map((i) => i.role)).toEqual(['editor']);
      expect(await accounts.revokeInvitation(admin, second.invitation.id)).toBe(true);
      expect(await accounts.revokeInvitation(admin, second.invitation.id)).toBe(false);
      await expect(accounts.invitation(second.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
      await expect(accounts.invite(admin, { email: 'ED@news.test', role: 'author' })).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
      });
    });

    it('refuses acceptance when the email got an account meanwhile (EMAIL_TAKEN), leaving the link unused', async () => {
      const { token } = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
      await accounts.createUser(admin, { email: 'amy@news.test', name: 'Amy', role: 'editor', password: PASSWORD });
      await expect(accounts.acceptInvitation(token, { name: 'Amy', password: PASSWORD })).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
      });
      expect((await accounts.listInvitations()).map((i) => i.acceptedAt)).toEqual([undefined]);
    });
  });
});
