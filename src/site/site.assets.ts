/**
 * The reader site's own script (copy link, recent times as "2 hours ago"),
 * served by the web layer under a content-hashed name (compiled code runs
 * from dist/site/, sources from src/site/: both have ./assets/ beside them).
 *
 * @example
 *   const { scriptHref } = addReaderAssets(assets);
 */
import type { Assets } from '../web/assets.js';

export function addReaderAssets(assets: Assets): { scriptHref: string } {
  const dir = new URL('./assets/', import.meta.url);
  return { scriptHref: assets.add(dir, 'reader', 'js', 'text/javascript; charset=utf-8') };
}
