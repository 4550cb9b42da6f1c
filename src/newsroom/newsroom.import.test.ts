/**
 * The newsroom's import form through real HTTP: pages served by a recorded
 * site (an undici MockAgent at the HTTP layer), CSRF required, an author's
 * import opening in their editor, refusals shown with what was typed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { createdId, Desk, inputValue } from '../../test/newsroom-client.js';
import { recordedSite } from '../extract/fixtures/recorded-site.js';

describeTargets('the newsroom: importing a page on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let author: Desk;
  let contributor: Desk;
  const agent = recordedSite();

  beforeAll(async () => {
    t = await createTestApp({}, target, { httpDispatcher: agent });
    app = t.app;
    const admin = await Desk.setUp(app);
    author = await admin.invite('author', 'author@news.test', 'Ann Author');
    contributor = await admin.invite('contributor', 'contrib@news.test', 'Cy Contributor');
  });
  afterAll(async () => {
    await t.cleanup();
    await agent.close();
  });

  it('imports a page as the author’s draft and opens it in the editor', async () => {
    const form = await author.get('/admin/import');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="_csrf"');
    const res = await author.post('/admin/import', {
      url: 'https://news.example/world/talks',
      section: '',
      mode: 'draft',
    });
    const id = createdId(res);
    const editor = await author.get(String(res.headers.location));
    expect(editor.statusCode).toBe(200);
    expect(inputValue(editor.body, 'headline')).toBe('US And Russia Urge Peaceful Solution To Ukraine Crisis');
    expect(await app.dateline.articles.get(id)).toMatchObject({ status: 'draft', createdBy: expect.any(Number) });
  });

  it('refuses a post without the CSRF token', async () => {
    await author.get('/admin/import');
    const res = await author.post('/admin/import', { url: 'https://news.example/world/talks' }, { csrf: false });
    expect(res.statusCode).toBe(403);
  });

  it('shows NO_ARTICLE_FOUND with the address typed kept, and stores nothing', async () => {
    await author.get('/admin/import');
    const res = await author.post('/admin/import', { url: 'https://news.example/section', mode: 'draft' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('NO_ARTICLE_FOUND');
    expect(inputValue(res.body, 'url')).toBe('https://news.example/section');
  });

  it('refuses to let a contributor overwrite an article someone else imported from the same page', async () => {
    await contributor.get('/admin/import');
    const res = await contributor.post('/admin/import', { url: 'https://news.example/world/talks', mode: 'draft' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('FORBIDDEN');
  });

  it('refuses a contributor’s import straight to publication', async () => {
    await contributor.get('/admin/import');
    const res = await contributor.post('/admin/import', { url: 'https://news.example/world/talks', mode: 'publish' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('FORBIDDEN');
  });
});
