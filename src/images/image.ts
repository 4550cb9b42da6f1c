/**
 * Uploaded images: their types, the responsive widths, and the naming scheme
 * of the stored files. Pure; no I/O here.
 *
 * An image is stored once per content hash, under `MEDIA_DIR/images/<hash>/`:
 *
 *   original.jpg (or .png)         the upload at full size, re-encoded: metadata stripped, orientation applied, sRGB
 *   w320.avif  w320.webp  w320.jpg  one set per responsive width, never wider than the original
 *   …
 *   w1920.avif w1920.webp w1920.jpg the largest (the original's width when it is narrower)
 *   .manifest.json                  what `upload` returned (a dotfile: never served)
 *
 * An article's `Image.src` is the largest fallback file (`/media/images/<hash>/w1920.jpg`)
 * and its `width` that file's width, so the name and width alone give every
 * other file (see `responsive.ts`).
 */

/** Upload types accepted, by content. */
export const IMAGE_TYPES = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Formats the responsive files come in: AVIF and WebP for browsers that take them, JPEG or PNG for the rest. */
export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png';
export type FallbackFormat = 'jpeg' | 'png';

/** File extension of each format. */
export const EXTENSIONS: Readonly<Record<VariantFormat, string>> = {
  avif: 'avif',
  webp: 'webp',
  jpeg: 'jpg',
  png: 'png',
};

/** MIME type of each format, for `<source type>`. */
export const MIME_TYPES: Readonly<Record<VariantFormat, string>> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/**
 * Responsive widths. 1920 covers a full-column image on a high-density
 * screen; wider files would only cost readers bandwidth.
 */
export const WIDTHS = [320, 640, 960, 1280, 1920] as const;
export const MAX_WIDTH = WIDTHS[WIDTHS.length - 1] as number;

/** The folder under MEDIA_DIR, and the URL prefix, of uploaded images. */
export const IMAGES_DIR = 'images';
export const IMAGES_URL = '/media/images/';

/** A content hash as used in names: the first 128 bits of SHA-256, in hex. */
export const HASH_PATTERN = /^[0-9a-f]{32}$/;

/**
 * The widths stored for an image whose largest file is `top` pixels wide:
 * the standard widths below it, then `top` itself.
 *
 * @example
 *   variantWidths(1920); // [320, 640, 960, 1280, 1920]
 *   variantWidths(800); // [320, 640, 800]
 *   variantWidths(200); // [200]
 */
export function variantWidths(top: number): number[] {
  return [...WIDTHS.filter((w) => w < top), top];
}

/**
 * The width of the largest responsive file of an image `width` pixels wide.
 *
 * @example
 *   topWidth(4000); // 1920
 *   topWidth(800); // 800
 */
export function topWidth(width: number): number {
  return Math.min(width, MAX_WIDTH);
}

/**
 * The JPEG/PNG fallback of an upload: PNG for what is drawn (PNG, GIF) or
 * transparent, JPEG for photographs.
 *
 * @example
 *   fallbackFormat('webp', true); // 'png'
 *   fallbackFormat('jpeg', false); // 'jpeg'
 */
export function fallbackFormat(type: ImageType, hasAlpha: boolean): FallbackFormat {
  return type === 'png' || type === 'gif' || hasAlpha ? 'png' : 'jpeg';
}

/**
 * The file name of one responsive file.
 *
 * @example
 *   variantName(640, 'webp'); // 'w640.webp'
 */
export function variantName(width: number, format: VariantFormat): string {
  return `w${width}.${EXTENSIONS[format]}`;
}

/**
 * The file name of the full-size original.
 *
 * @example
 *   originalName('png'); // 'original.png'
 */
export function originalName(format: FallbackFormat): string {
  return `original.${EXTENSIONS[format]}`;
}

/**
 * The public URL of a stored file.
 *
 * @example
 *   imageUrl('0123456789abcdef0123456789abcdef', 'w640.webp');
 *   // '/media/images/0123456789abcdef0123456789abcdef/w640.webp'
 */
export function imageUrl(hash: string, name: string): string {
  return `${IMAGES_URL}${hash}/${name}`;
}
