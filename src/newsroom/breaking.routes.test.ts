/**
 * Breaking news in the newsroom, through real HTTP on each database: an
 * editor flags an article for a time box and ends it early, a live entry is
 * flagged from its coverage's desk, a refused flag keeps what was typed, an
 * author may not flag, forms need their CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { htmlProblems } from '../../test/live-helpers.js';
import type { Desk as DeskType } from '../../test/newsroom-client.js';
import { Desk } from '../../test/newsroom-client.js';

describeTargets('breaking news in the newsroom on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let editor: DeskType;
  let author: DeskType;
  let articleId = 0;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    const admin = await Desk.setUp(app);
    editor = await admin.invite('editor', 'editor@news.test', 'Eve Editor');
    author = await admin.invite('author', 'author@news.test', 'Al Author');
    articleId = (await app.dateline.articles.save(articleInput({ headline: 'Ferry aground' }))).id;
  });
  afterAll(() => t.cleanup());

  it('flags an article for a time box, shows it on the page and on the site, then ends it early', async () => {
    const page = await editor.get('/admin/breaking');
    expect(page.statusCode).toBe(200);
    expect(await htmlProblems([['breaking', page.body]])).toEqual([]);
    const flagged = await editor.post('/admin/breaking', {
      kind: 'article',
      target: String(articleId),
      headline: 'Ferry aground off the point',
      minutes: '45',
    });
    expect([flagged.statusCode, flagged.headers.location]).toEqual([303, '/admin/breaking']);
    const b = app.dateline.breaking.current()!;
    expect([b.headline, b.endsAt.getTime() - b.startsAt.getTime()]).toEqual([
      'Ferry aground off the point',
      45 * 60_000,
    ]);
    expect((await editor.get('/admin/breaking')).body).toContain('Showing now');
    expect((await app.inject('/')).body).toContain('Ferry aground off the point</a></div></aside>');
    expect((await editor.post(`/admin/breaking/${b.id}/end`)).statusCode).toBe(303);
    expect(app.dateline.breaking.current()).toBeUndefined();
    expect((await app.inject('/')).body).not.toContain('breaking-banner');
  });

  it('keeps what was typed when a flag is refused, and refuses authors and forged forms', async () => {
    const refused = await editor.post('/admin/breaking', { kind: 'article', target: String(articleId), minutes: '2' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('value="2"');
    expect((await editor.post('/admin/breaking', { kind: 'article', target: 'x', minutes: '30' })).statusCode).toBe(
      422,
    );
    expect((await author.get('/admin/breaking')).statusCode).toBe(403);
    expect(
      (await author.post('/admin/breaking', { kind: 'article', target: String(articleId), minutes: '30' })).statusCode,
    ).toBe(403);
    const forged = await editor.post(
      '/admin/breaking',
      { kind: 'article', target: String(articleId), minutes: '30' },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    expect(app.dateline.breaking.current()).toBeUndefined();
  });

  it('flags a live entry from its coverage’s desk', async () => {
    const created = await editor.post('/admin/live', { headline: 'Ferry: live' });
    const coverageId = Number(/\/admin\/live\/(\d+)$/.exec(created.headers.location as string)?.[1]);
    await editor.post(`/admin/live/${coverageId}/entries`, { body_text: 'Passengers are ashore.' });
    const [entry] = await app.dateline.live.desk(coverageId);
    const desk = await editor.get(`/admin/live/${coverageId}`);
    expect(desk.body).toContain('Flag as breaking');
    const flagged = await editor.post('/admin/breaking', { kind: 'entry', target: String(entry!.id), minutes: '60' });
    expect(flagged.statusCode).toBe(303);
    expect(app.dateline.breaking.current()?.href).toBe(`/live/${coverageId}-ferry-live#entry-${entry!.id}`);
  });
});
