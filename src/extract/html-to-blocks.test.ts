import { describe, expect, it } from 'vitest';
import { htmlToBlocks } from './html-to-blocks.js';

const BASE = 'https://news.example/world/story';

describe('htmlToBlocks', () => {
  it('turns paragraphs, headings, quotes and lists into blocks in page order', () => {
    const blocks = htmlToBlocks(
      `<p>First <b>bold</b> <a href="/more" onclick="x()">link</a>.</p>
       <h2>‘Dialogue, not force’</h2>
       <blockquote><p>We will talk.</p><footer>— Jen Psaki</footer></blockquote>
       <ul><li>One <i>item</i></li><li>Two</li></ul><ol><li>A</li></ol>`,
      BASE,
    );
    expect(blocks).toEqual([
      { type: 'paragraph', html: 'First <b>bold</b> <a href="https://news.example/more">link</a>.' },
      { type: 'crosshead', text: '‘Dialogue, not force’' },
      { type: 'quote', text: 'We will talk.', attribution: 'Jen Psaki' },
      { type: 'list', style: 'bulleted', items: ['One <i>item</i>', 'Two'] },
      { type: 'list', style: 'numbered', items: ['A'] },
    ]);
  });

  it('keeps images with caption, credit, alt and an absolute address, lazy-loaded ones too', () => {
    const blocks = htmlToBlocks(
      `<figure><img src="data:image/gif;base64,R0lG" data-src="/img/kerry.jpg" alt="Kerry" width="800" height="450">
       <figcaption>Kerry in Kiev <span class="credit">Photo: AP</span></figcaption></figure>
       <p><img src="//cdn.news.example/b.png" alt=""></p>`,
      BASE,
    );
    expect(blocks).toEqual([
      {
        type: 'image',
        src: 'https://news.example/img/kerry.jpg',
        alt: 'Kerry',
        caption: 'Kerry in Kiev',
        credit: 'Photo: AP',
        width: 800,
        height: 450,
      },
      { type: 'image', src: 'https://cdn.news.example/b.png', alt: '' },
    ]);
  });

  it('drops scripts, styles, forms, tracking pixels and iframes from unknown hosts, keeping known embeds', () => {
    const blocks = htmlToBlocks(
      `<script>alert(1)</script><style>p{}</style><form><input name="email"><button>Subscribe</button></form>
       <img src="https://px.example/t.gif" width="1" height="1">
       <iframe src="https://ads.example/slot"></iframe>
       <iframe src="https://www.youtube.com/embed/abc" title="Clip"></iframe>
       <blockquote class="twitter-tweet"><p>Tweet</p><a href="https://twitter.com/u/status/1">date</a></blockquote>
       <p onmouseover="x()">Kept <span style="color:red">text</span><script>y()</script></p>`,
      BASE,
    );
    expect(blocks).toEqual([
      { type: 'embed', url: 'https://www.youtube.com/embed/abc', provider: 'youtube.com', title: 'Clip' },
      { type: 'embed', url: 'https://twitter.com/u/status/1', provider: 'twitter.com', title: 'Tweet date' },
      { type: 'paragraph', html: 'Kept text' },
    ]);
  });

  it('makes paragraphs of loose text in containers, split at double line breaks, and skips empty ones', () => {
    const blocks = htmlToBlocks('<div>Loose <em>text</em><br><br>Second part<div><p> &nbsp; </p></div></div>', BASE);
    expect(blocks).toEqual([
      { type: 'paragraph', html: 'Loose <em>text</em>' },
      { type: 'paragraph', html: 'Second part' },
    ]);
  });

  it('refuses javascript: links and escapes text so no markup survives as markup', () => {
    const [block] = htmlToBlocks('<p><a href="javascript:alert(1)">x</a> 1 &lt; 2 &amp; &lt;b&gt;</p>', BASE);
    expect(block).toEqual({ type: 'paragraph', html: 'x 1 &lt; 2 &amp; &lt;b&gt;' });
  });
});
