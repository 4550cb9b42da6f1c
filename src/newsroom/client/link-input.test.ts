import { describe, expect, it } from 'vitest';
import { embedUrlFromInput, hrefFromInput, providerOf } from './link-input.js';

describe('hrefFromInput', () => {
  it.each([
    ['https://example.org/a', 'https://example.org/a'],
    ['  http://example.org  ', 'http://example.org'],
    ['example.org/report?x=1', 'https://example.org/report?x=1'],
    ['desk@example.org', 'mailto:desk@example.org'],
    ['mailto:desk@example.org', 'mailto:desk@example.org'],
    ['/world', '/world'],
    ['#notes', '#notes'],
  ])('makes %j a link to %j', (typed, href) => {
    expect(hrefFromInput(typed)).toBe(href);
  });

  it.each(['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example', 'hello world', ''])(
    'refuses %j',
    (typed) => {
      expect(hrefFromInput(typed)).toBeUndefined();
    },
  );
});

describe('embedUrlFromInput and providerOf', () => {
  it('accepts http(s) addresses, adding https:// to a bare one', () => {
    expect(embedUrlFromInput('www.youtube.com/watch?v=x')).toBe('https://www.youtube.com/watch?v=x');
    expect(embedUrlFromInput('javascript:alert(1)')).toBeUndefined();
  });

  it('names well-known providers only', () => {
    expect(providerOf('https://www.youtube.com/watch?v=x')).toBe('YouTube');
    expect(providerOf('https://youtu.be/x')).toBe('YouTube');
    expect(providerOf('https://notyoutube.com/x')).toBeNull();
    expect(providerOf('not a url')).toBeNull();
  });
});
