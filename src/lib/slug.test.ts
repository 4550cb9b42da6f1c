import { describe, expect, it } from 'vitest';
import { slugFor, slugify, slugOrDerived, titleCase } from './slug.js';

describe('slugify', () => {
  it('lowercases words and joins them with hyphens', () => {
    expect(slugify('Rivals Agree To Talks')).toBe('rivals-agree-to-talks');
  });

  it('folds diacritics to plain ASCII letters', () => {
    expect(slugify('Crème brûlée, São Paulo & Zürich')).toBe('creme-brulee-sao-paulo-and-zurich');
    expect(slugify('Côte d’Ivoire: “Elections” 2019')).toBe('cote-divoire-elections-2019');
  });

  it('folds compatibility characters such as ligatures', () => {
    expect(slugify('ﬁnal whistle')).toBe('final-whistle');
  });

  it('drops straight, curly and backtick apostrophes without splitting the word', () => {
    expect(slugify("Don't stop")).toBe('dont-stop');
    expect(slugify('Don’t ‘stop’')).toBe('dont-stop');
    expect(slugify('rock `n` roll')).toBe('rock-n-roll');
  });

  it('spells an ampersand as "and"', () => {
    expect(slugify('Rock & Roll')).toBe('rock-and-roll');
    expect(slugify('AT&T')).toBe('at-and-t');
  });

  it('collapses runs of punctuation and spaces into one hyphen and trims the ends', () => {
    expect(slugify('  --Hello!!! --- World???-- ')).toBe('hello-world');
    expect(slugify('a_b.c/d')).toBe('a-b-c-d');
  });

  it('keeps digits', () => {
    expect(slugify('G7 summit 2024')).toBe('g7-summit-2024');
  });

  it('returns an empty string when nothing usable is left', () => {
    expect(slugify('')).toBe('');
    expect(slugify('!!! ??? ---')).toBe('');
    expect(slugify('日本')).toBe('');
  });

  it('leaves a slug of exactly the maximum length whole', () => {
    expect(slugify('abcde fghij', 11)).toBe('abcde-fghij');
  });

  it('cuts a long slug at a hyphen so no word is broken', () => {
    expect(slugify('alpha beta gamma delta', 12)).toBe('alpha-beta');
  });

  it('keeps the default limit of 80 characters, ending on a whole word', () => {
    const slug = slugify('word '.repeat(30));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toBe(Array(16).fill('word').join('-'));
  });

  it('cuts mid-word when the only hyphen is in the first half, rather than losing most of the slug', () => {
    expect(slugify('ab cdefghijklmnop', 10)).toBe('ab-cdefghi');
    expect(slugify('abcdefghijklmnop', 10)).toBe('abcdefghij');
  });

  it('never ends a cut slug with a hyphen', () => {
    for (let max = 5; max <= 30; max++) {
      const slug = slugify('one two three four five six seven eight', max);
      expect(slug.length).toBeLessThanOrEqual(max);
      expect(slug).not.toMatch(/^-|-$/);
    }
  });
});

describe('slugify in other scripts', () => {
  it('transliterates Cyrillic, Greek and Arabic', () => {
    expect(slugify('Новости дня')).toBe('novosti-dnya');
    expect(slugify('Иван Петров')).toBe('ivan-petrov');
    expect(slugify('Йошкар-Ола')).toBe('yoshkar-ola');
    expect(slugify('Ελλάδα')).toBe('ellada');
    expect(slugify('أخبار اليوم')).toBe('akhbar-alywm');
  });
});

describe('slugFor', () => {
  it('gives text with no Latin spelling a stable id, the same on every call', () => {
    for (const text of ['今日新闻', '💥💥💥', 'שלום']) {
      expect(slugFor(text)).toMatch(/^u[a-z0-9]{14}$/);
      expect(slugFor(text)).toBe(slugFor(` ${text} `));
    }
    expect(new Set(['今日新闻', '明日新闻', '💥💥💥', '💥💥'].map((t) => slugFor(t))).size).toBe(4);
  });

  it('is the transliterated slug when there is one, and empty only for blank text', () => {
    expect(slugFor('Мир')).toBe('mir');
    expect(slugFor('  ')).toBe('');
  });
});

describe('slugOrDerived', () => {
  it('keeps a well-formed given slug', () => {
    expect(slugOrDerived('ivan', 'Иван Петров')).toBe('ivan');
  });

  it('derives the slug from the name when the given one could leave its address or is too long', () => {
    expect(slugOrDerived('"><x', 'Иван Петров')).toBe('ivan-petrov');
    expect(slugOrDerived('../../media/x', 'Иван Петров')).toBe('ivan-petrov');
    expect(slugOrDerived('a'.repeat(150), 'Иван Петров')).toBe('ivan-petrov');
    expect(slugOrDerived('-x-', 'Мир')).toBe('mir');
    expect(slugOrDerived(undefined, '今日')).toMatch(/^u[a-z0-9]{14}$/);
  });
});

describe('titleCase', () => {
  it('turns hyphenated and underscored slugs into capitalised words', () => {
    expect(titleCase('world-news')).toBe('World News');
    expect(titleCase('climate_and__energy')).toBe('Climate And Energy');
  });

  it('keeps short upper-case abbreviations as written', () => {
    expect(titleCase('UK-politics')).toBe('UK Politics');
    expect(titleCase('EU and US trade')).toBe('EU And US Trade');
  });

  it('capitalises short lower-case words', () => {
    expect(titleCase('uk_politics')).toBe('Uk Politics');
    expect(titleCase('a b')).toBe('A B');
  });

  it('keeps the rest of each word as written', () => {
    expect(titleCase('BBC news')).toBe('BBC News');
    expect(titleCase('mcDonald farm')).toBe('McDonald Farm');
  });

  it('collapses surrounding and repeated whitespace', () => {
    expect(titleCase('  multiple   spaces ')).toBe('Multiple Spaces');
  });

  it('returns an empty string for empty input', () => {
    expect(titleCase('')).toBe('');
    expect(titleCase(' - _ ')).toBe('');
  });
});
