/**
 * The site's own pages, through real HTTP on each database: the three a new
 * site starts with, linked from every footer; editors write more in the
 * newsroom (with the article's body editor, or its plain-text field), and
 * readers see each change at once, the page cache included; addresses the
 * site or a section uses are refused, and nothing typed is lost.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { createdId, Desk, inputValue } from '../../test/newsroom-client.js';

describeTargets('content pages on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let editor: Desk;
  let author: Desk;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    const admin = await Desk.setUp(app);
    editor = await admin.invite('editor', 'editor@news.test', 'Ed Editor');
    author = await admin.invite('author', 'author@news.test', 'Ann Author');
  });
  afterAll(() => t.cleanup());

  const footerOf = (page: string) => page.slice(page.indexOf('<footer'));

  it('starts a new site with About, Contact and a corrections policy, linked from every footer in order', async () => {
    const home = await app.inject('/');
    const footer = footerOf(home.body);
    const about = footer.indexOf('<a href="/about">About us</a>');
    const contact = footer.indexOf('<a href="/contact">Contact</a>');
    const corrections = footer.indexOf('<a href="/corrections">Corrections policy</a>');
    expect(about).toBeGreaterThan(0);
    expect(contact).toBeGreaterThan(about);
    expect(corrections).toBeGreaterThan(contact);
    expect(footer).toContain('<a href="/search">Search</a>');
    expect(footer).toContain('<a href="/feed.xml">RSS feed</a>');

    const page = await app.inject('/corrections');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Corrections policy</h1>');
    expect(page.body).toContain('<link rel="canonical" href="http://news.test/corrections">');
  });

  it('lets an editor write a page, shown at its address and in the footer at once, cached pages included', async () => {
    expect((await app.inject('/')).body).not.toContain('Ethics code');
    const form = await editor.get('/admin/pages/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('data-editor');
    const created = await editor.post('/admin/pages', {
      title: 'Ethics code',
      slug: '',
      position: '4',
      body_text: 'We do not pay sources.\n\nWe name who pays us.',
    });
    expect(created.statusCode).toBe(303);
    const id = createdId(created);

    const page = await app.inject('/ethics-code');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p>We do not pay sources.</p>');
    expect(page.body).toContain('<p>We name who pays us.</p>');
    expect(footerOf((await app.inject('/')).body)).toContain('<a href="/ethics-code">Ethics code</a>');

    // Edited with the rich editor's document, and taken out of the footer.
    const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Revised.' }] }] };
    const edited = await editor.post(`/admin/pages/${id}`, {
      title: 'Ethics code',
      slug: 'ethics-code',
      position: '0',
      body_doc: JSON.stringify(doc),
    });
    expect(edited.statusCode).toBe(303);
    expect((await app.inject('/ethics-code')).body).toContain('<p>Revised.</p>');
    expect(footerOf((await app.inject('/')).body)).not.toContain('Ethics code');

    const audit = await app.dateline.audit.list({ action: 'page.updated' });
    expect(audit.entries.some((e) => e.subject === `page:${id}`)).toBe(true);

    expect((await editor.post(`/admin/pages/${id}/delete`)).statusCode).toBe(303);
    expect((await app.inject('/ethics-code')).statusCode).toBe(404);
  });

  it('refuses an address the site uses, another page’s, or a section’s, keeping what was typed', async () => {
    await app.dateline.articles.save(articleInput({ section: { name: 'Sport' } }));
    const cases = [
      { slug: 'tag', status: 422 },
      { slug: 'about', status: 409 },
      { slug: 'sport', status: 409 },
      { slug: 'Not A Slug!', status: 422 },
    ];
    for (const { slug, status } of cases) {
      const res = await editor.post('/admin/pages', { title: 'Mine', slug, position: '0', body_text: 'Kept text.' });
      expect(res.statusCode, slug).toBe(status);
      expect(inputValue(res.body, 'slug')).toBe(slug);
      expect(res.body).toContain('Kept text.');
    }
    const empty = await editor.post('/admin/pages', { title: 'Empty', slug: '', position: '0', body_text: '' });
    expect(empty.statusCode).toBe(422);
    const malformed = await editor.post('/admin/pages', { title: 'Bad', slug: '', position: '0', body_doc: '{"nope' });
    expect(malformed.statusCode).toBe(422);
    // The section keeps its address.
    expect((await app.inject('/sport')).body).toContain('<h1>Sport</h1>');
  });

  it('is for editors and admins only', async () => {
    expect((await author.get('/admin/pages')).statusCode).toBe(403);
    const res = await author.post('/admin/pages', { title: 'Mine', slug: 'mine', position: '1', body_text: 'x' });
    expect(res.statusCode).toBe(403);
    expect((await app.inject('/mine')).statusCode).toBe(404);
    expect((await editor.get('/admin/pages/999999')).statusCode).toBe(404);
  });
});
