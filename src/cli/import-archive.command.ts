/**
 * `dateline import-wordpress FILE.xml [--language L] [--download-images]` and
 * `dateline import-ghost FILE.json --url OLD_SITE [--language L] [--download-images]`:
 * imports another platform's export (see `src/archive/`), prints one line per
 * post that failed or was skipped, one per image that could not be brought
 * home (with `--download-images`; the post keeps the old address), and a
 * summary. Exit codes as `import`: 0 all
 * imported, 1 the file is unreadable or not such an export, 2 bad usage,
 * 3 some posts failed (the rest imported).
 *
 * @example
 *   dateline import-wordpress vesti.WordPress.2026-12-05.xml
 *   // skipped page 2: a page, not a post
 *   // 4 posts: 4 created, 0 updated, 0 failed, 1 skipped; 1 old address redirects (0.4 s)
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { downloadArchiveImages } from '../archive/archive-images.js';
import { importArchive } from '../archive/archive-import.service.js';
import type { ParsedArchive } from '../archive/archive-post.js';
import { parseGhost } from '../archive/ghost.js';
import { parseWordpress } from '../archive/wordpress.js';
import { AppError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { phasedProgress, RELATED_PHASE_LABELS } from './progress.js';

const USAGE = {
  wordpress: 'Usage: dateline import-wordpress FILE.xml [--language LANG] [--download-images]',
  ghost: 'Usage: dateline import-ghost FILE.json --url OLD_SITE_URL [--language LANG] [--download-images]',
};

type ArchiveServices = Pick<
  Services,
  'articles' | 'related' | 'events' | 'database' | 'http' | 'images' | 'config' | 'close'
>;

export async function importArchiveCommand(
  platform: 'wordpress' | 'ghost',
  args: string[],
  openServices: () => Promise<ArchiveServices>,
  io: { stdout: Writable; stderr: Writable; siteLanguage?: string },
): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const options = parse(platform, args);
  if (!options) {
    say(USAGE[platform]);
    return 2;
  }
  let archive: ParsedArchive;
  try {
    const text = await readFile(options.file, 'utf8');
    archive =
      platform === 'wordpress'
        ? parseWordpress(text, language(options.language))
        : parseGhost(text, { url: options.url!, ...language(options.language) });
    // An export that names no language is in the site's.
    for (const post of archive.posts) post.input.language ??= io.siteLanguage;
  } catch (err) {
    say(`Import failed: ${err instanceof AppError ? `${err.code}: ` : ''}${(err as Error).message}`);
    return 1;
  }
  const services = await openServices();
  try {
    if (options.downloadImages) {
      const images = await downloadArchiveImages(
        { http: services.http, images: services.images, maxBytes: services.config.uploads.maxBytes },
        archive,
      );
      for (const w of images.warnings) say(`image not downloaded for ${w.ref}: ${w.url}: ${w.reason}`);
      say(`${images.downloaded} images downloaded, ${images.warnings.length} kept at their old address`);
    }
    const bars = phasedProgress(RELATED_PHASE_LABELS, io.stderr as NodeJS.WriteStream);
    const report = await importArchive(services, archive, { onRelated: bars.update });
    bars.done();
    for (const s of report.skipped) say(`skipped ${s.ref}: ${s.reason}`);
    for (const f of report.failed) say(`failed ${f.ref}: ${f.reason}`);
    io.stdout.write(
      `${report.posts} posts: ${report.created} created, ${report.updated} updated, ${report.failed.length} failed, ` +
        `${report.skipped.length} skipped; ${report.oldPermalinks} old addresses redirect (${report.seconds.toFixed(1)} s)\n`,
    );
    return report.failed.length > 0 ? 3 : 0;
  } finally {
    await services.close();
  }
}

const language = (value: string | undefined) => (value ? { language: value } : {});

function parse(platform: 'wordpress' | 'ghost', args: string[]) {
  try {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { language: { type: 'string' }, url: { type: 'string' }, 'download-images': { type: 'boolean' } },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) return undefined;
    if (platform === 'ghost' && !/^https?:\/\/[^/]/i.test(values.url ?? '')) return undefined;
    if (values.language !== undefined && !/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(values.language)) return undefined;
    return { file, language: values.language, url: values.url, downloadImages: values['download-images'] === true };
  } catch {
    return undefined;
  }
}
