/**
 * The feed sources page through real HTTP: editors and admins (authors are
 * refused and never see the link), CSRF on every change, each change in the
 * audit log, each source's status listed and escaped, valid HTML.
 */
import { readFileSync } from 'node:fs';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { Desk } from '../../test/newsroom-client.js';
import { recordFailure } from '../sources/source.repository.js';

describeTargets('the newsroom: feed sources on $dialect', (target) => {
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

  it('lets an editor add a source, listed with its status, in the audit log', async () => {
    const list = await editor.get('/admin/sources');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No source yet.');
    const res = await editor.post('/admin/sources', {
      url: 'https://wire.example/world.xml?a=1&b=<2>',
      section: 'World',
      mode: 'publish',
      interval: '10m',
      name: 'Harbour <Wire>',
      licence: 'Agreement 2026',
    });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/sources']);
    const [source] = await t.app.dateline.sources.list();
    expect(source).toMatchObject({
      section: 'World',
      mode: 'publish',
      intervalSeconds: 600,
      licence: 'Agreement 2026',
    });
    await recordFailure(t.app.dateline.database.db, source!.id, {
      at: new Date(),
      reason: 'SOURCE_NOT_A_FEED: an HTML page, not a feed (<script>)',
      nextPollAt: new Date(Date.now() + 3_600_000),
    });
    const page = await editor.get('/admin/sources');
    expect(page.body).toContain('Harbour &lt;Wire&gt;');
    expect(page.body).toContain('https://wire.example/world.xml?a=1&amp;b=%3C2%3E');
    expect(page.body).toContain(
      '<strong>Failing</strong> (1 in a row): SOURCE_NOT_A_FEED: an HTML page, not a feed (&lt;script&gt;)',
    );
    expect(page.body).toContain('<td>10m</td>');
    expect(page.headers['cache-control']).toBe('private, no-store');
    const audit = await t.app.dateline.audit.list({ action: 'source.added' });
    expect(audit.entries).toEqual([expect.objectContaining({ subject: `source:${source!.id}` })]);
  });

  it('refuses a bad source with 422 and a duplicate with 409, saying why and keeping what was typed', async () => {
    const bad = await editor.post('/admin/sources', {
      url: 'javascript:alert(1)',
      section: '',
      mode: 'draft',
      interval: 'soon',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('There is a problem');
    for (const field of ['url', 'section', 'interval']) expect(bad.body).toContain(`href="#f-${field}"`);
    const dup = await editor.post('/admin/sources', {
      url: 'https://wire.example/world.xml?a=1&b=<2>',
      section: 'World',
      mode: 'draft',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('A source with this address exists');
    expect(await t.app.dateline.sources.list()).toHaveLength(1);
  });

  it('is valid HTML: the list with a source, and a refused form', async () => {
    const config = JSON.parse(readFileSync(new URL('../../.htmlvalidate.json', import.meta.url), 'utf8')) as ConfigData;
    const validator = new HtmlValidate(config);
    const bodies: [string, string][] = [
      ['list', (await admin.get('/admin/sources')).body],
      ['refused', (await admin.post('/admin/sources', { url: 'nope', section: 'World', mode: 'draft' })).body],
    ];
    const problems: string[] = [];
    for (const [name, body] of bodies)
      for (const result of (await validator.validateString(body, `${name}.html`)).results)
        for (const m of result.messages) problems.push(`${name}: ${m.ruleId} ${m.message} (line ${m.line})`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses a change without the CSRF token, and authors altogether', async () => {
    const [source] = await t.app.dateline.sources.list();
    const forged = await editor.post(
      '/admin/sources',
      { url: 'https://evil.example/', section: 'W', mode: 'draft' },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    expect((await editor.post(`/admin/sources/${source!.id}/delete`, {}, { csrf: false })).statusCode).toBe(403);
    expect((await author.get('/admin')).body).not.toContain('/admin/sources');
    expect((await author.get('/admin/sources')).statusCode).toBe(403);
    expect(
      (await author.post('/admin/sources', { url: 'https://evil.example/', section: 'W', mode: 'draft' })).statusCode,
    ).toBe(403);
    expect((await author.post(`/admin/sources/${source!.id}/delete`)).statusCode).toBe(403);
    expect(await t.app.dateline.sources.list()).toHaveLength(1);
  });

  it('lets an admin remove a source, in the audit log; its articles stay', async () => {
    const [source] = await t.app.dateline.sources.list();
    await admin.get('/admin/sources');
    const res = await admin.post(`/admin/sources/${source!.id}/delete`);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/sources']);
    expect(await t.app.dateline.sources.list()).toEqual([]);
    expect((await admin.post(`/admin/sources/${source!.id}/delete`)).statusCode).toBe(404);
    expect((await t.app.dateline.audit.list({ action: 'source.removed' })).entries).toHaveLength(1);
  });
});
