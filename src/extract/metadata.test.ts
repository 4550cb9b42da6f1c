import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { readMetadata } from './metadata.js';

const read = (head: string, body = '', lang = '') =>
  readMetadata(
    parseHTML(`<html${lang ? ` lang="${lang}"` : ''}><head>${head}</head><body>${body}</body></html>`)
      .document as never,
    'https://news.example/a/b',
  );

describe('readMetadata', () => {
  it('prefers JSON-LD, found inside @graph, for headline, times, authors, image and publisher', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Ignored' },
        {
          '@type': ['NewsArticle'],
          headline: 'Talks resume',
          description: 'After a week.',
          datePublished: '2024-03-01T10:00:00Z',
          dateModified: '2024-03-01T12:30:00Z',
          author: [{ '@type': 'Person', name: 'Ann Lee' }, 'Bo Chen'],
          image: { url: '/img/lead.jpg' },
          publisher: { name: 'The Example' },
        },
      ],
    };
    const meta = read(
      `<meta property="og:title" content="Other"><script type="application/ld+json">${JSON.stringify(ld)}</script>`,
    );
    expect(meta).toEqual({
      headline: 'Talks resume',
      standfirst: 'After a week.',
      authors: ['Ann Lee', 'Bo Chen'],
      publishedAt: new Date('2024-03-01T10:00:00Z'),
      updatedAt: new Date('2024-03-01T12:30:00Z'),
      leadImage: { src: 'https://news.example/img/lead.jpg', alt: '' },
      siteName: 'The Example',
    });
  });

  it('falls back to OpenGraph, article:*, <link rel=canonical>, <time> and <html lang>, and survives broken JSON-LD', () => {
    const meta = read(
      `<script type="application/ld+json">{ broken</script>
       <meta property="og:title" content="Bridge closes"><meta property="og:site_name" content="Gazette">
       <meta name="author" content="Ana Lima and Rui Costa"><link rel="canonical" href="/a/b-canonical">
       <meta property="og:image" content="https://cdn.example/x.jpg"><meta property="og:image:alt" content="The bridge">`,
      '<article><time datetime="2014-04-10">10 April</time></article>',
      'pt-BR',
    );
    expect(meta).toEqual({
      headline: 'Bridge closes',
      authors: ['Ana Lima', 'Rui Costa'],
      publishedAt: new Date('2014-04-10T12:00:00Z'),
      publishedDayOnly: true,
      leadImage: { src: 'https://cdn.example/x.jpg', alt: 'The bridge' },
      canonicalUrl: 'https://news.example/a/b-canonical',
      language: 'pt',
      siteName: 'Gazette',
    });
  });

  it('ignores an unparseable date and an author given as a profile URL', () => {
    const meta = read(
      '<meta property="article:published_time" content="yesterday"><meta property="article:author" content="https://facebook.com/x">',
      '<h1>Only a heading</h1>',
    );
    expect(meta).toEqual({ headline: 'Only a heading', authors: [] });
  });
});
