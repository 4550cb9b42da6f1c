import { describe, expect, it } from 'vitest';
import { textDirection } from './language.js';

describe('textDirection', () => {
  it('runs Arabic, Hebrew, Persian and Urdu right to left, with or without a region', () => {
    for (const lang of ['ar', 'ar-EG', 'he', 'iw', 'fa-IR', 'ur', 'yi']) expect(textDirection(lang)).toBe('rtl');
  });

  it('runs Latin, Cyrillic and CJK languages left to right', () => {
    for (const lang of ['en', 'en-GB', 'ru', 'uk', 'zh-Hans', 'ja', 'de-CH']) expect(textDirection(lang)).toBe('ltr');
  });

  it('follows the script subtag over the language', () => {
    expect(textDirection('az-Arab')).toBe('rtl');
    expect(textDirection('ku-Latn')).toBe('ltr');
    expect(textDirection('pa-Arab-PK')).toBe('rtl');
  });
});
