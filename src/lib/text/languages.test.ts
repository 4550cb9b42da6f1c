import { describe, expect, it } from 'vitest';
import {
  baseLanguage,
  languageScript,
  queryLanguages,
  scriptOf,
  snowballAlgorithm,
  wordLanguage,
} from './languages.js';

describe('languages', () => {
  it('reads a tag down to its base language', () => {
    expect(baseLanguage('pt-BR')).toBe('pt');
    expect(baseLanguage('zh_Hant_TW')).toBe('zh');
    expect(baseLanguage('')).toBe('und');
  });

  it('knows each script of a word, and digits as no script', () => {
    expect(scriptOf('Новости')).toBe('cyrillic');
    expect(scriptOf('新闻')).toBe('cjk');
    expect(scriptOf('ニュース')).toBe('cjk');
    expect(scriptOf('ข่าว')).toBe('thai');
    expect(scriptOf('أخبار')).toBe('arabic');
    expect(scriptOf('2024')).toBe('common');
    expect(scriptOf('COVID19')).toBe('latin');
  });

  it('has Snowball for the main European languages, none for Ukrainian', () => {
    for (const l of ['en', 'ru', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'ar'])
      expect(snowballAlgorithm(l)).toBeDefined();
    expect(snowballAlgorithm('uk')).toBeUndefined();
    expect(languageScript('uk')).toBe('cyrillic');
  });

  it("reads a word in its article's language, or its script's usual one", () => {
    expect(wordLanguage('новости', 'ru-RU')).toBe('ru');
    expect(wordLanguage('Gazprom', 'ru')).toBe('en');
    expect(wordLanguage('новости', 'en')).toBe('ru');
    expect(wordLanguage('2024', 'uk')).toBe('uk');
  });

  it("tries the site's language and the usual ones of the word's script at query time", () => {
    expect(queryLanguages('houses', 'en')).toEqual(['en']);
    expect(queryLanguages('Häuser', 'de')).toEqual(['de', 'en']);
    expect(queryLanguages('новости', 'en')).toEqual(['ru', 'uk']);
    expect(queryLanguages('новини', 'uk')).toEqual(['uk', 'ru']);
    expect(queryLanguages('2024', 'fr')).toEqual(['fr']);
  });
});
