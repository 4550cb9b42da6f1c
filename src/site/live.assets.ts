/**
 * The live page's script (`assets/live.js`: new updates announced, inserted
 * when the reader asks), served by the web layer under a content-hashed name.
 *
 * @example
 *   const { scriptHref } = addLiveAssets(assets);
 */
import type { Assets } from '../web/assets.js';

export function addLiveAssets(assets: Assets): { scriptHref: string } {
  return {
    scriptHref: assets.add(new URL('./assets/', import.meta.url), 'live', 'js', 'text/javascript; charset=utf-8'),
  };
}
