/**
 * An article's body as feed readers get it: plain, self-contained HTML with
 * absolute URLs (a reader shows it away from the site), and no characters XML
 * cannot carry.
 *
 * @example
 *   feedHtml(article.body, 'https://news.example');
 *   // '<p>The talks start on <i>Monday</i>.</p>\n<figure><img src="https://news.example/media/…" alt="…">…'
 */
import type { Block } from '../articles/article.js';
import { html, raw, type SafeHtml } from '../lib/html.js';
import { safeUrl } from '../web/views/components.js';

/** Site paths in sanitized markup (`href="/world/…"`, `src="/media/…"`) made absolute; other URLs left alone. */
export function absoluteUrls(markup: string, siteUrl: string): string {
  return markup.replace(/\b(href|src)="\/(?!\/)/g, `$1="${siteUrl}/`);
}

/** A site path or an absolute URL, as an absolute URL. */
export function absoluteUrl(url: string, siteUrl: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')
    ? url
    : `${siteUrl}${url.startsWith('/') ? '' : '/'}${url}`;
}

function block(b: Block, siteUrl: string): SafeHtml {
  switch (b.type) {
    case 'paragraph':
      return html`<p>${raw(absoluteUrls(b.html, siteUrl))}</p>`;
    case 'crosshead':
      return html`<h2>${b.text}</h2>`;
    case 'quote':
      return html`<blockquote><p>${b.text}</p>${b.attribution ? html`<p>— ${b.attribution}</p>` : ''}</blockquote>`;
    case 'list': {
      const items = b.items.map((item) => html`<li>${raw(absoluteUrls(item, siteUrl))}</li>`);
      return b.style === 'numbered' ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'image': {
      const caption = [b.caption, b.credit].filter(Boolean).join(' ');
      return html`<figure><img src="${safeUrl(absoluteUrl(b.src, siteUrl))}" alt="${b.alt}">${caption ? html`<figcaption>${caption}</figcaption>` : ''}</figure>`;
    }
    case 'embed':
      return html`<p><a href="${safeUrl(b.url)}">${b.title ?? b.url}</a></p>`;
  }
}

/** The body's blocks as HTML for a feed. */
export function feedHtml(body: Block[], siteUrl: string): string {
  return xmlSafe(body.map((b) => block(b, siteUrl).toString()).join('\n'));
}

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text without the characters XML 1.0 cannot carry (C0 controls but tab and
 * newlines, lone surrogates, U+FFFE/U+FFFF): one of them in an article would
 * make the whole feed unreadable.
 *
 * @example
 *   xmlSafe('a\u000bb'); // 'ab'
 */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '');
}
