import { describe, expect, it } from 'vitest';
import { stripControlChars, withoutControlChars } from './control-chars.js';

describe('withoutControlChars', () => {
  it('removes NUL, C0 and C1 controls and lone surrogates, keeping tabs, line breaks, emoji and every script', () => {
    expect(stripControlChars('a\u0000b\u0007c\u001bd\u0085e\u007f')).toBe('abcde');
    expect(stripControlChars('Мир\t今日\n💥\r\nأخبار')).toBe('Мир\t今日\n💥\r\nأخبار');
    expect(stripControlChars('x\ud83dy\udca5z')).toBe('xyz');
  });

  it('cleans every string of nested objects and arrays, and leaves dates and numbers as they are', () => {
    const at = new Date('2026-12-05T09:00:00Z');
    const cleaned = withoutControlChars({ a: ['x\u0000'], b: { c: 'y\u0000' }, at, n: 1, none: null });
    expect(cleaned).toEqual({ a: ['x'], b: { c: 'y' }, at, n: 1, none: null });
    expect(cleaned.at).toBeInstanceOf(Date);
  });
});
