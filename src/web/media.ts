/**
 * Uploaded media under `/media/`: images, audio and video are served inline
 * with a week's cache life; anything else (HTML, SVG, XML, scripts, PDFs…)
 * only as a download, sandboxed, so an uploaded file can never run script on
 * the site's own origin. Dotfiles (and dot-folders) are never served.
 * Folders named `immutable` hold content-addressed files, whose name changes
 * whenever their bytes would: browsers and CDNs keep them for a year without
 * asking again.
 *
 * @example
 *   await reader.register(mediaRoutes, { root: '/srv/dateline/media', immutable: ['images'] });
 */
import { mkdirSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Passive formats a browser only displays. SVG is not one of them: it can carry script. */
const INLINE = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.avif',
  '.mp3',
  '.ogg',
  '.oga',
  '.m4a',
  '.mp4',
  '.webm',
  '.ogv',
]);

/** True when a media file of this name may be shown inline. */
export function isPassiveMedia(path: string): boolean {
  return INLINE.has(extname(path).toLowerCase());
}

/** A year, the longest lifetime caches honour; `immutable` spares even the revalidation on reload. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface MediaOptions {
  root: string;
  /** Folders under `root` whose files never change under the same name (content-addressed). */
  immutable?: readonly string[];
}

export async function mediaRoutes(app: FastifyInstance, options: MediaOptions): Promise<void> {
  const root = resolve(options.root);
  const immutable = (options.immutable ?? []).map((dir) => resolve(root, dir) + sep);
  mkdirSync(root, { recursive: true });
  await app.register(fastifyStatic, {
    root,
    prefix: '/media/',
    maxAge: '7d',
    index: false,
    wildcard: true,
    // `ignore` answers 404, as for a file that is not there: a dotfile's existence is nobody's business.
    dotfiles: 'ignore',
    setHeaders(reply, path) {
      if (isPassiveMedia(path)) {
        if (immutable.some((dir) => path.startsWith(dir))) reply.header('cache-control', IMMUTABLE);
        return;
      }
      reply.header('content-disposition', 'attachment');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
    },
  });
}
