import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import { AppError } from '../lib/errors.js';
import { BLUE, displayP3, halves, hasGpsIfd, jpeg, plain, pngClaiming, RED, withLocation } from './fixtures/make.js';
import { findImageByHash } from './image.repository.js';
import { createImageService, type ImageService, type StoredImage } from './image.service.js';

const log = pino({ level: 'silent' });
const MB = 1024 * 1024;

/** The file on disk behind a `/media/…` URL. */
const fileOf = (mediaDir: string, src: string) => join(mediaDir, src.replace(/^\/media\//, ''));

/** A folder's entries, or none when it does not exist. */
const listed = (...path: string[]) => (existsSync(join(...path)) ? readdirSync(join(...path)).sort() : []);

/** The upload's failure code, or a failure of the test when it succeeded. */
async function refusal(upload: Promise<StoredImage>): Promise<{ code: string; statusCode: number }> {
  const err = await upload.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the upload should have been refused').toBeInstanceOf(AppError);
  const { code, statusCode } = err as AppError;
  return { code, statusCode };
}

describe('image uploads', () => {
  let mediaDir: string;
  let images: ImageService;

  beforeAll(() => {
    mediaDir = mkdtempSync(join(tmpdir(), 'dateline-images-'));
    images = createImageService({ mediaDir, log, limits: { maxBytes: 20 * MB } });
  });
  afterAll(() => rmSync(mediaDir, { recursive: true, force: true }));

  describe('the type, by content', () => {
    it('accepts a PNG named .jpg as a PNG, with PNG fallbacks', async () => {
      const image = await images.upload(await plain(300, 200).png().toBuffer(), { filename: 'photo.jpg' });
      expect(image.type).toBe('png');
      expect(image.src).toMatch(/\/w300\.png$/);
      expect((await sharp(fileOf(mediaDir, image.src)).metadata()).format).toBe('png');
    });

    it.each([
      ['webp', 'jpg', () => plain(120, 80).webp().toBuffer()],
      ['avif', 'jpg', () => plain(120, 80).avif().toBuffer()],
      ['gif', 'png', () => plain(120, 80).gif().toBuffer()],
      ['transparent webp', 'png', () => plain(120, 80, undefined, true).webp().toBuffer()],
    ] as const)('accepts %s (fallback .%s)', async (name, fallback, make) => {
      const image = await images.upload(await make());
      expect(image.type).toBe(name.split(' ').at(-1));
      expect(image.src.endsWith(`.${fallback}`)).toBe(true);
    });

    it('refuses HTML named x.jpg, and SVG, with 415 IMAGE_UNSUPPORTED', async () => {
      const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
      expect(await refusal(images.upload(html, { filename: 'x.jpg' }))).toEqual({
        code: 'IMAGE_UNSUPPORTED',
        statusCode: 415,
      });
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      );
      expect(await refusal(images.upload(svg, { filename: 'x.svg' }))).toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
      expect(await refusal(images.upload(Buffer.alloc(0)))).toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
    });

    it('refuses a truncated JPEG with 422 IMAGE_CORRUPT and stores nothing of it', async () => {
      // Noise does not compress: the scan data is most of the file, so half of it is cut off mid-image.
      const noise = await sharp(Buffer.from(Array.from({ length: 256 * 256 * 3 }, (_, i) => (i * 7919) % 251)), {
        raw: { width: 256, height: 256, channels: 3 },
      })
        .jpeg()
        .toBuffer();
      const before = listed(mediaDir, 'images');
      const cut = noise.subarray(0, Math.floor(noise.length * 0.6));
      expect(await refusal(images.upload(cut, { filename: 'cut.jpg' }))).toEqual({
        code: 'IMAGE_CORRUPT',
        statusCode: 422,
      });
      expect(listed(mediaDir, 'images')).toEqual(before);
      expect(listed(mediaDir, 'images/.incoming')).toEqual([]);
    });
  });

  describe('limits', () => {
    it('refuses a file over the size limit with 413 IMAGE_TOO_LARGE, and takes one at the limit', async () => {
      const bytes = await jpeg(64, 64);
      const small = createImageService({ mediaDir, log, limits: { maxBytes: bytes.length - 1 } });
      expect(await refusal(small.upload(bytes))).toEqual({ code: 'IMAGE_TOO_LARGE', statusCode: 413 });
      const exact = createImageService({ mediaDir, log, limits: { maxBytes: bytes.length } });
      await expect(exact.upload(bytes)).resolves.toMatchObject({ type: 'jpeg' });
    });

    it('refuses a small file that declares a huge canvas (a decompression bomb) before decoding it', async () => {
      const bomb = await pngClaiming(30_000, 30_000);
      expect(bomb.length).toBeLessThan(1000);
      expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(30_000);
      expect(await refusal(images.upload(bomb))).toEqual({ code: 'IMAGE_TOO_LARGE', statusCode: 413 });
    });

    it('counts pixels against the configured limit', async () => {
      const bytes = await jpeg(200, 100);
      const strict = createImageService({ mediaDir, log, limits: { maxBytes: MB, maxPixels: 19_999 } });
      expect(await refusal(strict.upload(bytes))).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
      const enough = createImageService({ mediaDir, log, limits: { maxBytes: MB, maxPixels: 20_000 } });
      await expect(enough.upload(bytes)).resolves.toMatchObject({ width: 200, height: 100 });
    });
  });

  describe('what is kept of the upload', () => {
    it('strips EXIF (GPS position, camera) and XMP from every stored file', async () => {
      const bytes = await withLocation();
      const input = await sharp(bytes).metadata();
      expect(hasGpsIfd(input.exif)).toBe(true);
      expect(input.exif?.includes('Phonemaker')).toBe(true);
      expect(input.xmp).toBeDefined();

      const image = await images.upload(bytes);
      const files = [image.original.src, ...image.variants.map((v) => v.src)];
      expect(files.length).toBeGreaterThan(3);
      for (const src of files) {
        const meta = await sharp(fileOf(mediaDir, src)).metadata();
        expect(meta.exif, src).toBeUndefined();
        expect(meta.xmp, src).toBeUndefined();
        expect(meta.iptc, src).toBeUndefined();
      }
    });

    it('applies the orientation tag to the pixels, so the photo stands as it was taken', async () => {
      // Orientation 6: turn 90° clockwise to display, so the left (red) half ends on top.
      const image = await images.upload(await halves(200, 100, 6));
      expect(image.original).toMatchObject({ width: 100, height: 200 });
      expect([image.width, image.height]).toEqual([100, 200]);
      const file = fileOf(mediaDir, image.original.src);
      expect((await sharp(file).metadata()).orientation).toBeUndefined();
      const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      const pixel = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
      ];
      const near = (got: number[], want: { r: number; g: number; b: number }) =>
        Math.max(...got.map((v, i) => Math.abs(v - [want.r, want.g, want.b][i]!))) < 30;
      expect(near(pixel(50, 20), RED), `top pixel ${pixel(50, 20)}`).toBe(true);
      expect(near(pixel(50, 180), BLUE), `bottom pixel ${pixel(50, 180)}`).toBe(true);
    });

    it('converts colours from the embedded profile to sRGB, and embeds none', async () => {
      const bytes = await displayP3({ r: 200, g: 100, b: 50 });
      const stored = [...(await sharp(bytes).keepIccProfile().raw().toBuffer()).subarray(0, 3)];
      // The file's own values differ from the sRGB colour they stand for: a plain copy would show other colours.
      expect(stored).not.toEqual([200, 100, 50]);
      const image = await images.upload(bytes);
      const file = fileOf(mediaDir, image.original.src);
      const meta = await sharp(file).metadata();
      expect(meta.hasProfile).toBe(false);
      expect(meta.space).toBe('srgb');
      const pixel = [...(await sharp(file).raw().toBuffer()).subarray(0, 3)];
      pixel.forEach((v, i) => {
        expect(Math.abs(v - [200, 100, 50][i]!)).toBeLessThanOrEqual(3);
      });
    });
  });

  describe('responsive files', () => {
    it('makes AVIF, WebP and JPEG at each width up to 1920, and keeps the original at full size', async () => {
      const image = await images.upload(await jpeg(2400, 1600));
      expect(image).toMatchObject({ type: 'jpeg', width: 1920, height: 1280 });
      expect(image.src).toBe(`/media/images/${image.hash}/w1920.jpg`);
      expect(image.original).toMatchObject({
        src: `/media/images/${image.hash}/original.jpg`,
        width: 2400,
        height: 1600,
      });
      expect(image.variants.map((v) => `${v.width}.${v.type}`)).toEqual(
        [320, 640, 960, 1280, 1920].flatMap((w) => [`${w}.avif`, `${w}.webp`, `${w}.jpeg`]),
      );
      for (const v of image.variants) {
        const file = fileOf(mediaDir, v.src);
        const meta = await sharp(file).metadata();
        expect(meta.format === 'heif' ? 'avif' : meta.format, v.src).toBe(v.type);
        expect([meta.width, meta.height], v.src).toEqual([v.width, Math.round((v.width * 2) / 3)]);
        expect(statSync(file).size).toBe(v.bytes);
      }
    });

    it('never makes a file wider than the original', async () => {
      const image = await images.upload(await jpeg(500, 300));
      expect(image.src).toMatch(/\/w500\.jpg$/);
      expect([...new Set(image.variants.map((v) => v.width))]).toEqual([320, 500]);
      const names = readdirSync(join(mediaDir, 'images', image.hash)).sort();
      expect(names).toEqual(
        [
          '.manifest.json',
          'original.jpg',
          'w320.avif',
          'w320.jpg',
          'w320.webp',
          'w500.avif',
          'w500.jpg',
          'w500.webp',
        ].sort(),
      );
    });
  });

  describe('idempotence', () => {
    it('stores the same bytes once: a second upload returns the image without writing anything', async () => {
      const bytes = await jpeg(700, 400);
      const first = await images.upload(bytes, { filename: 'a.jpg' });
      const dir = join(mediaDir, 'images', first.hash);
      const written = statSync(join(dir, 'w700.avif')).mtimeMs;
      const again = await images.upload(Buffer.from(bytes), { filename: 'b.jpg' });
      expect(again).toEqual(first);
      expect(statSync(join(dir, 'w700.avif')).mtimeMs).toBe(written);
    });

    it('gives two uploads of the same bytes at once one folder', async () => {
      const bytes = await jpeg(640, 360);
      const [a, b] = await Promise.all([images.upload(bytes), images.upload(Buffer.from(bytes))]);
      expect(a).toEqual(b);
      expect(readdirSync(join(mediaDir, 'images')).filter((n) => n.startsWith(a.hash))).toEqual([a.hash]);
    });

    it('stores again an image whose folder lost its manifest (damaged, copied by hand)', async () => {
      const bytes = await jpeg(330, 200);
      const first = await images.upload(bytes);
      rmSync(join(mediaDir, 'images', first.hash, '.manifest.json'));
      rmSync(fileOf(mediaDir, first.src));
      const again = await images.upload(bytes);
      expect(again).toEqual(first);
      expect(existsSync(fileOf(mediaDir, first.src))).toBe(true);
    });
  });
});

