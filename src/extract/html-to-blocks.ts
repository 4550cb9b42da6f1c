/**
 * Article HTML → Dateline body blocks: the one conversion shared by the URL
 * importer and feed sources (whose items carry HTML bodies). Pure: an HTML
 * string and the page's address in, blocks out. Inline markup goes through
 * `sanitizeInline`; everything else becomes plain text, so nothing a page
 * ships (scripts, styles, trackers, forms, iframes from unknown hosts) can
 * reach a reader.
 */
import { parseHTML } from 'linkedom';
import type { Block, Image } from '../articles/article.js';
import { sanitizeInline } from '../articles/blocks.js';
import {
  absoluteUrl,
  blockText,
  cleanText,
  type DomElement,
  type DomNode,
  EMBED_HOSTS,
  imageSource,
  isTrackingPixel,
} from './dom.js';

/** Elements whose content never reaches a reader. */
const DROPPED = new Set(
  'script style noscript template form input button select textarea object canvas svg nav aside head link meta'.split(
    ' ',
  ),
);
/** Containers walked through: their children become blocks. */
const CONTAINERS = new Set(
  'div section article main header footer span center font body html details summary picture ins del'.split(' '),
);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that start a block of their own; everything else is inline and joins a paragraph. */
const BLOCK_TAGS = new Set([
  ...DROPPED,
  ...CONTAINERS,
  ...HEADINGS,
  ...'p blockquote ul ol dl figure img iframe table pre hr video audio'.split(' '),
]);
// `span`, `font`, `ins` and `del` are inline; they are containers only when they hold blocks.
for (const tag of ['span', 'font', 'ins', 'del']) BLOCK_TAGS.delete(tag);

/**
 * Converts an article's HTML into body blocks: paragraphs (sanitized inline
 * HTML, links made absolute), crossheads from headings, quotes with their
 * attribution, lists, images with caption, alt, credit and an absolute `src`,
 * and embeds from known hosts (YouTube, Vimeo, X…). Other iframes, scripts and
 * tracking pixels are dropped; empty paragraphs never appear.
 *
 * @example
 *   htmlToBlocks('<h2>Why</h2><p>See <a href="/x">this</a>.</p><img src="a.jpg" alt="A">', 'https://news.example/story');
 *   // [{ type: 'crosshead', text: 'Why' },
 *   //  { type: 'paragraph', html: 'See <a href="https://news.example/x">this</a>.' },
 *   //  { type: 'image', src: 'https://news.example/a.jpg', alt: 'A' }]
 */
export function htmlToBlocks(html: string, baseUrl: string): Block[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const blocks: Block[] = [];
  walk(document.body as unknown as DomElement, baseUrl, blocks);
  return blocks;
}

/** Walks a container's children, gathering runs of inline content into paragraphs. */
function walk(parent: DomElement, base: string, out: Block[]): void {
  let inline: DomNode[] = [];
  const flush = () => {
    if (inline.length > 0) pushParagraph(inline, base, out);
    inline = [];
  };
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === 3) {
      inline.push(node);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as DomElement;
    const tag = el.localName;
    if (tag === 'br' && inline.length > 0 && (inline.at(-1) as DomNode).nodeName === 'BR') {
      // Two line breaks in a row are how some pages separate paragraphs.
      inline.pop();
      flush();
      continue;
    }
    if (!BLOCK_TAGS.has(tag) && !holdsBlocks(el)) {
      inline.push(el);
      continue;
    }
    flush();
    block(el, base, out);
  }
  flush();
}

function holdsBlocks(el: DomElement): boolean {
  return el.querySelector('p, div, h1, h2, h3, h4, h5, h6, ul, ol, blockquote, figure, table, iframe') !== null;
}

function block(el: DomElement, base: string, out: Block[]): void {
  const tag = el.localName;
  if (DROPPED.has(tag) || el.getAttribute('hidden') !== null || el.getAttribute('aria-hidden') === 'true') return;
  if (HEADINGS.has(tag)) {
    const text = blockText(el);
    if (text) out.push({ type: 'crosshead', text });
  } else if (tag === 'p') {
    paragraphOrImages(el, base, out);
  } else if (tag === 'blockquote') {
    quote(el, base, out);
  } else if (tag === 'ul' || tag === 'ol') {
    list(el, base, out);
  } else if (tag === 'dl') {
    for (const item of Array.from(el.children)) pushParagraph([item], base, out);
  } else if (tag === 'figure' || tag === 'img' || tag === 'picture') {
    figure(el, base, out);
  } else if (tag === 'iframe' || tag === 'video' || tag === 'audio') {
    embed(el, base, out);
  } else if (tag === 'table') {
    table(el, base, out);
  } else if (tag === 'pre') {
    const text = (el.textContent ?? '').trim();
    if (text) out.push({ type: 'paragraph', html: sanitizeInline(escapeLines(text)) });
  } else if (tag !== 'hr') {
    walk(el, base, out);
  }
}

/** A paragraph, unless it only wraps images (a common way to place a picture). */
function paragraphOrImages(el: DomElement, base: string, out: Block[]): void {
  const text = blockText(el);
  if (!text && el.querySelector('img, iframe')) {
    walk(el, base, out);
    return;
  }
  if (holdsBlocks(el)) walk(el, base, out);
  else pushParagraph([el], base, out);
}

function pushParagraph(nodes: DomNode[], base: string, out: Block[]): void {
  const html = inlineHtml(nodes, base);
  if (html) out.push({ type: 'paragraph', html });
}

