/**
 * Brings an export's images home (`--download-images`): every remote image of
 * the posts — the lead image and each image block — is fetched once through
 * the outbound HTTP module (time budget, size limit, private addresses
 * refused, redirects re-checked) and stored by the media pipeline (type by
 * content, metadata stripped, responsive files), and the posts then point at
 * the local copy with its size. An image that cannot be brought home is a
 * warning naming the post, the address and why; the post keeps the old
 * address and imports all the same.
 *
 * @example
 *   const { downloaded, warnings } = await downloadArchiveImages({ http, images, maxBytes }, archive);
 *   // warnings: [{ ref: 'post 11', url: 'https://old.example/gone.jpg', reason: 'HTTP 404' }]
 */
import type { Image } from '../articles/article.js';
import type { ImageService, StoredImage } from '../images/image.service.js';
import { AppError } from '../lib/errors.js';
import { type HttpClient, HttpError } from '../net/http-client.js';
import type { ParsedArchive } from './archive-post.js';

export interface ArchiveImagesDeps {
  http: Pick<HttpClient, 'get'>;
  images: Pick<ImageService, 'upload'>;
  /** The largest image accepted, as for an upload. */
  maxBytes: number;
}

export interface ImageWarning {
  ref: string;
  url: string;
  reason: string;
}

export interface ArchiveImagesReport {
  /** Distinct images stored. */
  downloaded: number;
  warnings: ImageWarning[];
}

const CONCURRENCY = 4;
const TIMEOUT_MS = 20_000;

export async function downloadArchiveImages(
  deps: ArchiveImagesDeps,
  archive: ParsedArchive,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<ArchiveImagesReport> {
  // Each remote image with every place it appears: one download however many posts show it.
  const uses = new Map<string, { ref: string; image: Image }[]>();
  for (const post of archive.posts) {
    const images = [
      ...(post.input.leadImage ? [post.input.leadImage] : []),
      ...post.input.body.filter((b): b is Extract<typeof b, { type: 'image' }> => b.type === 'image'),
    ];
    for (const image of images) {
      if (!/^https?:\/\//i.test(image.src)) continue;
      const list = uses.get(image.src) ?? [];
      list.push({ ref: post.ref, image });
      uses.set(image.src, list);
    }
  }
  const report: ArchiveImagesReport = { downloaded: 0, warnings: [] };
  const queue = [...uses.keys()];
  let done = 0;
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const places = uses.get(url)!;
      try {
        const stored = await fetchImage(deps, url);
        report.downloaded++;
        for (const { image } of places) localize(image, stored);
      } catch (err) {
        const reason = reasonOf(err);
        for (const { ref } of places) report.warnings.push({ ref, url, reason });
      }
      options.onProgress?.(++done, uses.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  // Warnings in the order of the posts, whichever download finished first.
  const order = new Map(archive.posts.map((p, i) => [p.ref, i]));
  report.warnings.sort((a, b) => order.get(a.ref)! - order.get(b.ref)! || a.url.localeCompare(b.url));
  return report;
}

async function fetchImage(deps: ArchiveImagesDeps, url: string): Promise<StoredImage> {
  const res = await deps.http.get(url, {
    maxBytes: deps.maxBytes,
    timeoutMs: TIMEOUT_MS,
    headers: { accept: 'image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8' },
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return deps.images.upload(res.bytes, { filename: new URL(res.url).pathname.split('/').pop() ?? '' });
}

function localize(image: Image, stored: StoredImage): void {
  image.src = stored.src;
  image.width = stored.width;
  image.height = stored.height;
}

function reasonOf(err: unknown): string {
  if (err instanceof HttpError || err instanceof AppError) return `${err.code}: ${err.message}`;
  return (err as Error).message;
}
