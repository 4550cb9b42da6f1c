import { describe, expect, it } from 'vitest';
import { inlineHtmlToNodes, nodesToInlineHtml } from './inline-html.js';

describe('inlineHtmlToNodes', () => {
  it('lists marks in schema order (link first) and tells <b> from <strong>', () => {
    expect(inlineHtmlToNodes('<b><a href="/x">one</a></b><a href="/x"> <strong>two</strong></a>')).toStrictEqual([
      {
        type: 'text',
        text: 'one',
        marks: [
          { type: 'link', attrs: { href: '/x' } },
          { type: 'bold', attrs: { tag: 'b' } },
        ],
      },
      { type: 'text', text: ' ', marks: [{ type: 'link', attrs: { href: '/x' } }] },
      {
        type: 'text',
        text: 'two',
        marks: [
          { type: 'link', attrs: { href: '/x' } },
          { type: 'bold', attrs: { tag: 'strong' } },
        ],
      },
    ]);
  });

  it('sanitizes first: a script goes, a javascript: link becomes text, entities are decoded', () => {
    expect(inlineHtmlToNodes('a<script>x()</script> <a href="javascript:x()">b</a> &amp; &#39;c&#39;')).toStrictEqual([
      { type: 'text', text: "a b & 'c'" },
    ]);
  });

  it('turns <br> into a hard break carrying the marks around it', () => {
    expect(inlineHtmlToNodes('<i>a<br>b</i>')).toStrictEqual([
      { type: 'text', text: 'a', marks: [{ type: 'italic', attrs: { tag: 'i' } }] },
      { type: 'hardBreak', marks: [{ type: 'italic', attrs: { tag: 'i' } }] },
      { type: 'text', text: 'b', marks: [{ type: 'italic', attrs: { tag: 'i' } }] },
    ]);
  });
});

describe('nodesToInlineHtml', () => {
  it('opens the mark that lasts longer outside, whatever order a node lists its marks in', () => {
    const link = { type: 'link', attrs: { href: '/x' } } as const;
    const bold = { type: 'bold', attrs: { tag: 'b' } } as const;
    const html = nodesToInlineHtml([
      { type: 'text', text: 'one', marks: [bold, link] },
      { type: 'text', text: ' two', marks: [link] },
      { type: 'text', text: ' three', marks: [bold] },
    ]);
    expect(html).toBe('<a href="/x"><b>one</b> two</a><b> three</b>');
    expect(nodesToInlineHtml([{ type: 'text', text: 'x', marks: [bold, link] }])).toBe('<a href="/x"><b>x</b></a>');
  });

  it('keeps a shared mark open across nodes and escapes text and attributes', () => {
    const link = { type: 'link', attrs: { href: 'https://e.org/?a=1&b="2"' } } as const;
    const html = nodesToInlineHtml([
      { type: 'text', text: 'AT&T <x> ', marks: [link] },
      { type: 'text', text: 'bold', marks: [link, { type: 'bold' }] },
    ]);
    expect(html).toBe('<a href="https://e.org/?a=1&amp;b=&quot;2&quot;">AT&amp;T &lt;x&gt; <strong>bold</strong></a>');
  });

  it('skips empty text nodes and gives the sanitizer’s form', () => {
    expect(nodesToInlineHtml([{ type: 'text', text: '' }, { type: 'hardBreak' }])).toBe('<br />');
  });
});
