import { describe, expect, it } from 'vitest';
import { distinctiveTerms, tokenize } from './terms.js';

describe('tokenize', () => {
  it('lowercases words and drops stopwords', () => {
    expect(tokenize('The minister said they would not resign')).toEqual(['minister', 'resign']);
  });

  it('drops the newsroom filler words on the stopword list', () => {
    expect(tokenize('Mr Smith told reporters last week, according to officials')).toEqual([
      'smith',
      'reporters',
      'last',
      'officials',
    ]);
  });

  it('keeps US written in capitals as a term, but not the pronoun "us"', () => {
    expect(tokenize('The US and Russia urge a peaceful solution')).toEqual([
      'us',
      'russia',
      'urge',
      'peaceful',
      'solution',
    ]);
    expect(tokenize('Join us for the debate')).toEqual(['join', 'debate']);
  });

  it('keeps U.S. with dots as the term "us"', () => {
    expect(tokenize('U.S. officials arrive')).toEqual(['us', 'officials', 'arrive']);
    expect(tokenize('Sanctions from the U.S.')).toEqual(['us', 'sanctions']);
  });

  it('does not take US out of longer capitalised words', () => {
    expect(tokenize('USA BUS')).toEqual(['usa', 'bus']);
  });

  it('keeps UK and EU as terms, once per mention', () => {
    expect(tokenize('UK and EU trade talks')).toEqual(['uk', 'eu', 'trade', 'talks']);
  });

  it('counts each mention of US', () => {
    expect(tokenize('US troops, U.S. aid').filter((t) => t === 'us')).toHaveLength(2);
  });

  it('drops numbers but keeps words that contain digits', () => {
    expect(tokenize('In 2024, 3 million 5G masts and 10,000 homes')).toEqual(['million', '5g', 'masts', 'homes']);
  });

  it('folds diacritics', () => {
    expect(tokenize('Zürich and São Paulo, Côte d’Ivoire')).toEqual(['zurich', 'sao', 'paulo', 'cote', 'ivoire']);
  });

  it('drops one-letter fragments', () => {
    expect(tokenize('Plan B x y')).toEqual(['plan']);
  });

  it('keeps letters of other scripts', () => {
    expect(tokenize('Москва и Киев')).toEqual(['москва', 'киев']);
  });

  it('returns nothing for empty or stopword-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('and the of to')).toEqual([]);
  });
});

describe('distinctiveTerms', () => {
  it('orders terms by frequency', () => {
    expect(distinctiveTerms('dam talks geneva dam water dam talks', 3)).toEqual(['dam', 'talks', 'geneva']);
  });

  it('keeps earlier terms first on ties', () => {
    expect(distinctiveTerms('river dam talks geneva', 4)).toEqual(['river', 'dam', 'talks', 'geneva']);
  });

  it('returns each term once', () => {
    expect(distinctiveTerms('dam dam dam', 5)).toEqual(['dam']);
  });

  it('respects the limit', () => {
    const text = 'alpha bravo charlie delta echo foxtrot golf hotel';
    expect(distinctiveTerms(text, 3)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(distinctiveTerms(text, 0)).toEqual([]);
    expect(distinctiveTerms(text, 100)).toHaveLength(8);
  });

  it('counts a headline word double', () => {
    // geneva: 2 (headline) + 1; dam: 2 from the text alone.
    expect(distinctiveTerms('dam talks dam geneva', 2, 'Geneva')).toEqual(['geneva', 'dam']);
    // A headline word beats a word the text mentions once.
    expect(distinctiveTerms('ceasefire holds', 1, 'Border')).toEqual(['border']);
  });

  it('puts headline words ahead of text words with the same count', () => {
    expect(distinctiveTerms('talks talks', 2, 'Dam')).toEqual(['dam', 'talks']);
  });

  it('does not let a text word seen three times lose to a headline word seen once', () => {
    expect(distinctiveTerms('talks talks talks', 2, 'Dam')).toEqual(['talks', 'dam']);
  });

  it('weighs UK and EU like any other word mentioned once', () => {
    expect(distinctiveTerms('EU trade deal trade', 3)).toEqual(['trade', 'eu', 'deal']);
  });

  it('matches the documented example', () => {
    expect(distinctiveTerms('The US and Russia urge a peaceful solution', 5)).toEqual([
      'us',
      'russia',
      'urge',
      'peaceful',
      'solution',
    ]);
  });
});
