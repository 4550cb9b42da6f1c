/**
 * The webhooks pages through real HTTP: admins only (editors and authors are
 * refused and never see the link), CSRF on every change, each change in the
 * audit log, the secret shown to the admin, deliveries' outcomes listed and
 * escaped.
 */
import { readFileSync } from 'node:fs';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { Desk } from '../../test/newsroom-client.js';
import { insertDeliveries, recordAttempt } from '../webhooks/webhook.repository.js';

describeTargets('the newsroom: webhooks on $dialect', (target) => {
  let t: TestApp;
  let admin: Desk;
  let editor: Desk;
  let author: Desk;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    admin = await Desk.setUp(t.app);
    editor = await admin.invite('editor');
    author = await admin.invite('author');
  });
  afterAll(() => t?.cleanup());

  let id = 0;

  it('lets an admin add a webhook, shows its secret, and records it in the audit log', async () => {
    const list = await admin.get('/admin/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/admin/webhooks"');
    const res = await admin.post('/admin/webhooks', {
      url: 'https://hooks.example/in?a=1&b=<2>',
      'event-published': 'article.published',
      'event-unpublished': 'article.unpublished',
    });
    expect(res.statusCode).toBe(303);
    id = Number(/\/admin\/webhooks\/(\d+)\?created=1$/.exec(String(res.headers.location))?.[1]);
    expect(id).toBeGreaterThan(0);
    const page = await admin.get(String(res.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('https://hooks.example/in?a=1&amp;b=&lt;2&gt;');
    expect(page.body).toContain('article.published, article.unpublished');
    const [hook] = await t.app.dateline.webhooks.list();
    expect(page.body).toContain(`<code>${hook!.secret}</code>`);
    expect(page.headers['cache-control']).toBe('private, no-store');

    const audit = await t.app.dateline.audit.list({ action: 'webhook.created' });
    expect(audit.entries).toEqual([
      expect.objectContaining({
        subject: `webhook:${id}`,
        detail: expect.not.objectContaining({ secret: expect.anything() }),
      }),
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain(hook!.secret);
  });

  it('lists each delivery’s outcome, escaped', async () => {
    const db = t.app.dateline.database.db;
    const [delivery] = await insertDeliveries(
      db,
      [{ webhookId: id, event: 'article.published', eventKey: 'k1', payload: '{}' }],
      new Date(),
    );
    await recordAttempt(db, delivery!, {
      status: 'retrying',
      attempts: 2,
      responseStatus: 502,
      error: 'The receiver answered <b>HTTP 502</b>',
      at: new Date(),
    });
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.body).toMatch(/<td>article\.published<\/td><td>retrying<\/td><td>2<\/td><td>HTTP 502<\/td>/);
    expect(page.body).toContain('The receiver answered &lt;b&gt;HTTP 502&lt;/b&gt;');
  });

  it('refuses a bad address or no event with 422 and says why, adding nothing', async () => {
    await admin.get('/admin/webhooks');
    const bad = await admin.post('/admin/webhooks', { url: 'javascript:alert(1)', 'event-updated': 'article.updated' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#f-url"');
    const none = await admin.post('/admin/webhooks', { url: 'https://hooks.example/x' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('href="#f-events"');
    expect(none.body).toContain('value="https://hooks.example/x"');
    expect(await t.app.dateline.webhooks.list()).toHaveLength(1);
  });

  it('are valid HTML: the list, a webhook with deliveries, a refused form', async () => {
    const config = JSON.parse(readFileSync(new URL('../../.htmlvalidate.json', import.meta.url), 'utf8')) as ConfigData;
    const validator = new HtmlValidate(config);
    const bodies: [string, string][] = [];
    for (const url of ['/admin/webhooks', `/admin/webhooks/${id}`, `/admin/webhooks/${id}?created=1`])
      bodies.push([url, (await admin.get(url)).body]);
    bodies.push(['refused', (await admin.post('/admin/webhooks', { url: 'nope' })).body]);
    const problems: string[] = [];
    for (const [name, body] of bodies)
      for (const result of (await validator.validateString(body, `${name}.html`)).results)
        for (const m of result.messages) problems.push(`${name}: ${m.ruleId} ${m.message} (line ${m.line})`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses a change without the CSRF token', async () => {
    const forged = await admin.post(
      '/admin/webhooks',
      { url: 'https://evil.example/', 'event-updated': 'article.updated' },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    const del = await admin.post(`/admin/webhooks/${id}/delete`, {}, { csrf: false });
    expect(del.statusCode).toBe(403);
    expect(await t.app.dateline.webhooks.list()).toHaveLength(1);
  });

  it('refuses editors and authors, who never see the link', async () => {
    for (const desk of [editor, author]) {
      const home = await desk.get('/admin');
      expect(home.body).not.toContain('/admin/webhooks');
      for (const url of ['/admin/webhooks', `/admin/webhooks/${id}`])
        expect((await desk.get(url)).statusCode).toBe(403);
      const post = await desk.post('/admin/webhooks', {
        url: 'https://evil.example/',
        'event-updated': 'article.updated',
      });
      expect(post.statusCode).toBe(403);
      expect((await desk.post(`/admin/webhooks/${id}/delete`)).statusCode).toBe(403);
      // Their secret never reaches them.
      expect((await desk.get(`/admin/webhooks/${id}`)).body).not.toContain('whsec_');
    }
    expect(await t.app.dateline.webhooks.list()).toHaveLength(1);
  });

  it('lets an admin remove a webhook, with its deliveries, in the audit log', async () => {
    await admin.get(`/admin/webhooks/${id}`);
    const res = await admin.post(`/admin/webhooks/${id}/delete`);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/webhooks']);
    expect(await t.app.dateline.webhooks.list()).toEqual([]);
    expect((await admin.get(`/admin/webhooks/${id}`)).statusCode).toBe(404);
    expect((await t.app.dateline.audit.list({ action: 'webhook.deleted' })).entries).toHaveLength(1);
  });
});
