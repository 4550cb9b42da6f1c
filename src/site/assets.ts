/**
 * The stylesheet, icon, weather script and weather icons, read once at
 * start-up and served under content-hashed names with a year-long, immutable
 * cache life.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PageEntry } from './page-entry.js';

export interface Assets {
  stylesheetHref: string;
  iconHref: string;
  /** The weather widget's progressive-enhancement script. */
  weatherScriptHref: string;
  /** The weather condition icons, an SVG sprite (`#clear-day`, `#rain`, …). */
  weatherIconsHref: string;
  /** Entries by request path. */
  files: Map<string, PageEntry>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function loadAssets(): Assets {
  const stylesheet = hashed('site', 'css', 'text/css; charset=utf-8');
  const icon = hashed('favicon', 'svg', 'image/svg+xml');
  const weatherScript = hashed('weather', 'js', 'text/javascript; charset=utf-8');
  const weatherIcons = hashed('weather-icons', 'svg', 'image/svg+xml');
  return {
    stylesheetHref: stylesheet.href,
    iconHref: icon.href,
    weatherScriptHref: weatherScript.href,
    weatherIconsHref: weatherIcons.href,
    files: new Map([
      [stylesheet.href, stylesheet.entry],
      [icon.href, icon.entry],
      [weatherScript.href, weatherScript.entry],
      [weatherIcons.href, weatherIcons.entry],
    ]),
  };
}

function hashed(name: string, ext: string, contentType: string): { href: string; entry: PageEntry } {
  // Compiled code runs from dist/site/, sources from src/site/: both have ./assets/ beside them.
  const content = readFileSync(new URL(`./assets/${name}.${ext}`, import.meta.url));
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  return { href: `/assets/${name}.${hash}.${ext}`, entry: new PageEntry(200, contentType, IMMUTABLE, content) };
}
