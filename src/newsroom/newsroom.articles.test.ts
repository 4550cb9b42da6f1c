/**
 * Writing in the newsroom through real HTTP: an author writes with the
 * editor's document (crossheads, quotes, lists, an uploaded image), saves by
 * form and by autosave, meets a colleague's save as a 409 that keeps their
 * text, submits; an editor sends back, approves; readers see the article; a
 * correction follows; history compares and restores. Every role's limits
 * are checked on the routes themselves.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type ConfigData, HtmlValidate } from 'html-validate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';
import { createdId, Desk, inputValue } from '../../test/newsroom-client.js';
import type { Block } from '../articles/article.js';
import { blocksToDoc } from './editor/document.js';

const body = (image?: { src: string; width: number; height: number }): Block[] => [
  {
    type: 'paragraph',
    html: 'The harbour authority said on Monday that the <strong>north quay</strong> would reopen.',
  },
  { type: 'crosshead', text: 'What changes for ferries' },
  { type: 'quote', text: 'We lost a season, not the harbour.', attribution: 'Mira Koval, harbour master' },
  { type: 'list', style: 'bulleted', items: ['Ferries resume at six', 'Freight waits a week'] },
  ...(image
    ? [{ type: 'image' as const, ...image, alt: 'The north quay at dawn', caption: 'The quay, repaired' }]
    : []),
];

const fields = (headline: string) => ({
  headline,
  standfirst: 'Repairs finished ahead of the summer timetable.',
  section: 'World',
  authors: 'Mira Koval',
  tags: 'Harbour, Ferries',
  dateline_place: 'Odesa',
});

describeTargets('the newsroom: articles on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let admin: Desk;
  let author: Desk;
  let editor: Desk;
  let contributor: Desk;
  let photo: Buffer;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    admin = await Desk.setUp(app);
    author = await admin.invite('author', 'author@news.test', 'Ann Author');
    editor = await admin.invite('editor', 'editor@news.test', 'Ed Editor');
    contributor = await admin.invite('contributor', 'contrib@news.test', 'Cy Contributor');
    photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a6ea5' } })
      .jpeg()
      .toBuffer();
  });
  afterAll(() => t.cleanup());

  const stored = (id: number) => app.dateline.articles.get(id).then((a) => a!);

  describe('an article from first draft to correction', () => {
    let id: number;
    let image: { src: string; width: number; height: number };

    it('uploads an image for the body from the editor, and refuses a file that is not an image', async () => {
      await author.get('/admin/articles/new');
      const res = await author.upload('/admin/api/uploads', photo, 'quay.jpg');
      expect(res.statusCode).toBe(200);
      image = res.json();
      expect(image).toMatchObject({ src: expect.stringMatching(/^\/media\//), width: 800, height: 600 });
      expect((await app.inject(image.src)).statusCode).toBe(200);

      const text = await author.upload('/admin/api/uploads', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'quay.jpg');
      expect(text.statusCode).toBe(415);
      expect(text.json()).toMatchObject({ error: { code: 'IMAGE_UNSUPPORTED' } });
      const forged = await author.upload('/admin/api/uploads', photo, 'quay.jpg', { csrf: false });
      expect(forged.statusCode).toBe(403);
      const anonymous = await new Desk(app).upload('/admin/api/uploads', photo);
      expect(anonymous.statusCode).toBe(401);
    });

    it("creates a draft from the editor's document, every kind of block kept", async () => {
      const res = await author.post('/admin/articles', {
        ...fields('North quay to reopen'),
        body_doc: JSON.stringify(blocksToDoc(body(image))),
        body_text: 'ignored when the document is sent',
      });
      id = createdId(res);
      const article = await stored(id);
      expect(article).toMatchObject({ headline: 'North quay to reopen', status: 'draft', section: { name: 'World' } });
      expect(article.body.map((b) => b.type)).toEqual(['paragraph', 'crosshead', 'quote', 'list', 'image']);
      expect(article.body[4]).toMatchObject({ src: image.src, alt: 'The north quay at dawn' });
      expect(article.authors.map((a) => a.name)).toEqual(['Mira Koval']);

      expect(res.headers.location).toBe(`/admin/articles/${id}?saved=created`);
      const page = await author.get(String(res.headers.location));
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Created.');
      expect(inputValue(page.body, 'headline')).toBe('North quay to reopen');
      expect(page.body).toContain(`data-autosave-url="/admin/api/articles/${id}"`);
      // The document travels to the editor script as JSON that cannot close its script element.
      const script = /<script type="application\/json" id="editor-doc">([\s\S]*?)<\/script>/.exec(page.body)![1]!;
      expect(JSON.parse(script)).toEqual(JSON.parse(JSON.stringify(blocksToDoc(article.body))));
    });

    it('shows the form again with the problems and the text kept when required fields are missing', async () => {
      const res = await author.post('/admin/articles', {
        headline: '  ',
        section: '',
        body_text: 'A paragraph the author typed and must not lose.',
      });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Give the article a headline');
      expect(res.body).toContain('Choose a section');
      expect(res.body).toContain('A paragraph the author typed and must not lose.');
    });

    it('autosaves: the new version back; a stale version is a 409 and changes nothing', async () => {
      const before = await stored(id);
      const saved = await author.json('PUT', `/admin/api/articles/${id}`, {
        version: before.version,
        fields: { ...fields('North quay to reopen in May') },
        body_doc: blocksToDoc(body(image)),
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ version: before.version + 1 });
      expect(saved.headers['cache-control']).toBe('private, no-store');

      const stale = await author.json('PUT', `/admin/api/articles/${id}`, {
        version: before.version,
        fields: { ...fields('An older tab overwrites the newer headline') },
        body_doc: blocksToDoc(body(image)),
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ error: { code: 'VERSION_CONFLICT' } });
      expect((await stored(id)).headline).toBe('North quay to reopen in May');

      const broken = await author.json('PUT', `/admin/api/articles/${id}`, {
        version: before.version + 1,
        fields: fields('Broken'),
        body_doc: { type: 'doc', content: [{ type: 'script', text: 'alert(1)' }] },
      });
      expect(broken.statusCode).toBe(422);
      expect(broken.json()).toMatchObject({ error: { code: 'INVALID_ARTICLE' } });
      expect((await stored(id)).headline).toBe('North quay to reopen in May');
    });

    it("keeps the writer's text when a colleague saved first, and says what happened", async () => {
      const opened = await author.get(`/admin/articles/${id}`);
      const version = inputValue(opened.body, 'version')!;
      // The editor saves a fix meanwhile.
      await editor.get(`/admin/articles/${id}`);
      const theirs = await editor.post(`/admin/articles/${id}`, {
        ...fields('North quay to reopen in May, authority says'),
        version: String((await stored(id)).version),
        body_doc: JSON.stringify(blocksToDoc(body(image))),
      });
      expect(theirs.statusCode).toBe(303);

      const mine = await author.post(`/admin/articles/${id}`, {
        ...fields('My headline, written in the meantime'),
        version,
        body_text: 'My own paragraph, written in the meantime.',
      });
      expect(mine.statusCode).toBe(409);
      expect(mine.body).toContain('Someone else saved this article since you opened it');
      expect(inputValue(mine.body, 'headline')).toBe('My headline, written in the meantime');
      expect(mine.body).toContain('My own paragraph, written in the meantime.');
      expect((await stored(id)).headline).toBe('North quay to reopen in May, authority says');
    });

    it('lets nobody but the newsroom see a draft: a private preview, and no reader page', async () => {
      const preview = await author.get(`/admin/articles/${id}/preview`);
      expect(preview.statusCode).toBe(200);
      expect(preview.headers['cache-control']).toBe('private, no-store');
      expect(preview.body).toContain('North quay to reopen in May, authority says');
      expect(preview.body).toContain('What changes for ferries');
      expect(preview.body).toMatch(/<blockquote/);
      expect((await new Desk(app).get(`/admin/articles/${id}/preview`)).statusCode).toBe(303);
      expect((await app.inject('/')).body).not.toContain('North quay to reopen');
    });

    it('submits for review; the editor sends it back with a note the author sees', async () => {
      const page = (await author.get(`/admin/articles/${id}`)).body;
      expect(page).toContain('Submit for review');
      // Approving is an editor's: the author's own page offers no such button, and the route refuses it.
      expect(page).not.toContain('Approve and publish');
      const version = String((await stored(id)).version);
      expect((await author.post(`/admin/articles/${id}/approve`, { version })).statusCode).toBe(403);
      expect((await author.post(`/admin/articles/${id}/submit`, { version })).statusCode).toBe(303);

      const queue = await editor.get('/admin?state=in_review');
      expect(queue.body).toContain('North quay to reopen in May, authority says');
      await editor.get(`/admin/articles/${id}`);
      const empty = await editor.post(`/admin/articles/${id}/send-back`, { comment: ' ' });
      expect(empty.statusCode).toBe(422);
      const back = await editor.post(`/admin/articles/${id}/send-back`, {
        comment: 'Name the authority spokesperson.',
      });
      expect(back.statusCode).toBe(303);
      const returned = await author.get(`/admin/articles/${id}`);
      expect(returned.body).toContain('Name the authority spokesperson.');
      expect(returned.body).toContain('Sent back');
    });

    it('publishes on approval: readers see it, with its crosshead, quote, list and image', async () => {
      await author.get(`/admin/articles/${id}`);
      await author.post(`/admin/articles/${id}/submit`);
      await editor.get(`/admin/articles/${id}`);
      expect((await editor.post(`/admin/articles/${id}/approve`)).statusCode).toBe(303);
      await settle(app);
      const page = (await editor.get(`/admin/articles/${id}`)).body;
      const href = /<a href="([^"]+)">On the site<\/a>/.exec(page)?.[1];
      expect(href).toMatch(/^\/world\/\d{4}\/\d{2}\/\d{2}\/north-quay-to-reopen/);
      const reader = await app.inject(href!);
      expect(reader.statusCode).toBe(200);
      expect(reader.body).toContain('North quay to reopen in May, authority says');
      expect(reader.body).toMatch(/<h2[^>]*>What changes for ferries<\/h2>/);
      expect(reader.body).toContain('We lost a season, not the harbour.');
      expect(reader.body).toContain('<li>Ferries resume at six</li>');
      expect(reader.body).toContain(image.src.replace(/\.[a-z]+$/, ''));
      expect((await app.inject('/')).body).toContain('North quay to reopen in May, authority says');
      // Who did it is in the audit log, written with the change.
      const edId = (await app.dateline.accounts.findUserByEmail('editor@news.test'))!.id;
      const { entries } = await app.dateline.audit.list({ action: 'article.approved' });
      expect(entries).toEqual([expect.objectContaining({ actorId: edId, subject: `article:${id}` })]);
      expect((await app.dateline.audit.list({ action: 'article.submitted' })).entries).toHaveLength(2);
    });

    it('adds a correction that readers see on the article', async () => {
      await editor.get(`/admin/articles/${id}`);
      const res = await editor.post(`/admin/articles/${id}/notes`, {
        kind: 'correction',
        text: 'An earlier version gave the wrong reopening month.',
      });
      expect(res.statusCode).toBe(303);
      await settle(app);
      const page = (await editor.get(`/admin/articles/${id}`)).body;
      const href = /<a href="([^"]+)">On the site<\/a>/.exec(page)![1]!;
      expect((await app.inject(href)).body).toContain('An earlier version gave the wrong reopening month.');
    });

    it('lists every version with who saved it, compares two, and restores an earlier one', async () => {
      const history = await editor.get(`/admin/articles/${id}/history`);
      expect(history.statusCode).toBe(200);
      expect(history.body).toContain('Ann Author');
      expect(history.body).toContain('Ed Editor');
      const first = (await app.dateline.articles.history(id)).at(-1)!;
      const compared = await editor.get(`/admin/articles/${id}/history?from=${first.id}&to=current`);
      expect(compared.body).toContain('North quay to reopen');
      expect(compared.body).toMatch(/<(ins|del)/);

      await editor.get(`/admin/articles/${id}/history`);
      // The author's first saves within minutes of each other are one revision: the draft as autosaved.
      expect(first.headline).toBe('North quay to reopen in May');
      const restored = await editor.post(`/admin/articles/${id}/restore/${first.id}`);
      expect(restored.statusCode).toBe(303);
      const now = await stored(id);
      expect(now.headline).toBe('North quay to reopen in May');
      expect(now.status).toBe('published');
    });
  });

  describe('the pages themselves', () => {
    it('are valid HTML: every admin page, with forms per row, errors and the workflow shown', async () => {
      const config = JSON.parse(
        readFileSync(new URL('../../.htmlvalidate.json', import.meta.url), 'utf8'),
      ) as ConfigData;
      const validator = new HtmlValidate(config);
      const id = (await app.dateline.database.db.selectFrom('articles').select('id').executeTakeFirstOrThrow()).id;
      const problems: string[] = [];
      const pages: [Desk, string][] = [
        [admin, '/admin'],
        [admin, '/admin?state=in_review&q=quay'],
        [admin, '/admin/articles/new'],
        [admin, `/admin/articles/${id}`],
        [admin, `/admin/articles/${id}/history`],
        [admin, `/admin/articles/${id}/history?from=1&to=current`],
        [admin, '/admin/users'],
        [admin, '/admin/sections'],
        [admin, '/admin/tags'],
        [admin, '/admin/authors'],
        [admin, '/admin/uploads'],
        [admin, '/admin/settings'],
        [admin, '/admin/audit'],
        [admin, '/admin/account'],
        [admin, '/admin/articles/999999'],
        [new Desk(app), '/admin/login'],
        [new Desk(app), '/admin/reset-password?token=nope'],
        [new Desk(app), '/admin/invitations/nope'],
      ];
      for (const [desk, url] of pages) {
        const res = await desk.get(url);
        const report = await validator.validateString(res.body, `${url}.html`);
        for (const result of report.results)
          for (const m of result.messages) problems.push(`${url}: ${m.ruleId} ${m.message} (line ${m.line})`);
      }
      // A form sent back with its errors.
      await admin.get('/admin/articles/new');
      const refused = await admin.post('/admin/articles', { headline: '', section: '', body_text: 'x' });
      for (const result of (await validator.validateString(refused.body, 'refused.html')).results)
        for (const m of result.messages) problems.push(`refused form: ${m.ruleId} ${m.message} (line ${m.line})`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  });

  describe('who may do what', () => {
    it("keeps a contributor to their own articles, and an author from editing someone else's", async () => {
      await contributor.get('/admin/articles/new');
      const own = createdId(
        await contributor.post('/admin/articles', { ...fields('Contributor column'), body_text: 'A column.' }),
      );
      await editor.get('/admin/articles/new');
      const others = createdId(
        await editor.post('/admin/articles', { ...fields("Editor's own draft"), body_text: 'A draft.' }),
      );
      const list = (await contributor.get('/admin')).body;
      expect(list).toContain('Contributor column');
      expect(list).not.toContain("Editor's own draft");
      expect((await contributor.get(`/admin/articles/${others}`)).statusCode).toBe(403);
      const mine = await contributor.get(`/admin/articles/${own}`);
      expect(mine.statusCode).toBe(200);
      expect(mine.body).toContain('Submit for review');
      expect(mine.body).not.toContain('Publish now');
      expect((await contributor.post(`/admin/articles/${own}/publish`)).statusCode).toBe(403);
      expect((await stored(own)).status).toBe('draft');

      await author.get('/admin');
      const edit = await author.post(`/admin/articles/${others}`, {
        ...fields('Taken over'),
        body_text: 'Not mine.',
        version: '1',
      });
      expect(edit.statusCode).toBe(403);
      expect((await stored(others)).headline).toBe("Editor's own draft");
    });

    it('tells the editor when an image of the article is missing from the media folder', async () => {
      await editor.get('/admin/articles/new');
      const res = await editor.post('/admin/articles', {
        ...fields('Lighthouse repainted'),
        lead_src: '/media/images/0123456789abcdef0123456789abcdef/w800.jpg',
        lead_alt: 'The lighthouse',
        body_text: 'The lighthouse was repainted.',
      });
      const page = await editor.get(String(res.headers.location));
      expect(page.body).toContain('Readers do not see this image: lead image /media/images/0123456789abcdef');
      const fine = await editor.get(
        `/admin/articles/${createdId(await editor.post('/admin/articles', { ...fields('Plain'), body_text: 'Text.' }))}`,
      );
      expect(fine.body).not.toContain('Readers do not see this image');
    });

    it('schedules for a time in the site zone, and refuses publication before an embargo', async () => {
      await editor.get('/admin/articles/new');
      const id = createdId(
        await editor.post('/admin/articles', {
          ...fields('Budget vote set'),
          body_text: 'The council votes on Friday.',
          embargo_until: '2031-03-01T09:00',
        }),
      );
      await editor.get(`/admin/articles/${id}`);
      const early = await editor.post(`/admin/articles/${id}/publish`);
      expect(early.statusCode).toBe(409);
      expect(early.body).toContain('under embargo');
      expect((await stored(id)).status).toBe('draft');

      const scheduled = await editor.post(`/admin/articles/${id}/schedule`, { at: '2031-03-01T10:30' });
      expect(scheduled.statusCode).toBe(303);
      const article = await stored(id);
      expect(article.status).toBe('scheduled');
      // 10:30 in New York (the test site's zone) in March is 15:30 UTC.
      expect(article.publishedAt!.toISOString()).toBe('2031-03-01T15:30:00.000Z');
    });

    it('answers a missing article or a malformed id with 404, in the newsroom layout, and an oversized form with 413', async () => {
      const missing = await editor.get('/admin/articles/999999');
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('class="admin-nav"');
      expect((await editor.get('/admin/articles/abc')).statusCode).toBe(404);
      expect((await editor.get('/admin/articles/1/nonsense')).statusCode).toBe(404);
      const oversized = await editor.post('/admin/articles', { headline: 'x', body_text: 'y'.repeat(3 * 1024 * 1024) });
      expect(oversized.statusCode).toBe(413);
    });
  });
});
