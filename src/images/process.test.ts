import { describe, expect, it } from 'vitest';
import { plain } from './fixtures/make.js';
import { processImage } from './process.js';

describe('processImage', () => {
  it('refuses with IMAGE_UNSUPPORTED when the decoder sees another type than the magic bytes said', async () => {
    const png = await plain(16, 16).png().toBuffer();
    await expect(processImage(png, 'jpeg', { maxPixels: 1_000_000 })).rejects.toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
      statusCode: 415,
    });
  });

  it('makes the original first, then AVIF, WebP and the fallback per width, narrowest first', async () => {
    const { files, width, height, fallback } = await processImage(await plain(700, 350).png().toBuffer(), 'png', {
      maxPixels: 1_000_000,
    });
    expect({ width, height, fallback }).toEqual({ width: 700, height: 350, fallback: 'png' });
    expect(files.map((f) => `${f.name} ${f.width}x${f.height}`)).toEqual([
      'original.png 700x350',
      'w320.avif 320x160',
      'w320.webp 320x160',
      'w320.png 320x160',
      'w640.avif 640x320',
      'w640.webp 640x320',
      'w640.png 640x320',
      'w700.avif 700x350',
      'w700.webp 700x350',
      'w700.png 700x350',
    ]);
  });
});
