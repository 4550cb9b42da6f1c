/**
 * Getting into the newsroom, and what it lets each person do, through real
 * HTTP: the first administrator, logging in and out, CSRF on every change,
 * throttled logins, sessions that end, roles enforced on every route, the
 * site's settings and the audit log; nothing the newsroom answers may be
 * kept by a cache.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { Desk, PASSWORD } from '../../test/newsroom-client.js';
import { SESSION_COOKIE } from '../web/page-response.js';

describeTargets('the newsroom: access on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let admin: Desk;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
  });
  afterAll(() => t.cleanup());

  describe('a site without users', () => {
    it('sends every newsroom page to the set-up form, and answers its API with 401 JSON', async () => {
      const page = await app.inject('/admin/articles/new');
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/admin/setup');
      expect(page.headers['cache-control']).toBe('private, no-store');

      const api = await app.inject({
        method: 'PUT',
        url: '/admin/api/articles/1',
        payload: { version: 1, fields: {} },
      });
      expect(api.statusCode).toBe(401);
      expect(api.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    });

    it('refuses the set-up form without its CSRF token, and creates nobody', async () => {
      const stranger = new Desk(app);
      await stranger.get('/admin/setup');
      const forged = await stranger.post(
        '/admin/setup',
        { name: 'Mallory', email: 'mallory@evil.test', password: PASSWORD },
        { csrf: false },
      );
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain('This form has expired');
      // A token from another visitor's cookie is no better.
      const other = new Desk(app);
      await other.get('/admin/setup');
      const crossed = await stranger.post(
        '/admin/setup',
        { name: 'Mallory', email: 'mallory@evil.test', password: PASSWORD },
        { csrf: other.csrf! },
      );
      expect(crossed.statusCode).toBe(403);
      expect(await app.dateline.accounts.hasUsers()).toBe(false);
    });

    it('shows a weak password back on the form, the name and email kept', async () => {
      const desk = new Desk(app);
      await desk.get('/admin/setup');
      const res = await desk.post('/admin/setup', { name: 'Ada Admin', email: 'ada@news.test', password: 'short' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('value="ada@news.test"');
      expect(res.body).toMatch(/class="field-error"/);
      expect(await app.dateline.accounts.hasUsers()).toBe(false);
    });

    it('makes the first account the administrator, signed in at once; the form is then closed', async () => {
      admin = await Desk.setUp(app);
      expect(admin.cookies.get(SESSION_COOKIE)).toMatch(/.{20,}/);
      const desk = await admin.get('/admin');
      expect(desk.statusCode).toBe(200);
      expect(desk.body).toContain('Ada Admin (admin)');
      expect(desk.headers['cache-control']).toBe('private, no-store');
      expect(desk.body).toContain('<meta name="robots" content="noindex, nofollow">');

      const again = new Desk(app);
      expect((await again.get('/admin/setup')).headers.location).toBe('/admin/login');
      await again.get('/admin/login');
      const late = await again.post('/admin/setup', { name: 'Late', email: 'late@news.test', password: PASSWORD });
      expect(late.statusCode).toBe(303);
      expect(late.headers.location).toBe('/admin/login');
      expect((await app.dateline.accounts.listUsers()).map((u) => u.email)).toEqual(['ada@news.test']);
    });
  });

  describe('logging in and out', () => {
    it('logs in and goes where the person was going, but never to another site', async () => {
      const desk = new Desk(app);
      const bounced = await desk.get('/admin/articles/new');
      expect(bounced.headers.location).toBe('/admin/login?next=%2Fadmin%2Farticles%2Fnew');
      await desk.get(String(bounced.headers.location));
      const res = await desk.post('/admin/login', {
        email: 'ADA@news.test',
        password: PASSWORD,
        next: '/admin/articles/new',
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/articles/new');

      for (const next of ['//evil.test/x', 'https://evil.test/', '/admin//evil.test', '/elsewhere']) {
        const other = new Desk(app);
        await other.get('/admin/login');
        const out = await other.post('/admin/login', { email: 'ada@news.test', password: PASSWORD, next });
        expect(out.headers.location, next).toBe('/admin');
      }
    });

    it('says a wrong password without saying whether the account exists, and keeps the email', async () => {
      const desk = new Desk(app);
      await desk.get('/admin/login');
      const wrong = await desk.post('/admin/login', { email: 'ada@news.test', password: 'not the password' });
      const unknown = await desk.post('/admin/login', { email: 'nobody@news.test', password: 'not the password' });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.body).toContain('That email and password do not match an account.');
      expect(unknown.body).toContain('That email and password do not match an account.');
      expect(wrong.body).toContain('value="ada@news.test"');
      expect(desk.cookies.has(SESSION_COOKIE)).toBe(false);
    });

    it('locks an account after five failures, even for the right password, and says when to come back', async () => {
      const victim = await admin.invite('author', 'locked@news.test');
      const attacker = new Desk(app);
      await attacker.get('/admin/login');
      for (let i = 0; i < 5; i++) {
        const res = await attacker.post('/admin/login', { email: 'locked@news.test', password: `guess ${i}` });
        expect(res.statusCode).toBe(401);
      }
      const locked = await attacker.post('/admin/login', { email: 'locked@news.test', password: PASSWORD });
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body).toContain('Too many attempts');
      // The session the person already had is not touched.
      expect((await victim.get('/admin')).statusCode).toBe(200);
    });

    it('logs out: the cookie is cleared and the session is over on the server too', async () => {
      const desk = new Desk(app);
      await desk.get('/admin/login');
      await desk.post('/admin/login', { email: 'ada@news.test', password: PASSWORD });
      const stolen = desk.cookies.get(SESSION_COOKIE)!;
      await desk.get('/admin');
      const out = await desk.post('/admin/logout');
      expect(out.headers.location).toBe('/admin/login');
      expect(desk.cookies.has(SESSION_COOKIE)).toBe(false);
      const replay = await app.inject({ url: '/admin', headers: { cookie: `${SESSION_COOKIE}=${stolen}` } });
      expect(replay.statusCode).toBe(303);
      expect(replay.headers.location).toMatch(/^\/admin\/login/);
    });

    it('ends a session that has been idle too long', async () => {
      const desk = new Desk(app);
      await desk.get('/admin/login');
      await desk.post('/admin/login', { email: 'ada@news.test', password: PASSWORD });
      expect((await desk.get('/admin')).statusCode).toBe(200);
      const longAgo = new Date(Date.now() - 30 * 24 * 3600_000);
      const at = app.dateline.database.dialect === 'postgres' ? longAgo : longAgo.toISOString();
      await app.dateline.database.db
        .updateTable('sessions')
        .set({ last_seen_at: at as never })
        .where('user_id', '=', (await app.dateline.accounts.listUsers()).find((u) => u.role === 'admin')!.id)
        .execute();
      expect((await desk.get('/admin')).statusCode).toBe(303);
      // The test's own administrator signs in again.
      await admin.get('/admin/login');
      await admin.post('/admin/login', { email: 'ada@news.test', password: PASSWORD });
      expect((await admin.get('/admin')).statusCode).toBe(200);
    });
  });

  describe('CSRF on every change', () => {
    it("refuses a signed-in person's form without the session's token, and one with another session's token", async () => {
      const author = await admin.invite('author');
      await author.get('/admin/articles/new');
      const form = { headline: 'Forged', section: 'World', body_text: 'A forged article.' };
      expect((await author.post('/admin/articles', form, { csrf: false })).statusCode).toBe(403);
      expect((await author.post('/admin/articles', form, { csrf: admin.csrf! })).statusCode).toBe(403);
      expect((await author.post('/admin/articles', form, { csrf: 'x'.repeat(43) })).statusCode).toBe(403);
      const api = await author.json('PUT', '/admin/api/articles/1', { version: 1, fields: {} }, { csrf: false });
      expect(api.statusCode).toBe(403);
      expect(api.json()).toMatchObject({ error: { code: 'CSRF_INVALID' } });
      const forged = await app.dateline.database.db
        .selectFrom('articles')
        .select('id')
        .where('headline', '=', 'Forged')
        .execute();
      expect(forged).toEqual([]);
    });
  });

  describe('roles', () => {
    let author: Desk;
    let editor: Desk;
    let contributor: Desk;

    beforeAll(async () => {
      author = await admin.invite('author');
      editor = await admin.invite('editor');
      contributor = await admin.invite('contributor');
    });

    it('shows each person only the navigation they may use', async () => {
      const nav = async (desk: Desk) =>
        [...(await desk.get('/admin')).body.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1]);
      expect(await nav(admin)).toEqual(
        expect.arrayContaining(['/admin/users', '/admin/settings', '/admin/audit', '/admin/sections']),
      );
      expect(await nav(editor)).toContain('/admin/sections');
      expect(await nav(editor)).not.toContain('/admin/users');
      expect(await nav(author)).not.toContain('/admin/sections');
      expect(await nav(contributor)).not.toContain('/admin/settings');
    });

    it('answers 403 to a person who types the address of a page their role does not open', async () => {
      for (const url of ['/admin/users', '/admin/settings', '/admin/audit']) {
        const res = await editor.get(url);
        expect(res.statusCode, url).toBe(403);
        expect(res.body).toContain('class="admin-nav"');
      }
      expect((await author.get('/admin/sections')).statusCode).toBe(403);
      await author.get('/admin');
      const invite = await author.post('/admin/users/invite', { email: 'friend@news.test', role: 'admin' });
      expect(invite.statusCode).toBe(403);
    });

    it('ends the sessions of a deactivated person at once', async () => {
      const leaving = await admin.invite('author', 'leaving@news.test');
      expect((await leaving.get('/admin')).statusCode).toBe(200);
      const id = (await app.dateline.accounts.listUsers()).find((u) => u.email === 'leaving@news.test')!.id;
      await admin.get('/admin/users');
      expect((await admin.post(`/admin/users/${id}/deactivate`)).statusCode).toBe(303);
      expect((await leaving.get('/admin')).statusCode).toBe(303);
      const back = new Desk(app);
      await back.get('/admin/login');
      expect((await back.post('/admin/login', { email: 'leaving@news.test', password: PASSWORD })).statusCode).toBe(
        401,
      );
    });

    it('will not let the last administrator demote themself', async () => {
      const me = (await app.dateline.accounts.listUsers()).find((u) => u.email === 'ada@news.test')!;
      await admin.get('/admin/users');
      const res = await admin.post(`/admin/users/${me.id}/role`, { role: 'author' });
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('at least one active administrator');
      expect((await app.dateline.accounts.getUser(me.id))!.role).toBe('admin');
    });
  });

  describe('settings and the audit log', () => {
    it("changes the site's name for readers at once, and refuses a time zone that does not exist", async () => {
      expect((await app.inject('/')).body).not.toContain('The Harbour Times');
      await admin.get('/admin/settings');
      const bad = await admin.post('/admin/settings', {
        siteName: 'The Harbour Times',
        siteDescription: '',
        logo: '',
        timeZone: 'Mars/Olympus',
        weatherCity: 'Kyiv',
        weatherUnits: 'celsius',
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('not a time zone');
      expect(app.dateline.settings.current().siteName).not.toBe('The Harbour Times');

      const good = await admin.post('/admin/settings', {
        siteName: 'The Harbour Times',
        siteDescription: 'News from the harbour',
        logo: '',
        timeZone: 'Europe/Kyiv',
        weatherCity: 'Kyiv',
        weatherUnits: 'celsius',
      });
      expect(good.statusCode).toBe(200);
      expect(good.body).toContain('The site shows the new settings now');
      expect(app.dateline.settings.current()).toMatchObject({ siteName: 'The Harbour Times', timeZone: 'Europe/Kyiv' });
      expect((await app.inject('/')).body).toContain('The Harbour Times');
    });

    it('lists who did what, newest first, filtered by action', async () => {
      const page = await admin.get('/admin/audit');
      expect(page.statusCode).toBe(200);
      for (const action of ['settings.changed', 'user.deactivated', 'login.failed', 'user.invited'])
        expect(page.body, action).toContain(action);
      const failed = await admin.get('/admin/audit?action=login.failed');
      expect(failed.body).toContain('login.failed');
      expect(failed.body).not.toContain('settings.changed');
    });
  });
});
