import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw, SafeHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes all five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('escapes an ampersand that already starts an entity, so text round-trips literally', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('returns text without special characters unchanged', () => {
    expect(escapeHtml('Plain text, 100% safé')).toBe('Plain text, 100% safé');
  });

  it('escapes every occurrence, on repeated calls alike', () => {
    // The escape pattern is a shared global regex: a stale lastIndex would skip matches on later calls.
    for (let i = 0; i < 3; i++) {
      expect(escapeHtml('a<b<c')).toBe('a&lt;b&lt;c');
      expect(escapeHtml('<')).toBe('&lt;');
    }
  });
});

describe('html', () => {
  it('escapes interpolated text in element content', () => {
    const name = `<script>alert("x" & 'y')</script>`;
    expect(html`<p>${name}</p>`.toString()).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;</p>',
    );
  });

  it('escapes interpolated text in attributes so it cannot close the quote', () => {
    expect(html`<a title="${'" onclick="evil()'}">x</a>`.toString()).toBe(
      '<a title="&quot; onclick=&quot;evil()">x</a>',
    );
    expect(html`<a title='${"' onclick='evil()"}'>x</a>`.toString()).toBe("<a title='&#39; onclick=&#39;evil()'>x</a>");
  });

  it('leaves the literal template parts untouched', () => {
    expect(html`<p class="a">&nbsp;${'x'}</p>`.toString()).toBe('<p class="a">&nbsp;x</p>');
  });

  it('returns a SafeHtml', () => {
    expect(html`<br>`).toBeInstanceOf(SafeHtml);
    expect(html`<br>`.value).toBe('<br>');
  });

  it('passes a SafeHtml value through without escaping it again', () => {
    const safe = new SafeHtml('<b>bold</b> &amp;');
    expect(html`<p>${safe}</p>`.toString()).toBe('<p><b>bold</b> &amp;</p>');
  });

  it('nests html fragments without double escaping', () => {
    const inner = html`<em>${'<i>'}</em>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>&lt;i&gt;</em></p>');
  });

  it('concatenates arrays, escaping strings and passing fragments through', () => {
    const items = ['<a>', 'b&c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
    expect(html`${['<', raw('<'), 1]}`.toString()).toBe('&lt;<1');
  });

  it('flattens nested arrays', () => {
    expect(html`${['a', ['<b>', ['c']]]}`.toString()).toBe('a&lt;b&gt;c');
  });

  it('renders an empty array as nothing', () => {
    expect(html`<ul>${[]}</ul>`.toString()).toBe('<ul></ul>');
  });

  it('renders null, undefined, true and false as nothing', () => {
    expect(html`[${null}|${undefined}|${true}|${false}]`.toString()).toBe('[|||]');
  });

  it('renders nothing for a false condition, so `cond && fragment` works', () => {
    const show = false;
    expect(html`<p>${show && html`<b>hidden</b>`}</p>`.toString()).toBe('<p></p>');
  });

  it('renders numbers as text, including zero', () => {
    expect(html`${0} ${42} ${-1.5}`.toString()).toBe('0 42 -1.5');
  });

  it('renders an empty string as nothing', () => {
    expect(html`<p>${''}</p>`.toString()).toBe('<p></p>');
  });

  it('keeps values in their positions when there are several', () => {
    expect(html`${'a'}-${'b'}-${'c'}`.toString()).toBe('a-b-c');
  });
});

describe('raw', () => {
  it('marks a string as safe so html inserts it verbatim', () => {
    const sanitized = '<p>Already <a href="/x">clean</a> &amp; sanitized</p>';
    expect(raw(sanitized)).toBeInstanceOf(SafeHtml);
    expect(html`<div>${raw(sanitized)}</div>`.toString()).toBe(`<div>${sanitized}</div>`);
  });

  it('converts to its string with toString and template interpolation', () => {
    expect(String(raw('<hr>'))).toBe('<hr>');
    expect(`${raw('<hr>')}`).toBe('<hr>');
  });
});
