/**
 * The weather widget's files: the progressive-enhancement script and the
 * condition icons (an SVG sprite: `#clear-day`, `#rain`, …), served by the
 * web layer under content-hashed names (compiled code runs from
 * dist/weather/, sources from src/weather/: both have ./assets/ beside them).
 *
 * @example
 *   const { scriptHref, iconsHref } = addWeatherAssets(assets);
 */
import type { Assets } from '../web/assets.js';

export function addWeatherAssets(assets: Assets): { scriptHref: string; iconsHref: string } {
  const dir = new URL('./assets/', import.meta.url);
  return {
    scriptHref: assets.add(dir, 'weather', 'js', 'text/javascript; charset=utf-8'),
    iconsHref: assets.add(dir, 'weather-icons', 'svg', 'image/svg+xml'),
  };
}
