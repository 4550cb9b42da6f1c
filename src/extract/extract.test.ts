import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleText, extractArticle } from './extract.js';

const reference = readFileSync(new URL('./fixtures/reference-page.html', import.meta.url), 'utf8');
const referenceText = readFileSync(new URL('./fixtures/reference-page.txt', import.meta.url), 'utf8');

describe('extractArticle on the reference page', () => {
  const article = extractArticle(reference, 'https://news.example/world/us-and-russia?utm_source=x');

  it('yields the headline, standfirst, lead image with caption and credit, and the metadata', () => {
    expect(article).toMatchObject({
      headline: 'US And Russia Urge Peaceful Solution To Ukraine Crisis',
      standfirst: expect.stringMatching(/^US Secretary of State John Kerry .* eastern cities of Ukraine\.$/),
      authors: ['Ann Reporter'],
      publishedAt: new Date('2014-04-10T05:12:00Z'),
      updatedAt: new Date('2014-04-10T08:40:00Z'),
      canonicalUrl: 'https://news.example/world/us-and-russia-urge-peaceful-solution',
      language: 'en',
      siteName: 'Dateline Test News',
      leadImage: {
        src: 'https://news.example/images/kerry-lavrov.jpg',
        alt: 'John Kerry and Sergei Lavrov',
        caption: 'US and Russia urge peaceful solution',
        credit: 'Reuters',
        width: 976,
        height: 549,
      },
    });
  });

  it('yields exactly the article body: its paragraphs, crosshead and list, in order, and no clutter', () => {
    const body = article?.body ?? [];
    expect(body.map((b) => b.type)).toEqual([
      ...Array(4).fill('paragraph'),
      'crosshead',
      ...Array(9).fill('paragraph'),
      'paragraph',
      'list',
      'paragraph',
    ]);
    expect(body[4]).toEqual({ type: 'crosshead', text: '‘Dialogue, not force’' });
    expect(body[15]).toMatchObject({
      type: 'list',
      style: 'bulleted',
      items: [expect.stringMatching(/^56 members/), expect.stringMatching(/^Russian President/)],
    });
    // The text, paragraph by paragraph, is the reference's body with its inline quotes intact.
    expect(articleText(body).split('\n\n')).toEqual(referenceText.trim().split('\n').filter(Boolean));
    const all = JSON.stringify(article);
    for (const clutter of [
      '3.8 C',
      'New York',
      'Latest news',
      'Related news',
      'Share on',
      'newsletter',
      'cookies',
      'FTSE',
      'Read more',
      'Gazprom warns',
      'tracker.example',
      'ads.example',
    ])
      expect(all).not.toContain(clutter);
  });
});

describe('extractArticle', () => {
  it('finds no article on an index page of links', () => {
    const links = Array.from(
      { length: 30 },
      (_, i) => `<li><a href="/story/${i}">Story number ${i} of the day</a></li>`,
    ).join('');
    expect(
      extractArticle(`<html><body><h1>World</h1><ul>${links}</ul></body></html>`, 'https://news.example/world'),
    ).toBeUndefined();
  });

  it('finds no article on an empty or error page', () => {
    expect(
      extractArticle('<html><body><h1>404 Not Found</h1><p>Sorry.</p></body></html>', 'https://news.example/x'),
    ).toBeUndefined();
    expect(extractArticle('', 'https://news.example/x')).toBeUndefined();
  });

  it('reads the headline from og:title and falls back to <title>, and authors from the byline', () => {
    const prose =
      '<p>The council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its piers. Cyclists and people on foot may still use it.</p>'.repeat(
        3,
      );
    const a = extractArticle(
      `<html lang="pt-BR"><head><title>Bridge closes | Site</title></head><body><article><h1>Bridge closes</h1><p class="byline">By Ana Lima and Rui Costa</p>${prose}</article></body></html>`,
      'https://n.example/a',
    );
    expect(a).toMatchObject({ headline: 'Bridge closes', authors: ['Ana Lima', 'Rui Costa'], language: 'pt' });
    expect(a?.body).toHaveLength(3);
  });
});
