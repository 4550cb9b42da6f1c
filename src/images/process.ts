/**
 * The image pipeline (sharp): checks an upload's content and size in pixels,
 * then makes the files of `image.ts`'s naming scheme. Every output is
 * re-encoded from decoded pixels, so nothing of the upload's own bytes
 * survives: no EXIF (GPS position, camera serial), XMP, IPTC or comments.
 * Orientation is applied first (`.rotate()`), so stripping the EXIF
 * orientation tag cannot turn a portrait photo on its side, and colours are
 * converted to sRGB from the embedded profile (Display P3, Adobe RGB, CMYK),
 * the space browsers assume for an image without one.
 *
 * Loaded on the first upload only (`image.service.ts`): the command line and
 * the reader site never pay for the native module.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '../lib/errors.js';
import {
  type FallbackFormat,
  fallbackFormat,
  type ImageType,
  originalName,
  topWidth,
  type VariantFormat,
  variantName,
  variantWidths,
} from './image.js';

export interface ProcessLimits {
  /** Width × height of the largest image accepted: a small file can declare a huge canvas (a decompression bomb). */
  maxPixels: number;
}

export interface ProcessedFile {
  name: string;
  data: Buffer;
  width: number;
  height: number;
  /** `original` for the full-size file. */
  format: VariantFormat | 'original';
}

export interface ProcessedImage {
  type: ImageType;
  /** The original's size, orientation applied. */
  width: number;
  height: number;
  fallback: FallbackFormat;
  /** The original first, then each width's AVIF, WebP and fallback, narrowest first. */
  files: ProcessedFile[];
}

/**
 * Quality settings: visually close to the upload at a fraction of its weight
 * (AVIF and WebP need less for the same look). AVIF at effort 2, not the
 * default 4: on a 1920-pixel photo that is 0.7 s instead of 8 for files
 * about a third larger, and an editor waits for the upload.
 */
const ENCODE: Record<VariantFormat, (s: Sharp) => Sharp> = {
  avif: (s) => s.avif({ quality: 50, effort: 2 }),
  webp: (s) => s.webp({ quality: 78 }),
  jpeg: (s) => s.jpeg({ quality: 80, mozjpeg: true }),
  png: (s) => s.png({ compressionLevel: 9 }),
};
/** The original is kept, not served to readers: plain libjpeg, five times faster than mozjpeg on a 24-megapixel photo. */
const ENCODE_ORIGINAL: Record<FallbackFormat, (s: Sharp) => Sharp> = {
  jpeg: (s) => s.jpeg({ quality: 90 }),
  png: (s) => s.png({ compressionLevel: 9 }),
};

/**
 * Makes every stored file of an upload whose magic bytes said `sniffed`.
 * Throws `IMAGE_UNSUPPORTED` when the decoder sees another type,
 * `IMAGE_TOO_LARGE` past `maxPixels`, `IMAGE_CORRUPT` when the data cannot be
 * decoded to the end (a truncated file).
 *
 * @example
 *   const { width, height, files } = await processImage(bytes, 'jpeg', { maxPixels: 100_000_000 });
 */
export async function processImage(bytes: Buffer, sniffed: ImageType, limits: ProcessLimits): Promise<ProcessedImage> {
  const meta = await readMetadata(bytes);
  if (typeOf(meta) !== sniffed) throw new AppError('IMAGE_UNSUPPORTED', 'the file is not an image of a supported type');
  // A GIF's frames are stacked in one tall canvas: only the first is kept, so only it counts.
  const pixels = meta.width * (meta.pageHeight ?? meta.height);
  if (pixels > limits.maxPixels) {
    throw new AppError('IMAGE_TOO_LARGE', `the image has more than ${limits.maxPixels} pixels`, {
      pixels,
      maxPixels: limits.maxPixels,
    });
  }
  const fallback = fallbackFormat(sniffed, meta.hasAlpha);
  // failOn 'warning': a truncated or damaged file is refused rather than stored with grey bands.
  const decoded = () =>
    sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning' }).rotate().toColourspace('srgb');
  try {
    const original = await ENCODE_ORIGINAL[fallback](decoded()).toBuffer({ resolveWithObject: true });
    const { width, height } = original.info;
    // One decode for every responsive file: the largest, as raw pixels, from which the smaller ones are made.
    const top = topWidth(width);
    const master = await decoded()
      .resize({ width: top, withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const raw = { width: master.info.width, height: master.info.height, channels: master.info.channels };
    const files: ProcessedFile[] = [
      { name: originalName(fallback), data: original.data, width, height, format: 'original' },
    ];
    for (const w of variantWidths(master.info.width)) {
      const formats: VariantFormat[] = ['avif', 'webp', fallback];
      const encoded = await Promise.all(
        formats.map((format) =>
          ENCODE[format](sharp(master.data, { raw }).resize({ width: w })).toBuffer({ resolveWithObject: true }),
        ),
      );
      encoded.forEach(({ data, info }, i) => {
        const format = formats[i] as VariantFormat;
        files.push({ name: variantName(w, format), data, width: info.width, height: info.height, format });
      });
    }
    return { type: sniffed, width, height, fallback, files };
  } catch (err) {
    throw decodeError(err);
  }
}

async function readMetadata(bytes: Buffer): Promise<Metadata> {
  try {
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new AppError('IMAGE_CORRUPT', 'the image cannot be read', { cause: (err as Error).message });
  }
}

/** The accepted type the decoder sees, or undefined (an AVIF is a HEIF compressed with AV1; HEIC is not accepted). */
function typeOf(meta: Metadata): ImageType | undefined {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
      return meta.format;
    case 'heif':
      return meta.compression === 'av1' ? 'avif' : undefined;
    default:
      return undefined;
  }
}

function decodeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(message)) return new AppError('IMAGE_TOO_LARGE', 'the image has too many pixels');
  return new AppError('IMAGE_CORRUPT', 'the image data is damaged or incomplete', { cause: message });
}