describeTargets('image records on $dialect', (target) => {
  let db: TestDb;
  let mediaDir: string;
  let images: ImageService;

  beforeAll(async () => {
    db = await createTestDb(target);
    await migrate(db.database);
    mediaDir = mkdtempSync(join(tmpdir(), 'dateline-images-'));
    images = createImageService({ mediaDir, database: db.database, log, limits: { maxBytes: MB } });
  });
  afterAll(async () => {
    await db.cleanup();
    rmSync(mediaDir, { recursive: true, force: true });
  });
  it('keeps one record per image, with who uploaded it first', async () => {
    const bytes = await jpeg(300, 200);
    const first = await images.upload(bytes, { uploadedBy: 7 });
    const again = await images.upload(bytes, { uploadedBy: 9 });
    expect(first.id).toBeGreaterThan(0);
    expect(again.id).toBe(first.id);
    const record = await findImageByHash(db.database.db, first.hash);
    expect(record).toMatchObject({
      id: first.id,
      src: first.src,
      width: 300,
      height: 200,
      type: 'jpeg',
      bytes: bytes.length,
      uploadedBy: 7,
    });
    expect(record?.createdAt).toBeInstanceOf(Date);
    const other = await images.upload(await jpeg(310, 200));
    expect(other.id).not.toBe(first.id);
    expect((await findImageByHash(db.database.db, other.hash))?.uploadedBy).toBeUndefined();
  });
});
