import { describe, expect, it } from 'vitest';
import { plain } from './fixtures/make.js';
import { sniffImageType } from './sniff.js';

const ftyp = (major: string, compatible: string[]) => {
  const brands = [major, '\0\0\0\0', ...compatible].join('');
  const box = Buffer.alloc(8 + brands.length);
  box.writeUInt32BE(box.length, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brands, 8, 'latin1');
  return Buffer.concat([box, Buffer.alloc(16)]);
};

describe('sniffImageType', () => {
  it.each(['jpeg', 'png', 'webp', 'avif', 'gif'] as const)('recognises %s by its first bytes', async (format) => {
    const bytes = await plain(16, 16)[format]().toBuffer();
    expect(sniffImageType(bytes)).toBe(format);
  });

  it('recognises AVIF by a compatible brand, and refuses HEIC', () => {
    expect(sniffImageType(ftyp('mif1', ['mif1', 'avif', 'miaf']))).toBe('avif');
    expect(sniffImageType(ftyp('heic', ['mif1', 'heic']))).toBeUndefined();
  });

  it('refuses SVG, HTML, PDF, TIFF and anything too short to tell', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    expect(sniffImageType(svg)).toBeUndefined();
    expect(sniffImageType(Buffer.from('<!doctype html><p>hello</p>'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBeUndefined();
    expect(sniffImageType(await plain(16, 16).tiff().toBuffer())).toBeUndefined();
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});
