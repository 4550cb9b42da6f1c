import { describe, expect, it } from 'vitest';
import { assignSection, assignTags, leadParagraph, leadText, rankSections, rankTags } from './demo-rules.js';

describe('assignSection', () => {
  it('puts a football match in Sport', () => {
    expect(
      assignSection(
        'Harbour City beat Riverside 2–1 in cup final',
        'Harbour City won the football match on Saturday with a late goal, lifting the cup for the first time.',
      ),
    ).toBe('Sport');
  });

  it('puts a parliament vote in Politics', () => {
    expect(
      assignSection(
        'Parliament votes to delay budget',
        'Members of parliament voted 312 to 290 on Tuesday to delay the budget, a defeat for the prime minister.',
      ),
    ).toBe('Politics');
  });

  it('falls back to World when no rule scores enough', () => {
    expect(assignSection('Bus overturns on mountain road, killing six', 'Six people died on Monday.')).toBe('World');
  });

  it('does not move a story out of World for a passing mention in the lead', () => {
    expect(assignSection('Fire destroys apartment block', 'Three people were taken to hospital.')).toBe('World');
  });

  it('weights the title over the lead', () => {
    // One title keyword (3) beats two lead keywords (2).
    expect(assignSection('Earthquake shakes capital', 'The minister said the government vote would go ahead.')).toBe(
      'Environment',
    );
  });

  it('matches whole words only', () => {
    // "cup" in "cupboard", "app" in "happy", "war" in "award" and "warm" must not count; "award" itself does.
    expect(rankSections('Cupboard of happy memories', 'A warm welcome and an award.')).toEqual([
      { section: 'Culture', score: 1 },
    ]);
  });

  it('breaks ties by section priority', () => {
    // Politics (president) and Health (vaccine) score the same; Politics comes first.
    expect(assignSection('President backs vaccine plan', '')).toBe('Politics');
  });

  it('skips excluded sections, taking the next best', () => {
    const title = 'Company shares fall after study';
    expect(assignSection(title, '')).toBe('Business');
    expect(assignSection(title, '', new Set(['Business']))).toBe('Science');
  });

  it('follows mergeInto when only excluded sections matched', () => {
    expect(assignSection('Marathon record broken', '', new Set(['Sport']))).toBe('Culture');
  });

  it('does not read bare "storm" as weather', () => {
    expect(assignSection('Fans plan to storm the stadium gates', '')).not.toBe('Environment');
    expect(assignSection('Tropical Storm Barry nears coast', '')).toBe('Environment');
  });
});

describe('assignTags', () => {
  it('maps "U.S." and "US" to United States', () => {
    expect(assignTags('U.S. Senate passes bill', '')).toEqual(['United States']);
    expect(assignTags('US Senate passes bill', '')).toEqual(['United States']);
  });

  it('does not match "US" inside a word or "us" in lower case', () => {
    expect(assignTags('New USB standard lets us charge faster', 'Tell us about it, said the USB group.')).toEqual([]);
  });

  it('maps alternate names to one canonical tag', () => {
    expect(assignTags('Britain and the UK', 'The United Kingdom, in England.')).toEqual(['United Kingdom']);
  });

  it('recognises demonyms and places that stand for their country', () => {
    expect(assignTags('Iranian cargo plane crashes', '')).toEqual(['Iran']);
    expect(assignTags('Florida highway pileup kills seven', '')).toEqual(['United States']);
  });

  it('prefers the longest name where names overlap', () => {
    expect(assignTags('South Sudan talks', '')).toEqual(['South Sudan']);
    expect(assignTags('New South Wales votes', '')).toEqual(['Australia']);
    expect(assignTags('Flooding in New Mexico', '')).toEqual(['United States']);
  });

  it('ignores blocked phrases', () => {
    expect(assignTags('Storm in the Gulf of Mexico', 'It moved across the Indian Ocean.')).toEqual([]);
  });

  it('finds organisations', () => {
    expect(assignTags('NASA and the European Union sign deal', 'The EU and NASA said…')).toEqual([
      'NASA',
      'European Union',
    ]);
  });

  it('ranks title mentions above lead mentions and keeps at most four', () => {
    const lead = 'Officials from France, Germany, Italy, Spain and Portugal met in Brussels.';
    expect(rankTags('Kenya hosts summit', lead)[0]).toBe('Kenya');
    expect(assignTags('Kenya hosts summit', lead)).toEqual(['Kenya', 'France', 'Germany', 'Italy']);
  });

  it('counts presence, not repetition', () => {
    // "Doha, Qatar" is two mentions of Qatar, but Norway is first in the headline.
    expect(assignTags('Norway wins gold in Doha', 'Norway won in Doha, Qatar.')).toEqual(['Norway', 'Qatar']);
  });
});

describe('lead helpers', () => {
  it('skips chart colour keys at the start of a body', () => {
    const body =
      '██ Labour Party - 203 seats\n\n██ Green Party - 1 seat\n\nThe Conservative Party won a majority.\n\nMore.';
    expect(leadParagraph(body)).toBe('The Conservative Party won a majority.');
    expect(leadText(body, 600)).toBe('The Conservative Party won a majority.\n\nMore.');
  });

  it('cuts the lead at a word break', () => {
    expect(leadText('alpha beta gamma', 12)).toBe('alpha beta');
  });
});