/** The sanitized inline HTML of some nodes, links made absolute, whitespace collapsed; '' when no words. */
function inlineHtml(nodes: DomNode[], base: string): string {
  const raw = nodes
    .map((n) => {
      if (n.nodeType !== 1) return escapeText(n.textContent ?? '');
      const el = n as DomElement;
      for (const a of Array.from(el.querySelectorAll('a[href]')) as DomElement[])
        a.setAttribute('href', absoluteUrl(a.getAttribute('href') as string, base) ?? '');
      if (el.localName === 'a' && el.getAttribute('href'))
        el.setAttribute('href', absoluteUrl(el.getAttribute('href') as string, base) ?? '');
      // A paragraph's own tag is not inline markup: only its content is wanted.
      return el.localName === 'p' || el.localName === 'dt' || el.localName === 'dd' || el.localName === 'li'
        ? el.innerHTML
        : el.outerHTML;
    })
    .join('');
  const html = sanitizeInline(raw)
    .replace(/\s+/g, ' ')
    .replace(/^(\s|<br \/>|<br>)+|(\s|<br \/>|<br>)+$/g, '')
    .trim();
  return cleanText(html.replace(/<[^>]*>/g, '')) ? html : '';
}

function quote(el: DomElement, base: string, out: Block[]): void {
  const cls = `${el.getAttribute('class') ?? ''}`;
  // Social embeds are blockquotes with a link to the post, upgraded by a script we do not run.
  if (/twitter-tweet|instagram-media|tiktok-embed|bluesky-embed/.test(cls)) {
    const links = Array.from(el.querySelectorAll('a[href]')) as DomElement[];
    const url = absoluteUrl(links.at(-1)?.getAttribute('href') ?? '', base);
    // The post's words stay as the embed's title: readers without the script still see what was said.
    const title = blockText(el);
    if (url)
      out.push({
        type: 'embed',
        url,
        provider: new URL(url).hostname.replace(/^www\./, ''),
        ...(title ? { title } : {}),
      });
    return;
  }
  const cite = el.querySelector('footer, cite, figcaption');
  const attribution = cite ? cleanText(cite.textContent ?? '').replace(/^[-–—\s]+/, '') : '';
  cite?.remove();
  const parts = Array.from(el.querySelectorAll('p')) as DomElement[];
  const text = (parts.length > 0 ? parts.map((p) => cleanText(p.textContent ?? '')) : [blockText(el)])
    .filter(Boolean)
    .join('\n\n');
  if (text) out.push({ type: 'quote', text, ...(attribution ? { attribution } : {}) });
}

function list(el: DomElement, base: string, out: Block[]): void {
  const items = (Array.from(el.children) as DomElement[])
    .filter((li) => li.localName === 'li')
    .map((li) => inlineHtml([li], base))
    .filter(Boolean);
  if (items.length > 0) out.push({ type: 'list', style: el.localName === 'ol' ? 'numbered' : 'bulleted', items });
}

function figure(el: DomElement, base: string, out: Block[]): void {
  const img = el.localName === 'img' ? el : el.querySelector('img');
  const caption = el.querySelector('figcaption');
  if (!img) {
    const frame = el.querySelector('iframe, video');
    if (frame) embed(frame, base, out);
    if (caption && !frame) pushParagraph([caption], base, out);
    return;
  }
  const image = imageOf(img, caption, base);
  if (image) out.push({ type: 'image', ...image });
}

/** An image with its caption and credit; undefined for trackers and images without a usable address. */
export function imageOf(img: DomElement, caption: DomElement | null, base: string): Image | undefined {
  if (isTrackingPixel(img)) return undefined;
  const src = imageSource(img, base);
  if (!src) return undefined;
  const creditEl = caption?.querySelector('[class*="credit"], [class*="copyright"], [class*="source"], small') ?? null;
  const credit = creditEl ? cleanText(creditEl.textContent ?? '') : '';
  creditEl?.remove();
  const text = caption ? blockText(caption) : '';
  const alt = cleanText(img.getAttribute('alt') ?? '');
  const width = Number.parseInt(img.getAttribute('width') ?? '', 10);
  const height = Number.parseInt(img.getAttribute('height') ?? '', 10);
  return {
    src,
    alt,
    ...(text ? { caption: text } : {}),
    ...(credit ? { credit } : {}),
    ...(width > 0 && height > 0 ? { width, height } : {}),
  };
}

function embed(el: DomElement, base: string, out: Block[]): void {
  const src = el.getAttribute('src') ?? el.getAttribute('data-src') ?? el.querySelector('source')?.getAttribute('src');
  const url = src ? absoluteUrl(src, base) : undefined;
  if (!url) return;
  const host = new URL(url).hostname.replace(/^www\./, '');
  const provider = EMBED_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
  // An iframe from a host we do not know may be an ad, a tracker or anything else: dropped.
  if (!provider) return;
  const title = cleanText(el.getAttribute('title') ?? '');
  out.push({ type: 'embed', url, provider, ...(title ? { title } : {}) });
}

/** Tables (results, figures) become one paragraph per row, cells separated by a dash. */
function table(el: DomElement, base: string, out: Block[]): void {
  for (const row of Array.from(el.querySelectorAll('tr')) as DomElement[]) {
    const cells = (Array.from(row.children) as DomElement[]).map((c) => inlineHtml([c], base)).filter(Boolean);
    if (cells.length > 0) out.push({ type: 'paragraph', html: cells.join(' – ') });
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeLines(text: string): string {
  return escapeText(text).replace(/\n/g, '<br>');
}
