import { PLAIN_PERMALINK_KEYS } from '../site/urls.js';

/**
 * Old permalinks: an imported article's address on its former platform, kept
 * in one form so that the link found on the web and the one in the export
 * meet: the path only (any host is dropped: a site keeps its domain when it
 * moves), percent-decoded (WordPress writes Cyrillic slugs encoded, browsers
 * may send them either way), NFC, without trailing slashes and without the
 * query. WordPress's plain permalinks (`/?p=123`) have no path of their own:
 * they are the home page's address here, so they are not kept.
 *
 * @example
 *   permalinkPath('https://old.example/2019/05/06/%D0%BC%D0%B8%D1%80/'); // '/2019/05/06/мир'
 *   permalinkPath('/?p=123'); // undefined
 *   permalinkPath('/world/?utm_source=x'); // '/world'
 */
export function permalinkPath(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://site.invalid');
  } catch {
    return undefined;
  }
  let path = parsed.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape stays as written.
  }
  path = `/${path.normalize('NFC').replace(/^\/+/, '').replace(/\/+$/, '')}`;
  if (path === '/') return plainPermalink(parsed.searchParams);
  return path.length > 2000 ? undefined : path;
}

/** `/?p=123` from a home-page query that names a post or a page by number; else undefined. */
function plainPermalink(query: URLSearchParams): string | undefined {
  for (const key of PLAIN_PERMALINK_KEYS) {
    const id = query.get(key);
    if (id !== null && /^[1-9]\d{0,18}$/.test(id)) return `/?${key}=${id}`;
  }
  return undefined;
}
