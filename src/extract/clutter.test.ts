import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { removeClutter } from './clutter.js';
import type { DomElement } from './dom.js';

const prose =
  '<p>The council voted on Tuesday to close the old bridge to cars from next spring, engineers having found cracks in two of its piers.</p>'.repeat(
    6,
  );

function cleaned(body: string): string {
  const { document } = parseHTML(`<html><body>${body}</body></html>`);
  removeClutter(document.body as unknown as DomElement);
  return document.body.textContent ?? '';
}

describe('removeClutter', () => {
  it('removes widgets named as such: weather, share bar, newsletter, cookie notice, captions outside figcaption', () => {
    const text =
      cleaned(`<div class="weather-widget">3.8 C New York</div><div class="share-bar"><a href="#">Share</a></div>
      <article class="article-body">${prose}<div class="image-caption">A caption</div></article>
      <div id="newsletter">Sign up</div><div class="cookie-consent">We use cookies</div>`);
    expect(text).toContain('The council voted');
    for (const gone of ['3.8 C', 'Share', 'Sign up', 'cookies', 'A caption']) expect(text).not.toContain(gone);
  });

  it('removes link lists by their heading ("Latest news", "Related", "Read more", "Recent posts"), keeping the article', () => {
    const text = cleaned(`<main>${prose}</main>
      <div><h3>Latest news</h3><ul><li><a href="/1">One story</a></li><li><a href="/2">Two story</a></li></ul></div>
      <section><h4>Read more</h4><a href="/3">Third story</a> <a href="/4">Fourth story</a></section>
      <aside><h4>Recent posts</h4><p><a href="/5">Fifth story</a><br><a href="/6">Sixth story</a></p></aside>`);
    expect(text).toContain('The council voted');
    expect(text).not.toMatch(/Latest news|One story|Read more|Fourth story|Recent posts|Sixth story/);
  });

  it('removes captions whose class names it in any case ("PhotoCaption", "imageCredit")', () => {
    const text = cleaned(`<article>${prose}<div class="PhotoCaption">The mayor at the opening.</div>
      <span class="imageCredit">City Hall</span></article>`);
    expect(text).toContain('The council voted');
    expect(text).not.toMatch(/The mayor at the opening|City Hall/);
  });

  it('keeps an element holding most of the prose even when its name looks like clutter', () => {
    expect(cleaned(`<div class="related-content">${prose}</div>`)).toContain('The council voted');
  });
});
