/**
 * Static assets (the stylesheet, the icon, a face's scripts and sprites),
 * read once at start-up and served under content-hashed names with a
 * year-long, immutable cache life. Each folder keeps its own files in an
 * `assets/` folder beside its code and adds them here; `npm run build` copies
 * every `src/<folder>/assets/` to `dist/`.
 *
 * @example
 *   const assets = createAssets();
 *   const href = assets.add(new URL('./assets/', import.meta.url), 'weather', 'js', 'text/javascript; charset=utf-8');
 *   href; // '/assets/weather.3f2a9c0b1d4e.js'
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PageEntry } from './page-entry.js';
import type { PageSender } from './page-response.js';

export interface Assets {
  /** Adds `<dir>/<name>.<ext>`; returns the hashed path it is served at. */
  add(dir: URL, name: string, ext: string, contentType: string): string;
  /** Entries by request path. */
  readonly files: ReadonlyMap<string, PageEntry>;
}

/** The chrome every page links: the site's stylesheet and icon. */
export interface ChromeAssets {
  stylesheetHref: string;
  iconHref: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function createAssets(): Assets {
  const files = new Map<string, PageEntry>();
  return {
    files,
    add(dir, name, ext, contentType) {
      const content = readFileSync(new URL(`${name}.${ext}`, dir));
      const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
      const href = `/assets/${name}.${hash}.${ext}`;
      files.set(href, new PageEntry(200, contentType, IMMUTABLE, content));
      return href;
    },
  };
}

/** Adds the site's stylesheet and icon (compiled code runs from dist/web/, sources from src/web/: both have ./assets/). */
export function addChromeAssets(assets: Assets): ChromeAssets {
  const dir = new URL('./assets/', import.meta.url);
  return {
    stylesheetHref: assets.add(dir, 'site', 'css', 'text/css; charset=utf-8'),
    iconHref: assets.add(dir, 'favicon', 'svg', 'image/svg+xml'),
  };
}

/** `GET /assets/:file`: the registered files, and 404 for any other name. */
export async function assetRoutes(app: FastifyInstance, deps: { assets: Assets; pages: PageSender }): Promise<void> {
  app.get('/assets/:file', async (request, reply) => {
    const entry = deps.assets.files.get(request.url.split('?')[0] ?? '');
    if (!entry) return reply.callNotFound();
    return deps.pages.sendEntry(request, reply, entry);
  });
}
