import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';

describeTargets('reader pages on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    // The lead image's file is there: a local image whose file is missing is left out of the page.
    writeFileSync(join(t.config.mediaDir, 'dam.jpg'), 'a photo');
    const { articles } = app.dateline;
    await articles.save(
      articleInput({
        externalId: 'ref',
        headline: 'Rivals agree to talks over the river dam dispute',
        standfirst: 'Negotiators from both countries will meet next week in Geneva.',
        section: { name: 'World' },
        authors: [{ name: 'Ana Ruiz' }, { name: 'Tom Okafor' }],
        tags: [{ name: 'Diplomacy' }, { name: 'Water' }],
        datelinePlace: 'Geneva',
        leadImage: {
          src: '/media/dam.jpg',
          alt: 'The dam at dusk',
          caption: 'The disputed dam',
          credit: 'Photo: A. Lens',
        },
        publishedAt: new Date('2024-03-05T15:00:00Z'),
        updatedAt: new Date('2024-03-05T18:30:00Z'),
        body: [
          {
            type: 'paragraph',
            html: 'The talks <b>start</b> on <i>Monday</i>, <a href="https://example.org/x">officials say</a>.',
          },
          { type: 'crosshead', text: 'Dialogue, not force' },
          { type: 'quote', text: 'We want a fair share of the water.', attribution: 'A minister' },
          { type: 'paragraph', html: 'In other developments:' },
          { type: 'list', style: 'bulleted', items: ['Aid convoys resumed', 'Border posts reopened'] },
          { type: 'list', style: 'numbered', items: ['First step', 'Second step'] },
        ],
      }),
    );
    await articles.save(
      articleInput({
        externalId: 'follow',
        headline: 'River dam talks open in Geneva with cautious hopes',
        standfirst: 'The dam dispute talks opened in Geneva on Monday.',
        // A follow-up tells much of the same story: on a site of three articles, related news needs that
        // much in common (the young site's floor, src/related/scoring.ts), not six words.
        body: [
          {
            type: 'paragraph',
            html: 'Negotiators from both countries met in Geneva on Monday for talks over the river dam dispute.',
          },
          { type: 'paragraph', html: 'A minister said both rivals want a fair share of the water from the dam.' },
          { type: 'paragraph', html: 'Aid convoys resumed and border posts reopened before the talks.' },
        ],
        publishedAt: new Date('2024-03-11T10:00:00Z'),
      }),
    );
    await articles.save(
      articleInput({ externalId: 'sport', headline: 'Local team wins the cup final', section: { name: 'Sport' } }),
    );
    await articles.save(articleInput({ externalId: 'draft', headline: 'Unpublished draft story', status: 'draft' }));
    // Related lists are computed by the publishing jobs.
    await settle(app);
  });
  afterAll(() => t.cleanup());

  it('renders every part of the article page', async () => {
    const res = await app.inject('/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam-dispute');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = res.body;
    expect(body).toMatch(/<h1[^>]*>Rivals agree to talks over the river dam dispute<\/h1>/);
    expect(body).toContain('Negotiators from both countries will meet next week in Geneva.');
    expect(body).toMatch(
      /<figure[^>]*>[\s\S]*<img[^>]*src="\/media\/dam.jpg"[\s\S]*<figcaption[\s\S]*The disputed dam[\s\S]*Photo: A. Lens/,
    );
    expect(body).toContain('href="/author/ana-ruiz"');
    expect(body).toContain('href="/author/tom-okafor"');
    expect(body).toContain('Geneva');
    expect(body).toContain('<time datetime="2024-03-05T15:00:00.000Z"');
    expect(body).toContain('<time datetime="2024-03-05T18:30:00.000Z"');
    expect(body).toMatch(/<h2[^>]*>Dialogue, not force<\/h2>/);
    expect(body).toMatch(/<blockquote[\s\S]*We want a fair share of the water\.[\s\S]*A minister/);
    expect(body).toMatch(/<ul[^>]*>\s*<li>Aid convoys resumed<\/li>/);
    expect(body).toMatch(/<ol[^>]*>\s*<li>First step<\/li>/);
    expect(body).toContain('<b>start</b>');
    expect(body).toContain('href="/tag/diplomacy"');
    expect(body).toContain('Latest news');
    expect(body).toContain('Related news');
    expect(body).toContain('href="/world/2024/03/11/river-dam-talks-open-in-geneva-with-cautious-hopes"');
    expect(body).toContain(
      '<link rel="canonical" href="http://news.test/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam-dispute">',
    );
    expect(body).toContain(
      '<meta name="description" content="Negotiators from both countries will meet next week in Geneva.">',
    );
    expect(body).not.toContain('Unpublished draft story');
  });

  it('shows times in the site timezone', async () => {
    const res = await app.inject('/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam-dispute');
    expect(res.body).toContain('March 5, 2024 at 10:00 AM EST');
  });

  it('redirects a non-canonical article URL with 301', async () => {
    const res = await app.inject('/sport/2020/01/01/rivals-agree-to-talks-over-the-river-dam-dispute');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam-dispute');
  });

  it('returns 404 with latest news for an unknown or unpublished article', async () => {
    for (const url of ['/world/2024/03/05/no-such-story', '/world/2024/01/01/unpublished-draft-story']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Page not found');
      expect(res.body).toContain('Local team wins the cup final');
      expect(res.body).toContain('noindex');
    }
  });

  it('returns 404 for paths that fit no page', async () => {
    for (const url of ['/favicon.ico', '/World', '/a/b', '/tag/NOPE', '/nope-section']) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });

  it('renders the home page with top story, latest news and a block per section', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Local team wins the cup final');
    expect(res.body).toContain('href="/world"');
    expect(res.body).toContain('href="/sport"');
    expect(res.body.match(/<h1/g)).toHaveLength(1);
  });

  it('renders section, tag and author pages', async () => {
    const section = await app.inject('/world');
    expect(section.statusCode).toBe(200);
    expect(section.body).toContain('River dam talks open in Geneva');
    expect(section.body).not.toContain('Local team wins the cup final');
    const tag = await app.inject('/tag/diplomacy');
    expect(tag.statusCode).toBe(200);
    expect(tag.body).toContain('Rivals agree to talks');
    expect(tag.body).not.toContain('River dam talks open');
    const author = await app.inject('/author/ana-ruiz');
    expect(author.statusCode).toBe(200);
    expect(author.body).toContain('Ana Ruiz');
    expect(author.body).toContain('Rivals agree to talks');
  });

  it('redirects a page number that is not one to the first page, and answers a page past the end with 404', async () => {
    for (const q of ['abc', '0', '-1', '1.5', '%ff', 'x'.repeat(50)]) {
      const res = await app.inject(`/world?page=${q}`);
      expect(res.statusCode, q).toBe(301);
      expect(res.headers.location, q).toBe('/world');
    }
    for (const path of ['/world?page=50', '/world?page=99999', '/world?page=1001']) {
      const res = await app.inject(path);
      expect(res.statusCode, path).toBe(404);
      // A full page: the site's navigation and the latest news, not a bare error.
      expect(res.body, path).toContain('class="site-nav"');
    }
  });

  it('escapes hostile content', async () => {
    await app.dateline.articles.save(
      articleInput({
        externalId: 'xss',
        headline: '<script>alert(1)</script> Hostile "headline"',
        standfirst: '<img src=x onerror=alert(1)>',
        body: [{ type: 'paragraph', html: 'ok <script>alert(2)</script><a href="javascript:alert(3)">x</a>' }],
        section: { name: 'World' },
      }),
    );
    const home = await app.inject('/');
    expect(home.body).not.toContain('<script>alert(1)');
    expect(home.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Hostile');
    const link = home.body.match(/href="(\/world\/\d{4}\/\d{2}\/\d{2}\/script-alert-1-script-hostile-headline)"/);
    expect(link).not.toBeNull();
    const article = await app.inject(link![1]!);
    expect(article.body).not.toContain('<script>alert(2)');
    expect(article.body).not.toContain('javascript:');
    expect(article.body).not.toContain('<img src=x');
  });
});
