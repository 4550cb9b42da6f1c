/**
 * The smallest view pieces every face shares: URLs that cannot run script,
 * and optional attributes. Everything returns `SafeHtml` built with `html`,
 * so data is always escaped.
 */
import { html, type SafeHtml } from '../../lib/html.js';

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Returns `url` when it is relative or uses http(s)/mailto, else `'#'`.
 * Escaping stops attribute breakout; this stops `javascript:` and `data:` URLs.
 *
 * @example
 *   safeUrl('/world/kyiv-talks'); // '/world/kyiv-talks'
 *   safeUrl('javascript:alert(1)'); // '#'
 */
export function safeUrl(url: string): string {
  // Most links are site paths: nothing to check.
  if (url.charCodeAt(0) === 47 /* / */ && url.charCodeAt(1) !== 47) return url;
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so probe without them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point here.
  const probe = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(probe)?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme.toLowerCase()) ? url : '#';
}

/**
 * An optional attribute: renders ` name="value"` or nothing when the value is missing.
 *
 * @example
 *   html`<img${attr('width', 640)}>`; // '<img width="640">'
 */
export function attr(name: string, value: string | number | undefined | null): SafeHtml | '' {
  return value === undefined || value === null ? '' : html` ${name}="${value}"`;
}
