/**
 * Small DOM helpers shared by the extractor and the block converter:
 * addresses made absolute, whitespace collapsed, image sources found where
 * lazy-loading pages hide them, and the embed hosts we trust.
 */

/** Hosts whose iframes and players are kept as embeds; any other iframe is dropped. */
export const EMBED_HOSTS = [
  'youtube.com',
  'youtube-nocookie.com',
  'youtu.be',
  'vimeo.com',
  'dailymotion.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'facebook.com',
  'tiktok.com',
  'soundcloud.com',
  'spotify.com',
  'bsky.app',
  'datawrapper.dwcdn.net',
  'flourish.studio',
  'google.com',
];

/**
 * An http(s) address resolved against the page's; undefined for anything else
 * (`javascript:`, `data:`, garbage).
 *
 * @example
 *   absoluteUrl('/a.jpg', 'https://news.example/x/y'); // 'https://news.example/a.jpg'
 *   absoluteUrl('javascript:alert(1)', 'https://news.example/'); // undefined
 */
export function absoluteUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whitespace (including no-break spaces) collapsed to single spaces, trimmed.
 *
 * @example
 *   cleanText('  a\n\u00a0 b '); // 'a b'
 */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

const LAZY_ATTRIBUTES = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-url',
  'data-srcset',
  'srcset',
  'data-lazy-srcset',
];

/**
 * An image's absolute address: its `src`, or where a lazy-loading page put the
 * real one (`data-src`, `srcset`…) when `src` is a placeholder.
 *
 * @example
 *   imageSource(el('<img src="data:image/gif;base64,R0" data-src="/big.jpg">'), 'https://n.example/'); // 'https://n.example/big.jpg'
 */
export function imageSource(img: DomElement, base: string): string | undefined {
  const src = img.getAttribute('src') ?? '';
  if (src && !src.startsWith('data:') && !/blank|spacer|placeholder|lazy/i.test(src)) return absoluteUrl(src, base);
  for (const name of LAZY_ATTRIBUTES) {
    const value = img.getAttribute(name);
    // srcset: "a.jpg 480w, b.jpg 800w" — the last candidate is usually the largest.
    const candidate = value?.split(',').at(-1)?.trim().split(/\s+/)[0];
    if (candidate && !candidate.startsWith('data:')) return absoluteUrl(candidate, base);
  }
  return src && !src.startsWith('data:') ? absoluteUrl(src, base) : undefined;
}

/** A 1×1 image or one from a known analytics host: counts readers, shows nothing. */
export function isTrackingPixel(img: DomElement): boolean {
  const w = img.getAttribute('width');
  const h = img.getAttribute('height');
  if ((w === '1' || w === '0') && (h === '1' || h === '0')) return true;
  return /doubleclick|google-analytics|scorecardresearch|facebook\.com\/tr|pixel|beacon|quantserve|chartbeat/i.test(
    img.getAttribute('src') ?? '',
  );
}

/** The part of linkedom's DOM we use (the project compiles without the DOM library's global types). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  parentElement: DomElement | null;
  remove(): void;
}

export interface DomElement extends DomNode {
  localName: string;
  innerHTML: string;
  outerHTML: string;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
}

const BREAKING = new Set(
  'p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr td th table section article header footer figure figcaption dt dd pre hr'.split(
    ' ',
  ),
);

/**
 * An element's text with a space wherever a block element or line break
 * separates words (DOM `textContent` runs `end</p><p>Next` into `endNext`).
 *
 * @example
 *   blockText(el('<div><p>end</p><p>Next</p></div>')); // 'end Next'
 */
export function blockText(el: DomNode): string {
  const parts: string[] = [];
  const visit = (node: DomNode) => {
    if (node.nodeType === 3) parts.push(node.textContent ?? '');
    if (node.nodeType !== 1) return;
    const breaking = BREAKING.has((node as DomElement).localName);
    if (breaking) parts.push(' ');
    for (const child of Array.from(node.childNodes)) visit(child);
    if (breaking) parts.push(' ');
  };
  visit(el);
  return cleanText(parts.join(''));
}
