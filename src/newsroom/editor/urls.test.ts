import { describe, expect, it } from 'vitest';
import { sanitizeInline } from '../../articles/blocks.js';
import { isAllowedEmbedUrl, isAllowedHref, isAllowedImageSrc } from './urls.js';

describe('isAllowedHref', () => {
  it.each(['https://example.org/a', 'http://example.org', 'mailto:desk@example.org', '/world', '#notes', 'page.html'])(
    'allows %j, as sanitizeInline does',
    (href) => {
      expect(isAllowedHref(href)).toBe(true);
      expect(sanitizeInline(`<a href="${href}">x</a>`)).toContain('href=');
    },
  );

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,x',
    'vbscript:x',
    'ftp://example.org/',
    '//evil.example/',
    '/\\evil.example/',
    '',
  ])('refuses %j', (href) => {
    expect(isAllowedHref(href)).toBe(false);
  });

  it('refuses an over-long link', () => {
    expect(isAllowedHref(`https://example.org/${'a'.repeat(2000)}`)).toBe(false);
  });
});

describe('isAllowedImageSrc', () => {
  it.each(['/media/a.jpg', '/media/2024/05/a-b.webp', 'https://images.example/a.jpg'])('allows %j', (src) => {
    expect(isAllowedImageSrc(src)).toBe(true);
  });

  it.each([
    'http://images.example/a.jpg',
    '/images/a.jpg',
    '/media/../admin',
    '/media/a/../../x',
    '/media/a b.jpg',
    'data:image/png;base64,AAAA',
    'javascript:alert(1)',
    'https:/images.example/a.jpg',
    '//images.example/a.jpg',
  ])('refuses %j', (src) => {
    expect(isAllowedImageSrc(src)).toBe(false);
  });
});

describe('isAllowedEmbedUrl', () => {
  it('allows http and https URLs only', () => {
    expect(isAllowedEmbedUrl('https://video.example/v/1')).toBe(true);
    expect(isAllowedEmbedUrl('http://video.example/v/1')).toBe(true);
    expect(isAllowedEmbedUrl('/media/v.mp4')).toBe(false);
    expect(isAllowedEmbedUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedEmbedUrl('https://video.example/a b')).toBe(false);
  });
});
