/**
 * What an editor types into the link and embed prompts, made into URLs the
 * server will accept (`src/newsroom/editor/urls.ts`). Pure, tested in Node.
 */
import { isAllowedEmbedUrl, isAllowedHref } from '../editor/urls.js';

/**
 * A link target from what was typed, or undefined when it cannot be one.
 * A bare domain gets `https://`; an email address gets `mailto:`; a path
 * on this site stays as it is; `javascript:` and other schemes are refused.
 *
 * @example
 *   hrefFromInput('example.org/report'); // 'https://example.org/report'
 *   hrefFromInput('desk@example.org'); // 'mailto:desk@example.org'
 *   hrefFromInput('javascript:alert(1)'); // undefined
 */
export function hrefFromInput(typed: string): string | undefined {
  const text = typed.trim();
  if (text === '') return undefined;
  let href = text;
  if (/^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/.test(text)) href = `mailto:${text}`;
  else if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]\S*)?$/i.test(text)) href = `https://${text}`;
  else if (!/^([a-z][a-z0-9+.-]*:|\/(?!\/)|#)/i.test(text)) return undefined;
  return isAllowedHref(href) ? href : undefined;
}

/**
 * An embed URL from what was typed (a bare domain gets `https://`), or undefined.
 *
 * @example
 *   embedUrlFromInput('video.example/v/1'); // 'https://video.example/v/1'
 */
export function embedUrlFromInput(typed: string): string | undefined {
  const text = typed.trim();
  const url = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  return isAllowedEmbedUrl(url) ? url : undefined;
}

const PROVIDERS: [RegExp, string][] = [
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'YouTube'],
  [/(^|\.)vimeo\.com$/, 'Vimeo'],
  [/(^|\.)(twitter\.com|x\.com)$/, 'X'],
  [/(^|\.)instagram\.com$/, 'Instagram'],
  [/(^|\.)facebook\.com$/, 'Facebook'],
  [/(^|\.)tiktok\.com$/, 'TikTok'],
  [/(^|\.)soundcloud\.com$/, 'SoundCloud'],
  [/(^|\.)spotify\.com$/, 'Spotify'],
  [/(^|\.)openstreetmap\.org$/, 'OpenStreetMap'],
];

/**
 * The provider's name for well-known hosts, or null.
 *
 * @example
 *   providerOf('https://www.youtube.com/watch?v=x'); // 'YouTube'
 */
export function providerOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return PROVIDERS.find(([re]) => re.test(host))?.[1] ?? null;
  } catch {
    return null;
  }
}
