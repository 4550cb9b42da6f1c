import { describe, expect, it } from 'vitest';
import { entityKey, entityPhrases, extractFeatures, stemOf } from './features.js';

describe('stemOf', () => {
  it('stems words, keeps numbers and the US, drops stopwords and fragments', () => {
    expect(stemOf('Eruptions')).toBe(stemOf('eruption'));
    expect(stemOf('MH370')).toBe('mh370');
    expect(stemOf('2014')).toBe('2014');
    expect(stemOf('US')).toBe('us');
    expect(stemOf('us')).toBeUndefined();
    expect(stemOf('the')).toBeUndefined();
    expect(stemOf('a')).toBeUndefined();
    expect(stemOf('Zürich')).toBe(stemOf('zurich'));
  });
});

describe('entityPhrases', () => {
  it('finds capitalised runs inside sentences, with joining words', () => {
    const text =
      'Officials at the Bank of England said on Monday that Prime Minister Gordon Brown agreed. The rest followed.';
    expect(entityPhrases(text)).toEqual(['Bank of England', 'Monday', 'Prime Minister Gordon Brown']);
  });

  it('does not take a lone capitalised first word of a sentence', () => {
    expect(entityPhrases('Officials said little. Markets fell.')).toEqual([]);
    expect(entityKey('Bank of England')).toBe(entityKey('bank of england'));
  });
});

describe('extractFeatures', () => {
  const f = extractFeatures({
    headline: 'Volcano erupts near Grindavik',
    standfirst: 'The volcano near Grindavik erupted on Monday.',
    body: 'Scientists at the Icelandic Met Office said the eruption was expected.',
  });

  it('weighs headline words up and adds headline word pairs', () => {
    expect(f.terms.get(stemOf('volcano') as string)).toBe(1.5 + 1);
    expect(f.terms.get(`${stemOf('volcano')}+${stemOf('erupts')}`)).toBe(1.5);
    expect(f.terms.has(`${stemOf('near')}+${stemOf('grindavik')}`)).toBe(true);
  });

  it('adds entity phrases and remembers how features were written', () => {
    const key = entityKey('Icelandic Met Office') as string;
    expect(f.terms.get(key)).toBeCloseTo(0.3);
    expect(f.surface.get(key)).toBe('Icelandic Met Office');
    expect(f.surface.get(stemOf('erupts') as string)).toBe('erupts');
    expect(f.words.slice(0, 4)).toEqual(['volcano', 'erupts', 'near', 'grindavik']);
  });
});

describe('labels', () => {
  it('adds the section and each tag as weak features, shown by name', () => {
    const f = extractFeatures({
      headline: 'Lava reaches Grindavik',
      standfirst: '',
      body: '',
      section: { slug: 'world', name: 'World' },
      tags: [
        { slug: 'iceland', name: 'Iceland' },
        { slug: 'volcanoes', name: 'Volcanoes' },
      ],
    });
    expect(f.terms.get('§world')).toBe(0.5);
    expect(f.terms.get('#iceland')).toBe(0.5);
    expect(f.surface.get('#volcanoes')).toBe('#Volcanoes');
    expect(f.surface.get('§world')).toBe('§World');
    // Weaker than any word of the text, and not words of the text.
    expect(Math.max(...['§world', '#iceland'].map((k) => f.terms.get(k) ?? 0))).toBeLessThan(
      f.terms.get(stemOf('lava') as string) as number,
    );
    expect(f.words).toEqual(['lava', 'reaches', 'grindavik']);
  });
});

describe('features by language', () => {
  it('groups inflected Russian forms under one stem and drops Russian stop words', () => {
    const f = extractFeatures(
      { headline: 'Новости дня', standfirst: 'Главные новости и события', body: 'Обзор новостей за неделю.' },
      'ru',
    );
    expect(stemOf('новости', 'ru')).toBe(stemOf('новостей', 'ru'));
    expect(f.terms.get(stemOf('новости', 'ru') as string)).toBe(1.5 + 1 + 1);
    expect(stemOf('и', 'ru')).toBeUndefined();
    expect([...f.terms.keys()]).not.toContain('и');
  });

  it('takes the language from the article text when none is given, English otherwise', () => {
    const parts = { headline: 'Новости дня', standfirst: '', body: 'Обзор новостей.' };
    expect(extractFeatures({ ...parts, language: 'ru-RU' }).terms).toEqual(extractFeatures(parts, 'ru').terms);
    expect(extractFeatures({ headline: 'Volcano erupts', standfirst: '', body: '' }).terms.has('erupt')).toBe(true);
  });

  it('reads Ukrainian without a stemmer, with its stop words', () => {
    const f = extractFeatures({ headline: 'Новини та події у Києві', standfirst: '', body: '' }, 'uk');
    expect([...f.terms.keys()].filter((k) => !k.includes('+'))).toEqual(['новини', 'події', 'києві']);
  });

  it('cuts Chinese and Japanese into words, and keeps one-character Chinese words', () => {
    const zh = extractFeatures({ headline: '今日新闻', standfirst: '北京的天气很好', body: '' }, 'zh');
    expect(zh.terms.get('新闻')).toBe(1.5);
    expect(zh.terms.get('今日+新闻')).toBe(1.5);
    expect(zh.terms.has('北京')).toBe(true);
    expect(zh.terms.has('的')).toBe(false);
    const ja = extractFeatures({ headline: '東京で地震が発生', standfirst: '', body: '' }, 'ja');
    expect(ja.terms.has('地震')).toBe(true);
    expect(ja.terms.has('で')).toBe(false);
  });

  it('reads a Latin word in a Russian article as English, and Chinese inside an English one as Chinese', () => {
    const ru = extractFeatures({ headline: 'Газпром и Gazprom Neft: exports', standfirst: '', body: '' }, 'ru');
    expect(ru.terms.has('export')).toBe(true);
    expect(ru.terms.has('газпр')).toBe(true);
    const en = extractFeatures({ headline: 'Xinhua headline 今日新闻', standfirst: '', body: '' });
    expect(en.terms.has('新闻')).toBe(true);
  });

  it('gives Arabic stems and no features to emoji', () => {
    const f = extractFeatures({ headline: 'الكتاب 💥💥💥', standfirst: '', body: '' }, 'ar');
    expect([...f.terms.keys()]).toEqual(['كتاب']);
  });

  it('reads English exactly as before: stems and words of an English article do not depend on the new path', () => {
    const text = { headline: "Britain's ministers' talks", standfirst: 'Café owners said: US talks', body: '' };
    const f = extractFeatures(text);
    expect([...f.terms.keys()]).toEqual(
      expect.arrayContaining(['britain', 'minist', 'talk', 'cafe', 'owner', 'us', 'britain+minist', 'minist+talk']),
    );
    expect(f.words).toEqual(["britain's", 'ministers', 'talks', 'café', 'owners', 'said', 'us', 'talks']);
  });
});
