import { describe, expect, it } from 'vitest';
import { hasStemmer, normalizeWord, stem } from './stem.js';
import { isStopword, stopwords } from './stopwords.js';

describe('stem', () => {
  it('brings inflected forms of a language to one stem', () => {
    expect(stem('новости', 'ru')).toBe(stem('новостей', 'ru'));
    expect(stem('Häuser', 'de')).toBe('haus');
    expect(stem('maisons', 'fr')).toBe(stem('maison', 'fr'));
    expect(stem('noticias', 'es')).toBe(stem('noticia', 'es'));
    expect(stem('notizie', 'it')).toBe(stem('notizia', 'it'));
    expect(stem('notícias', 'pt-BR')).toBe(stem('notícia', 'pt'));
    expect(stem('nieuwsberichten', 'nl')).toBe(stem('nieuwsbericht', 'nl'));
    expect(stem('الكتاب', 'ar')).toBe('كتاب');
  });

  it('uses Porter for English, as the related engine always has', () => {
    expect(stem('Eruptions', 'en')).toBe('erupt');
    expect(stem('running', 'en-GB')).toBe('run');
  });

  it('lower-cases words of languages without a stemmer, and reads ё as е in Russian', () => {
    expect(hasStemmer('uk')).toBe(false);
    expect(stem('Новини', 'uk')).toBe('новини');
    expect(stem('新闻', 'zh')).toBe('新闻');
    expect(normalizeWord('Ёлка', 'ru')).toBe('елка');
    expect(normalizeWord('Їжак', 'uk')).toBe('їжак');
  });
});

describe('stopwords', () => {
  it('has a list per main language, and none for others', () => {
    for (const [word, lang] of [
      ['the', 'en'],
      ['и', 'ru'],
      ['та', 'uk'],
      ['und', 'de'],
      ['les', 'fr'],
      ['los', 'es'],
      ['della', 'it'],
      ['não', 'pt'],
      ['het', 'nl'],
      ['في', 'ar'],
      ['的', 'zh'],
      ['の', 'ja'],
    ])
      expect(isStopword(word as string, lang as string)).toBe(true);
    expect(isStopword('новости', 'ru')).toBe(false);
    expect(stopwords('xx').size).toBe(0);
  });
});
