/**
 * What an upload is, by its first bytes: never by its name or the type the
 * browser claims. Only the five types the site accepts are recognised; SVG
 * (which can carry script), HTML and everything else are not, so they never
 * reach the image decoder.
 */
import type { ImageType } from './image.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** ISO base media brands of AVIF: a still image, or an image sequence. */
const AVIF_BRANDS = new Set(['avif', 'avis']);

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/**
 * The type of an image from its magic bytes, or undefined.
 *
 * @example
 *   sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 *   sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')); // undefined
 */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (PNG.every((b, i) => bytes[i] === b)) return 'png';
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp' && isAvif(bytes)) return 'avif';
  return undefined;
}

/** An `ftyp` box whose major or one of whose compatible brands is AVIF (HEIC has others: it is refused). */
function isAvif(bytes: Uint8Array): boolean {
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const end = Math.min(size, bytes.length, 256);
  if (AVIF_BRANDS.has(ascii(bytes, 8, 12))) return true;
  // Compatible brands follow the major brand and its minor version.
  for (let at = 16; at + 4 <= end; at += 4) if (AVIF_BRANDS.has(ascii(bytes, at, at + 4))) return true;
  return false;
}
