import { describe, expect, it } from 'vitest';
import { hasUnspaced, spaced, wordSpans, words } from './segment.js';

describe('segment', () => {
  it('cuts Chinese, Japanese and Thai into words with Intl.Segmenter', () => {
    expect(words('今日新闻')).toEqual(['今日', '新闻']);
    expect(words('東京で地震')).toEqual(['東京', 'で', '地震']);
    expect(words('ข่าววันนี้')).toEqual(['ข่าว', 'วัน', 'นี้']);
  });

  it('splits spaced scripts at anything but letters, digits and marks, and drops emoji', () => {
    expect(words('Новости: Kyiv — 💥 COVID-19, नमस्ते')).toEqual(['Новости', 'Kyiv', 'COVID', '19', 'नमस्ते']);
    expect(words("l'homme")).toEqual(['l', 'homme']);
  });

  it('separates a Latin word glued to Chinese', () => {
    expect(words('iPhone发布')).toEqual(['iPhone', '发布']);
    expect(words('Kyiv')).toEqual(['Kyiv']);
  });

  it('spaces unspaced runs and leaves the rest of a text as it was', () => {
    expect(spaced('今日新闻 (Xinhua), covid-19')).toBe('今日 新闻 (Xinhua), covid-19');
    const english = 'Volcano <GRB> erupts: 3.5% of U.S. homes';
    expect(spaced(english)).toBe(english);
    expect(hasUnspaced(english)).toBe(false);
    expect(hasUnspaced('新闻')).toBe(true);
  });
});

describe('wordSpans', () => {
  it('gives each word with its place, unspaced runs cut', () => {
    const text = 'Kyiv: 今日新闻';
    const spans = wordSpans(text);
    expect(spans.map((s) => s.word)).toEqual(['Kyiv', '今日', '新闻']);
    for (const s of spans) expect(text.slice(s.at, s.end)).toBe(s.word);
  });
});
