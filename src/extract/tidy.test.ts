import { describe, expect, it } from 'vitest';
import type { Block } from '../articles/article.js';
import { dropBoilerplate } from './tidy.js';

const PAGE = 'https://news.example/city/bridge-closes';
const story: Block = { type: 'paragraph', html: 'The bridge closes in spring.' };
const tidy = (blocks: Block[]) => dropBoilerplate(blocks, { headline: 'Bridge closes' }, PAGE);

describe('dropBoilerplate', () => {
  it('drops "Read more" lines, link-only lines, lone dates and a repeated headline, keeping the story', () => {
    const blocks = tidy([
      { type: 'crosshead', text: 'Bridge closes' },
      { type: 'paragraph', html: '19.11.2019, 08:57' },
      { type: 'paragraph', html: 'Bridge closes' },
      { type: 'paragraph', html: 'Updated 11:21 pm CST, Tuesday, November 19, 2019' },
      story,
      { type: 'paragraph', html: 'READ MORE: <a href="/x">Another bridge</a>' },
      { type: 'paragraph', html: '<a href="/y">Bridges of the city</a>' },
      { type: 'paragraph', html: 'Copyright 2019 The Gazette.' },
    ]);
    expect(blocks).toEqual([story, { type: 'paragraph', html: 'Copyright 2019 The Gazette.' }]);
  });

  it('keeps a link-only line to another site (what the story names), drops one to its own site or a subdomain', () => {
    const elsewhere: Block = {
      type: 'paragraph',
      html: '<a href="https://shop.example/kit?a=1&amp;b=2">Bridge repair kit</a>',
    };
    const blocks = tidy([
      story,
      elsewhere,
      { type: 'paragraph', html: '<a href="https://www.news.example/city/ferries">Ferries return</a>' },
      { type: 'paragraph', html: '<a href="https://live.news.example/city">City live</a>' },
    ]);
    expect(blocks).toEqual([story, elsewhere]);
  });

  it('drops a list whose every item is a lone date (a byline list), keeps a list with words', () => {
    const steps: Block = { type: 'list', style: 'numbered', items: ['Close the bridge', 'Repair 2 piers'] };
    expect(tidy([{ type: 'list', style: 'bulleted', items: [' 19.11.2019, 08:57 '] }, story, steps])).toEqual([
      story,
      steps,
    ]);
  });

  it('drops a "Related …" heading and the list of links under it, keeps other lists of links', () => {
    const sources: Block = {
      type: 'list',
      style: 'bulleted',
      items: ['<a href="https://council.example/report">The engineers’ report</a>', '<a href="/map">Map</a>'],
    };
    const blocks = tidy([
      story,
      { type: 'crosshead', text: 'Sources' },
      sources,
      { type: 'crosshead', text: 'Related coverage from City Hall:' },
      { type: 'list', style: 'bulleted', items: ['<a href="/a">Ferries return</a>', '<a href="/b">Tolls rise</a>'] },
    ]);
    expect(blocks).toEqual([story, { type: 'crosshead', text: 'Sources' }, sources]);
  });

  it('keeps a "Related" heading over a list that is prose, not links', () => {
    const blocks: Block[] = [
      { type: 'crosshead', text: 'Related costs' },
      { type: 'list', style: 'bulleted', items: ['Ferries cost <a href="/f">more</a> this year', 'Tolls rise'] },
    ];
    expect(tidy(blocks)).toEqual(blocks);
  });

  it('drops a widget label left alone ("You may also like…", "RECENT ARTICLES", "Comments") and a "Related post:" heading', () => {
    const blocks = tidy([
      story,
      { type: 'crosshead', text: 'Related post: Ferries of the bay' },
      { type: 'crosshead', text: 'You may also like:' },
      { type: 'paragraph', html: 'RECENT ARTICLES' },
      { type: 'paragraph', html: 'Popular this week' },
      { type: 'crosshead', text: 'Comments' },
    ]);
    expect(blocks).toEqual([story]);
  });

  it('keeps crossheads and lines that only open like a widget label', () => {
    const blocks: Block[] = [
      { type: 'crosshead', text: 'Popular demand grows' },
      { type: 'paragraph', html: 'Recent repairs have not held.' },
      { type: 'crosshead', text: 'Comments from the council' },
    ];
    expect(tidy(blocks)).toEqual(blocks);
  });

  it('drops a reading-time note and a newsletter pitch set as a heading, keeps sentences about reading time', () => {
    const kept: Block = { type: 'paragraph', html: 'Reading time for children rose 20 minutes a day.' };
    const blocks = tidy([
      { type: 'paragraph', html: 'Tempo de leitura: 2 minutos' },
      { type: 'paragraph', html: '4 min read' },
      { type: 'crosshead', text: 'Click here to subscribe to The Gazette Newsletter' },
      story,
      kept,
    ]);
    expect(blocks).toEqual([story, kept]);
  });
});
