/**
 * Images: uploads (type checked by content, size and pixel limits, metadata
 * stripped, responsive files in AVIF, WebP and JPEG/PNG, stored atomically
 * once per content hash), and which local images are missing. No HTTP here:
 * the newsroom's upload route calls `upload`.
 *
 * @example
 *   const images = createImageService({ mediaDir: config.mediaDir, database, log, limits: config.uploads });
 *   const image = await images.upload(bytes, { filename: 'harbour.jpg', uploadedBy: user.id });
 *   article.leadImage = { src: image.src, width: image.width, height: image.height, alt: 'The harbour at dawn' };
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../db/connect.js';
import { AppError } from '../lib/errors.js';
import { IMAGES_DIR, type ImageType, imageUrl, type VariantFormat } from './image.js';
import { recordImage } from './image.repository.js';
import { findMissingImages, type ImageContent, type ImageProblem } from './missing.js';
import { createMediaPresence, type MediaPresence } from './presence.js';
import type { ProcessedImage } from './process.js';
import { sniffImageType } from './sniff.js';
import { readStored, setAside, storeAtomically, sweepIncoming } from './storage.js';

export interface ImageLimits {
  /** The largest upload, in bytes (`UPLOAD_MAX_MB`). */
  maxBytes: number;
  /** The most pixels an image may have (default 100 million: a 60-megapixel camera's photos pass). */
  maxPixels?: number;
}

export interface StoredVariant {
  src: string;
  width: number;
  height: number;
  type: VariantFormat;
  bytes: number;
}

/** An image as stored; `src`, `width` and `height` are what an article's `Image` takes. */
export interface StoredImage {
  /** The image's record, when the service keeps records (it has a database). */
  id?: number;
  /** The content hash of the uploaded bytes (128 bits of SHA-256, hex): the image's folder. */
  hash: string;
  /** The largest JPEG/PNG responsive file (at most 1920 pixels wide). */
  src: string;
  width: number;
  height: number;
  /** The upload's type, by content. */
  type: ImageType;
  /** The upload's size. */
  bytes: number;
  /** The full-size original, re-encoded without metadata. */
  original: { src: string; width: number; height: number; bytes: number };
  /** Every responsive file, narrowest first, AVIF, WebP then JPEG/PNG for each width. */
  variants: StoredVariant[];
}

export interface ImageService {
  /**
   * Stores an image; the same bytes uploaded again give the same image
   * (nothing is processed twice). Throws `AppError` `IMAGE_TOO_LARGE` (413),
   * `IMAGE_UNSUPPORTED` (415) or `IMAGE_CORRUPT` (422).
   */
  upload(bytes: Buffer, meta?: { filename?: string; uploadedBy?: number }): Promise<StoredImage>;
  /** The local images of this content whose file is missing (asked of the disk now). */
  checkImages(content: ImageContent): Promise<ImageProblem[]>;
  /** False for a local `/media/…` image whose file is missing; from a memo (see `presence.ts`), for rendering. */
  isAvailable(src: string): boolean;
}

