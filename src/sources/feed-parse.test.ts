import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeedText, plain } from './feed-parse.js';
import { SourceError } from './source.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function failure(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('did not fail');
}

describe('parseFeedText', () => {
  it('reads RSS 2.0: markup out of titles, relative links resolved, the duplicate GUID dropped, a bad date left out', () => {
    const feed = parseFeedText(fixture('rss.xml'), 'https://wire.example/world/rss.xml');
    expect(feed.format).toBe('rss');
    expect(feed.duplicates).toBe(1);
    expect(feed.items.map((i) => i.guid)).toEqual([
      'hw-2026-12-05-0042',
      'https://wire.example/economy/2026/12/05/rates',
      'storm-warning',
    ]);
    const [ports, rates, storm] = feed.items;
    expect(ports?.title).toBe('Ports reopen after three-day strike & talks');
    expect(ports?.url).toBe('https://wire.example/world/2026/12/05/ports-reopen');
    expect(ports?.authors).toEqual(['Mara Lindqvist']);
    expect(ports?.publishedAt?.toISOString()).toBe('2026-12-05T14:20:00.000Z');
    expect(ports?.summary).toBe('Dockworkers returned to the quays of Rotterdam and Antwerp on Saturday.');
    expect(ports?.html).toContain('<h2>What was agreed</h2>');
    // The description is the body when there is no content:encoded.
    expect(rates?.html).toContain('3.25%');
    expect(rates?.summary).toBe('');
    expect(storm?.publishedAt).toBeUndefined();
    expect(storm?.url).toBe('https://wire.example/world/storm-warning');
  });

  it('reads Atom 1.0 with HTML titles and relative alternate links', () => {
    const feed = parseFeedText(fixture('atom.xml'), 'https://ledger.example/atom.xml');
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Northern Ledger');
    const [tram, library] = feed.items;
    expect(tram).toMatchObject({
      guid: 'tag:ledger.example,2026:tram',
      url: 'https://ledger.example/city/tram-line',
      title: 'Council approves new tram line',
      summary: 'The council voted 31 to 12 for the eastern tram line.',
      authors: ['Ines Okafor'],
    });
    expect(tram?.publishedAt?.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(library?.publishedAt?.toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('reads JSON Feed 1.1, numeric ids and plain-text content included', () => {
    const feed = parseFeedText(fixture('feed.json'), 'https://fjord.example/feed.json', 'application/feed+json');
    expect(feed.format).toBe('json');
    expect(feed.items[1]).toMatchObject({
      guid: '1002',
      url: 'https://fjord.example/news/fishing-quotas',
      text: 'Cod quotas will fall by 8% next year.\n\nHaddock quotas rise slightly.',
    });
  });

  it('reads IPTC ninjs 1.x and 2.x items', () => {
    const feed = parseFeedText(fixture('ninjs.json'), 'https://newswire.example/ninjs', 'application/json');
    expect(feed.format).toBe('ninjs');
    expect(feed.items[0]).toMatchObject({
      guid: 'https://newswire.example/ninjs/2026/12/05/glacier-survey',
      canonicalUrl: 'https://newswire.example/ninjs/2026/12/05/glacier-survey',
      title: 'Glacier survey finds faster melt',
      authors: ['Sigrid Haug'],
    });
    expect(feed.items[0]?.publishedAt?.toISOString()).toBe('2026-12-05T11:55:00.000Z');
    expect(feed.items[1]).toMatchObject({
      guid: 'urn:newswire:2026:rail-strike',
      url: 'https://newswire.example/rail-strike',
      title: 'Rail strike called off',
      summary: "Unions called off Monday's rail strike.",
    });
    expect(feed.items[1]?.text).toContain('Trains will run as normal.');
  });

  it('says an HTML error page is not a feed', () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>oops</body></html>';
    expect(failure(() => parseFeedText(page, 'https://x.example/rss', 'text/html')).code).toBe('SOURCE_NOT_A_FEED');
    expect(failure(() => parseFeedText('<html><body>Not found</body></html>', 'https://x.example/')).code).toBe(
      'SOURCE_NOT_A_FEED',
    );
    expect(failure(() => parseFeedText('   ', 'https://x.example/')).code).toBe('SOURCE_NOT_A_FEED');
  });

  it('says garbage is unparsable', () => {
    expect(failure(() => parseFeedText('\x00\x01garbage}{', 'https://x.example/')).code).toBe('SOURCE_UNPARSABLE');
    expect(failure(() => parseFeedText('{"items": [1, 2', 'https://x.example/')).code).toBe('SOURCE_UNPARSABLE');
    expect(failure(() => parseFeedText('{"hello": "world"}', 'https://x.example/')).code).toBe('SOURCE_UNPARSABLE');
  });

  it('gives an item without GUID or link an identity from its text, the same on every poll', () => {
    const rss = (t: string) =>
      `<rss version="2.0"><channel><title>x</title><item><title>${t}</title><description>d</description></item></channel></rss>`;
    const a = parseFeedText(rss('Same'), 'https://x.example/').items[0]?.guid;
    expect(a).toBe(parseFeedText(rss('Same'), 'https://x.example/').items[0]?.guid);
    expect(a).not.toBe(parseFeedText(rss('Other'), 'https://x.example/').items[0]?.guid);
  });
});

describe('plain', () => {
  it('strips markup and decodes entities, even escaped twice', () => {
    expect(plain('A &amp;amp; B &lt;b&gt;bold&lt;/b&gt; &#8212; &#x2019;s')).toBe('A & B bold — ’s');
    expect(plain('x &lt; y')).toBe('x < y');
  });
});
