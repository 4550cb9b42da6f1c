/**
 * Uploaded media under `/media/`: images, audio and video are served inline
 * with a week's cache life; anything else (HTML, SVG, XML, scripts, PDFs…)
 * only as a download, sandboxed, so an uploaded file can never run script on
 * the site's own origin. Dotfiles are never served.
 *
 * @example
 *   await reader.register(mediaRoutes, { root: '/srv/dateline/media' });
 */
import { mkdirSync } from 'node:fs';
import { extname, resolve } from 'node:path';
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

export async function mediaRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = resolve(options.root);
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
      if (isPassiveMedia(path)) return;
      reply.header('content-disposition', 'attachment');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
    },
  });
}
