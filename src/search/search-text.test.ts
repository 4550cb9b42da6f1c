import { describe, expect, it } from 'vitest';
import { indexText, pgConfig, stemsHere } from './search-text.js';

describe('indexText', () => {
  it('gives English text to either engine exactly as written', () => {
    const text = "Volcano <GRB> erupts: 3.5% of U.S. homes' roofs — covid-19, café";
    expect(indexText(text, 'en', 'sqlite')).toBe(text);
    expect(indexText(text, 'en-GB', 'postgres')).toBe(text);
  });

  it('pre-stems other languages for SQLite, leaving Latin words of a Russian text to the English tokenizer', () => {
    expect(indexText('Новости дня: Gazprom exports', 'ru', 'sqlite')).toBe('новост дня: Gazprom exports');
    expect(indexText('Die Häuser brennen', 'de', 'sqlite')).toBe('die haus brenn');
  });

  it("leaves stems to PostgreSQL's configuration of the language, and makes them where it has none", () => {
    expect(indexText('Новости дня', 'ru', 'postgres')).toBe('Новости дня');
    expect(pgConfig('ru-RU')).toBe('russian');
    expect(pgConfig('uk')).toBe('english');
    expect(stemsHere('cs', 'postgres')).toBe(true);
    expect(indexText('Zprávy dne', 'cs', 'postgres')).toBe('zpráv dn');
  });

  it('spaces Chinese and Japanese words, and stems a quotation in another script in its own language', () => {
    expect(indexText('今日新闻 (Xinhua)', 'zh', 'postgres')).toBe('今日 新闻 (Xinhua)');
    expect(indexText('東京で地震', 'ja', 'sqlite')).toBe('東京 で 地震');
    expect(indexText('The word новостей', 'en', 'postgres')).toBe('The word новост');
    expect(indexText('Новини дня', 'uk', 'sqlite')).toBe('Новини дня');
  });
});
