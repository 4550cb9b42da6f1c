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
