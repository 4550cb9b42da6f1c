import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';
import { scriptSafeJson } from './structured-data.js';

describe('scriptSafeJson', () => {
  it('cannot close its script element, and keeps U+2028/U+2029 as escapes; parsing gives the value back', () => {
    const value = { headline: '</script><script>alert(1)</script> & <!-- \u2028\u2029' };
    const json = scriptSafeJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(page: string): Record<string, unknown>[] {
  const blocks = [...page.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)];
  return blocks.flatMap((m) => JSON.parse(m[1] as string) as Record<string, unknown>[]);
}

const meta = (page: string, key: string) =>
  new RegExp(`<meta (?:property|name)="${key.replace(/[+:]/g, '\\$&')}" content="([^"]*)">`).exec(page)?.[1];

describeTargets('what search engines and aggregators read on pages, on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  const url = '/world/2024/03/05/talks-over-the-dam-script-end';

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    await app.dateline.articles.save(
      articleInput({
        externalId: 'dam',
        headline: 'Talks over the dam </script> end',
        standfirst: 'Negotiators met in Geneva.',
        section: { name: 'World' },
        authors: [{ name: 'Ana Ruiz' }],
        tags: [{ name: 'Water' }],
        leadImage: { src: 'https://images.example/dam.jpg', alt: 'The dam' },
        publishedAt: new Date('2024-03-05T15:00:00Z'),
        updatedAt: new Date('2024-03-06T09:00:00Z'),
      }),
    );
    for (let i = 0; i < 25; i++) await app.dateline.articles.save(articleInput({ section: { name: 'World' } }));
    await settle(app);
  });
  afterAll(() => t.cleanup());

  it('describes an article as a NewsArticle with its breadcrumbs, safely inside its script element', async () => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('dam </script> end');
    const [article, crumbs] = jsonLd(res.body);
    expect(article).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Talks over the dam </script> end',
      description: 'Negotiators met in Geneva.',
      image: ['https://images.example/dam.jpg'],
      datePublished: '2024-03-05T15:00:00.000Z',
      dateModified: '2024-03-06T09:00:00.000Z',
      author: [{ '@type': 'Person', name: 'Ana Ruiz', url: 'http://news.test/author/ana-ruiz' }],
      publisher: {
        '@type': 'NewsMediaOrganization',
        name: 'Dateline',
        url: 'http://news.test/',
        logo: { '@type': 'ImageObject', url: expect.stringMatching(/^http:\/\/news\.test\/assets\//) },
      },
      mainEntityOfPage: { '@type': 'WebPage', '@id': `http://news.test${url}` },
      articleSection: 'World',
      keywords: ['Water'],
      inLanguage: 'en',
      isAccessibleForFree: true,
    });
    expect(crumbs?.itemListElement).toEqual([
      { '@type': 'ListItem', position: 1, name: 'Dateline', item: 'http://news.test/' },
      { '@type': 'ListItem', position: 2, name: 'World', item: 'http://news.test/world' },
      { '@type': 'ListItem', position: 3, name: 'Talks over the dam </script> end', item: `http://news.test${url}` },
    ]);
  });

  it('has OpenGraph and Twitter card tags, its canonical URL and its feeds in the head', async () => {
    const page = (await app.inject(url)).body;
    expect(page).toContain(`<link rel="canonical" href="http://news.test${url}">`);
    expect(meta(page, 'og:type')).toBe('article');
    expect(meta(page, 'og:url')).toBe(`http://news.test${url}`);
    expect(meta(page, 'og:image')).toBe('https://images.example/dam.jpg');
    expect(meta(page, 'twitter:card')).toBe('summary_large_image');
    expect(meta(page, 'twitter:title')).toBe('Talks over the dam &lt;/script&gt; end');
    expect(meta(page, 'article:modified_time')).toBe('2024-03-06T09:00:00.000Z');
    expect(page).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Dateline (RSS)" href="http://news.test/feed.xml">',
    );
    expect(page).toContain(
      '<link rel="alternate" type="application/atom+xml" title="World (Atom)" href="http://news.test/world/atom.xml">',
    );
  });

  it('gives each page of a list its own canonical URL, no rel=prev/next links in the head, and its feeds', async () => {
    const second = (await app.inject('/world?page=2')).body;
    expect(second).toContain('<link rel="canonical" href="http://news.test/world?page=2">');
    expect(second).not.toMatch(/<link rel="(prev|next)"/);
    const first = (await app.inject('/world')).body;
    expect(first).toContain('<link rel="canonical" href="http://news.test/world">');
    expect(first).toContain(
      '<link rel="alternate" type="application/feed+json" title="World (JSON Feed)" href="http://news.test/world/feed.json">',
    );
    expect(first).toMatch(/<p class="feed-links">Follow World: <a href="\/world\/feed.xml">RSS<\/a>/);
    const home = (await app.inject('/')).body;
    expect(home).toContain('href="/feed.json">JSON Feed</a>');
    expect(home).toContain('type="application/rss+xml" title="Dateline (RSS)" href="http://news.test/feed.xml"');
  });

  it('keeps the CSP strict: JSON-LD is a data block, never run, so it needs no inline-script exception', async () => {
    const res = await app.inject(url);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    // The only inline script elements are JSON-LD data blocks; anything else would be blocked by this policy.
    const inline = [...res.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline).toEqual([' type="application/ld+json"']);
  });
});
