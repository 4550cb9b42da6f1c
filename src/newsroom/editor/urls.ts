/**
 * Which URLs an article body may carry: link targets, image sources and
 * embeds. Pure and free of Node APIs, so the browser editor bundles the same
 * rules the server enforces.
 */

// Browsers ignore these inside a URL, so `java\tscript:` would still run: they are removed before the scheme is read.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is being removed
const IGNORED_CHARS = /[\u0000-\u0020\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a source or embed URL may not contain any
const HAS_IGNORED_CHAR = /[\u0000-\u0020\u007f-\u009f]/;
const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9.+-]*):/;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Longest URL kept in a body (the importer's limit). */
export const MAX_URL_LENGTH = 2000;

/**
 * True for a link a body may keep: `http:`, `https:` or `mailto:`, or a
 * relative URL on this site (`/world`, `#notes`). Mirrors `sanitizeInline`,
 * so any stored link can be loaded and saved again; `javascript:`, `data:`
 * and protocol-relative `//host` are refused.
 *
 * @example
 *   isAllowedHref('https://example.org/a'); // true
 *   isAllowedHref('/world'); // true
 *   isAllowedHref(' JavaScript:alert(1)'); // false
 *   isAllowedHref('//evil.example/'); // false
 */
export function isAllowedHref(href: string): boolean {
  if (href === '' || href.length > MAX_URL_LENGTH) return false;
  const bare = href.replace(IGNORED_CHARS, '');
  // `\\host` is read as `//host` by browsers.
  if (/^[/\\]{2}/.test(bare) || bare.includes('\\')) return false;
  const scheme = SCHEME_RE.exec(bare)?.[1];
  return scheme === undefined || LINK_SCHEMES.has(scheme.toLowerCase());
}

/**
 * True for a body image's source: an uploaded file (`/media/…`) or an https
 * URL. Anything else (plain http, data: URLs, other site paths) is refused.
 *
 * @example
 *   isAllowedImageSrc('/media/2024/05/ferry.jpg'); // true
 *   isAllowedImageSrc('https://images.example/f.jpg'); // true
 *   isAllowedImageSrc('http://images.example/f.jpg'); // false
 */
export function isAllowedImageSrc(src: string): boolean {
  if (src.length > MAX_URL_LENGTH || HAS_IGNORED_CHAR.test(src)) return false;
  if (src.startsWith('/media/')) return !/(^|\/)\.\.?(\/|$)/.test(src.slice('/media/'.length)) && !src.includes('\\');
  return isAbsolute(src, ['https:']);
}

/**
 * True for an embed's URL: an absolute http(s) URL (the importer's rule).
 *
 * @example
 *   isAllowedEmbedUrl('https://video.example/v/1'); // true
 *   isAllowedEmbedUrl('javascript:alert(1)'); // false
 */
export function isAllowedEmbedUrl(url: string): boolean {
  if (url.length > MAX_URL_LENGTH || HAS_IGNORED_CHAR.test(url)) return false;
  return isAbsolute(url, ['http:', 'https:']);
}

function isAbsolute(url: string, protocols: string[]): boolean {
  if (!/^https?:\/\/[^/\\]/i.test(url)) return false;
  try {
    return protocols.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
