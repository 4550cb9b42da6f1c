/**
 * Live coverage in the newsroom, through real HTTP on each database: an
 * editor starts a coverage and posts in two actions (type, Post); a
 * contributor's entry waits for review; the entry actions work and are
 * audit-logged; forms need their CSRF token; a refused post keeps its text;
 * ending the coverage locks the composer.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { htmlProblems } from '../../test/live-helpers.js';
import type { Desk as DeskType } from '../../test/newsroom-client.js';
import { Desk } from '../../test/newsroom-client.js';

describeTargets('live coverage in the newsroom on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let editor: DeskType;
  let contributor: DeskType;
  let coverageId = 0;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    const admin = await Desk.setUp(app);
    editor = await admin.invite('editor', 'editor@news.test', 'Eve Editor');
    contributor = await admin.invite('contributor', 'contrib@news.test', 'Carl Contributor');
  });
  afterAll(() => t.cleanup());

  const entries = () => app.dateline.live.desk(coverageId);

  it('starts a coverage and posts an entry in two actions', async () => {
    expect((await editor.get('/admin/live')).body).toContain('Start a live coverage');
    const created = await editor.post('/admin/live', { headline: 'Storm <makes> landfall', standfirst: 'All day.' });
    expect(created.statusCode).toBe(303);
    coverageId = Number(/\/admin\/live\/(\d+)$/.exec(created.headers.location as string)?.[1]);
    const desk = await editor.get(`/admin/live/${coverageId}`);
    expect(desk.body).toContain('Storm &lt;makes&gt; landfall');
    expect(desk.body).toContain('name="body_text"');

    const posted = await editor.post(`/admin/live/${coverageId}/entries`, { body_text: 'Winds reach the coast.' });
    expect(posted.statusCode).toBe(303);
    expect((await entries()).map((e) => [e.state, e.authors])).toEqual([['published', ['Eve Editor']]]);
  });

  it('refuses a post without its CSRF token, and keeps the text of a refused one', async () => {
    const forged = await editor.post(`/admin/live/${coverageId}/entries`, { body_text: 'Forged.' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    const empty = await editor.post(`/admin/live/${coverageId}/entries`, { body_text: '   ' });
    expect(empty.statusCode).toBe(422);
    expect((await entries()).map((e) => e.body)).not.toContainEqual([{ type: 'paragraph', html: 'Forged.' }]);
  });

  it('sends a contributor’s entry to review, which an editor approves', async () => {
    await contributor.get(`/admin/live/${coverageId}`);
    expect(
      (await contributor.post(`/admin/live/${coverageId}/entries`, { body_text: 'Seen from the pier.' })).statusCode,
    ).toBe(303);
    const waiting = (await entries()).find((e) => e.state === 'in_review');
    expect(waiting?.authors).toEqual(['Carl Contributor']);
    expect((await contributor.post(`/admin/live/entries/${waiting!.id}/approve`)).statusCode).toBe(403);
    await editor.get(`/admin/live/${coverageId}`);
    expect((await editor.post(`/admin/live/entries/${waiting!.id}/approve`)).statusCode).toBe(303);
    expect((await app.dateline.live.entry(waiting!.id))?.state).toBe('published');
  });

  it('pins, marks, corrects, breaks out and deletes entries, each audit-logged', async () => {
    const [newest, oldest] = await entries();
    const id = oldest!.id;
    expect((await editor.post(`/admin/live/entries/${id}/pin`, { pinned: '1' })).statusCode).toBe(303);
    expect((await editor.post(`/admin/live/entries/${id}/key`, { label: 'Landfall' })).statusCode).toBe(303);
    const corrected = await editor.post(`/admin/live/entries/${id}/correct`, {
      body_text: 'Winds reach the north coast.',
      note: 'It was the north coast.',
    });
    expect(corrected.statusCode).toBe(303);
    expect(await app.dateline.live.entry(id)).toMatchObject({
      pinned: true,
      keyEvent: 'Landfall',
      correction: 'It was the north coast.',
    });
    expect((await editor.post(`/admin/live/entries/${id}/correct`, { body_text: 'x', note: '' })).statusCode).toBe(422);

    const broken = await editor.post(`/admin/live/entries/${id}/breakout`, {
      headline: 'Storm hits the north coast',
      section: 'World',
    });
    expect(broken.statusCode).toBe(303);
    expect((await app.dateline.live.entry(id))?.articleId).toBeGreaterThan(0);

    expect((await editor.post(`/admin/live/entries/${newest!.id}/delete`)).statusCode).toBe(303);
    expect((await entries()).map((e) => e.id)).toEqual([id]);
    const actions = (await app.dateline.audit.list({}, 50)).entries.map((e) => e.action);
    for (const action of [
      'liveEntry.pinned',
      'liveEntry.keyEvent',
      'liveEntry.corrected',
      'liveEntry.brokenOut',
      'liveEntry.deleted',
    ])
      expect(actions).toContain(action);
  });

  it('is valid HTML: the list and a coverage’s desk with its entries', async () => {
    const problems = await htmlProblems([
      ['list', (await editor.get('/admin/live')).body],
      ['desk', (await editor.get(`/admin/live/${coverageId}`)).body],
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('locks the coverage when it ends', async () => {
    expect((await contributor.post(`/admin/live/${coverageId}/status`, { status: 'ended' })).statusCode).toBe(403);
    expect((await editor.post(`/admin/live/${coverageId}/status`, { status: 'ended' })).statusCode).toBe(303);
    const desk = await editor.get(`/admin/live/${coverageId}`);
    expect(desk.body).toContain('it is locked');
    expect(desk.body).not.toContain('name="body_text"');
    expect((await editor.post(`/admin/live/${coverageId}/entries`, { body_text: 'Late.' })).statusCode).toBe(409);
    expect((await editor.get('/admin/live/999999')).statusCode).toBe(404);
  });
});
