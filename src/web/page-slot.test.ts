import { expect, it } from 'vitest';
import { PageEntry } from './page-entry.js';
import { BANNER_SLOT, createSlotFiller, type Fragment } from './page-slot.js';

const page = (body: string, type = 'text/html; charset=utf-8') =>
  new PageEntry(200, type, 'public, max-age=0', Buffer.from(body));

it('fills the slot with the fragment, once per fragment version, leaving the cached entry as it was', () => {
  let fragment: Fragment | undefined = { version: '1', html: Buffer.from('<aside>One</aside>') };
  const fill = createSlotFiller(() => fragment);
  const cached = page(`<header></header>${BANNER_SLOT}<main>Text</main>`);
  const first = fill(cached);
  expect(first.body.toString()).toBe('<header></header><aside>One</aside><main>Text</main>');
  expect(first.etag).not.toBe(cached.etag);
  expect(fill(cached)).toBe(first);
  expect(cached.body.toString()).toContain(BANNER_SLOT);

  fragment = { version: '2', html: Buffer.from('<aside>Two</aside>') };
  const second = fill(cached);
  expect(second.body.toString()).toContain('<aside>Two</aside>');
  expect(second.etag).not.toBe(first.etag);

  fragment = undefined;
  expect(fill(cached)).toBe(cached);
});

it('leaves pages without the slot, and documents that are not HTML, untouched', () => {
  const fill = createSlotFiller(() => ({ version: '1', html: Buffer.from('<aside>One</aside>') }));
  const plain = page('<main>No slot</main>');
  expect(fill(plain)).toBe(plain);
  const feed = page(`<rss>${BANNER_SLOT}</rss>`, 'application/rss+xml');
  expect(fill(feed)).toBe(feed);
});
