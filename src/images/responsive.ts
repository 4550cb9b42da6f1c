/**
 * Responsive markup data from an image's `src` and `width` alone: a page
 * lists every stored file of an uploaded image without reading the disk or
 * the database. Pure.
 */
import { EXTENSIONS, type FallbackFormat, IMAGES_URL, MIME_TYPES, type VariantFormat, variantWidths } from './image.js';

/** A `srcset` per format, for `<picture>`: AVIF and WebP sources, and the fallback's for the `<img>`. */
export interface ResponsiveImage {
  avif: string;
  webp: string;
  fallback: { type: string; srcset: string };
}

/** `/media/images/<hash>/w<width>.<jpg|png>`: the largest fallback file of an uploaded image. */
const UPLOADED = /^\/media\/images\/([0-9a-f]{32})\/w([1-9]\d{0,4})\.(jpg|png)$/;

/**
 * The `srcset`s of an uploaded image, or undefined for any other image
 * (imported `https://…` or `/media/x.jpg` files keep a plain `<img>`), and
 * for one whose `width` disagrees with its name: the name says which files
 * exist, and a width edited by hand would make the browser pick the wrong one.
 *
 * @example
 *   responsiveImage('/media/images/0123456789abcdef0123456789abcdef/w800.jpg', 800);
 *   // { avif: '/media/images/…/w320.avif 320w, /media/images/…/w640.avif 640w, /media/images/…/w800.avif 800w',
 *   //   webp: '…', fallback: { type: 'image/jpeg', srcset: '…/w320.jpg 320w, …' } }
 *   responsiveImage('https://upload.example/photo.jpg', 800); // undefined
 */
export function responsiveImage(src: string, width: number | undefined): ResponsiveImage | undefined {
  const match = UPLOADED.exec(src);
  if (!match) return undefined;
  const [, hash, named, ext] = match as unknown as [string, string, string, string];
  const top = Number(named);
  if (width !== undefined && width !== top) return undefined;
  const fallback: FallbackFormat = ext === 'png' ? 'png' : 'jpeg';
  const widths = variantWidths(top);
  const srcset = (format: VariantFormat) =>
    widths.map((w) => `${IMAGES_URL}${hash}/w${w}.${EXTENSIONS[format]} ${w}w`).join(', ');
  return {
    avif: srcset('avif'),
    webp: srcset('webp'),
    fallback: { type: MIME_TYPES[fallback], srcset: srcset(fallback) },
  };
}