export interface ImageServiceOptions {
  mediaDir: string;
  /** Keeps a record per image (`images` table) when given. */
  database?: Database;
  log: Logger;
  limits: ImageLimits;
  /** The memo behind `isAvailable` (tests pass a clock). */
  presence?: MediaPresence;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
/** Folders an interrupted upload left behind are removed after this long (younger ones may still be written). */
const LEFTOVER_AGE_MS = 3_600_000;
const MANIFEST_VERSION = 1;

type Manifest = Omit<StoredImage, 'id'> & { version: number };

export function createImageService(options: ImageServiceOptions): ImageService {
  const { log, database } = options;
  const root = join(options.mediaDir, IMAGES_DIR);
  const maxPixels = options.limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  const presence = options.presence ?? createMediaPresence({ mediaDir: options.mediaDir });
  // sharp is a native module of some size: loaded on the first upload, never by the CLI or the reader site.
  let pipeline: Promise<typeof import('./process.js')> | undefined;
  let swept: Promise<void> | undefined;
  /** Uploads of the same bytes at the same time share one processing. */
  const inFlight = new Map<string, Promise<Manifest>>();

  const sweep = () =>
    sweepIncoming(root, LEFTOVER_AGE_MS).then(
      (removed) => {
        if (removed > 0) log.info({ removed }, 'removed interrupted image uploads');
      },
      (err: Error) => log.warn({ err }, 'could not sweep interrupted image uploads'),
    );

  async function store(bytes: Buffer, type: ImageType, hash: string): Promise<Manifest> {
    swept ??= sweep();
    await swept;
    const found = await readStored<Manifest>(root, hash);
    const existing = valid(found, hash);
    if (existing) return existing;
    if (found) await setAside(root, hash);
    pipeline ??= import('./process.js');
    const processed = await (await pipeline).processImage(bytes, type, { maxPixels });
    const manifest = toManifest(processed, hash, bytes.length);
    const outcome = await storeAtomically(root, hash, processed.files, manifest);
    if (outcome === 'stored') return manifest;
    // Another instance stored the same bytes first: theirs is the image.
    return valid(await readStored<Manifest>(root, hash), hash) ?? manifest;
  }

  return {
    async upload(bytes, meta = {}) {
      const context = { filename: meta.filename, uploadedBy: meta.uploadedBy, bytes: bytes.length };
      try {
        if (bytes.length > options.limits.maxBytes) {
          throw new AppError('IMAGE_TOO_LARGE', `the file is larger than ${options.limits.maxBytes} bytes`, {
            bytes: bytes.length,
            maxBytes: options.limits.maxBytes,
          });
        }
        const type = sniffImageType(bytes);
        if (!type) throw new AppError('IMAGE_UNSUPPORTED', 'the file is not a JPEG, PNG, WebP, AVIF or GIF image');
        const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
        let stored = inFlight.get(hash);
        if (!stored) {
          stored = store(bytes, type, hash).finally(() => inFlight.delete(hash));
          inFlight.set(hash, stored);
        }
        const { version: _v, ...image } = await stored;
        // A page rendered before the upload may have remembered the file as missing.
        await presence.check(image.src);
        const record = database
          ? await recordImage(
              database.db,
              { ...pick(image), ...(meta.uploadedBy ? { uploadedBy: meta.uploadedBy } : {}) },
              new Date(),
            )
          : undefined;
        log.info(
          { ...context, hash, type, width: image.original.width, height: image.original.height },
          'image stored',
        );
        return { ...(record ? { id: record.id } : {}), ...image };
      } catch (err) {
        if (err instanceof AppError) log.info({ ...context, code: err.code }, 'image refused');
        throw err;
      }
    },
    checkImages: (content) => findMissingImages(content, presence.check),
    isAvailable: (src) => presence.isAvailable(src),
  };
}

function toManifest(processed: ProcessedImage, hash: string, bytes: number): Manifest {
  const [original, ...rest] = processed.files;
  if (!original) throw new Error('the pipeline made no file');
  const variants = rest.map((f) => ({
    src: imageUrl(hash, f.name),
    width: f.width,
    height: f.height,
    type: f.format as VariantFormat,
    bytes: f.data.length,
  }));
  const top = variants.filter((v) => v.type === processed.fallback).at(-1);
  if (!top) throw new Error('the pipeline made no fallback file');
  return {
    version: MANIFEST_VERSION,
    hash,
    src: top.src,
    width: top.width,
    height: top.height,
    type: processed.type,
    bytes,
    original: {
      src: imageUrl(hash, original.name),
      width: original.width,
      height: original.height,
      bytes: original.data.length,
    },
    variants,
  };
}

/** A manifest this version wrote for this hash, or undefined (then the image is made again). */
function valid(manifest: Manifest | undefined, hash: string): Manifest | undefined {
  return manifest?.version === MANIFEST_VERSION && manifest.hash === hash && typeof manifest.src === 'string'
    ? manifest
    : undefined;
}

function pick(image: Omit<StoredImage, 'id'>) {
  return {
    hash: image.hash,
    src: image.src,
    width: image.original.width,
    height: image.original.height,
    type: image.type,
    bytes: image.bytes,
  };
}
