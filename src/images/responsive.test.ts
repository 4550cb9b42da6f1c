import { describe, expect, it } from 'vitest';
import { fallbackFormat, topWidth, variantWidths } from './image.js';
import { responsiveImage } from './responsive.js';

const HASH = '0123456789abcdef0123456789abcdef';
const at = (name: string) => `/media/images/${HASH}/${name}`;

describe('responsive image names', () => {
  it('lists the standard widths below the largest file, then the largest', () => {
    expect(variantWidths(1920)).toEqual([320, 640, 960, 1280, 1920]);
    expect(variantWidths(800)).toEqual([320, 640, 800]);
    expect(variantWidths(640)).toEqual([320, 640]);
    expect(variantWidths(200)).toEqual([200]);
    expect(topWidth(6000)).toBe(1920);
    expect(topWidth(800)).toBe(800);
  });

  it('falls back to PNG for drawings and transparency, JPEG for photographs', () => {
    expect(fallbackFormat('jpeg', false)).toBe('jpeg');
    expect(fallbackFormat('avif', false)).toBe('jpeg');
    expect(fallbackFormat('png', false)).toBe('png');
    expect(fallbackFormat('gif', false)).toBe('png');
    expect(fallbackFormat('webp', true)).toBe('png');
  });
});

describe('responsiveImage', () => {
  it('gives a srcset per type from the src and width alone', () => {
    expect(responsiveImage(at('w800.jpg'), 800)).toEqual({
      avif: `${at('w320.avif')} 320w, ${at('w640.avif')} 640w, ${at('w800.avif')} 800w`,
      webp: `${at('w320.webp')} 320w, ${at('w640.webp')} 640w, ${at('w800.webp')} 800w`,
      fallback: {
        type: 'image/jpeg',
        srcset: `${at('w320.jpg')} 320w, ${at('w640.jpg')} 640w, ${at('w800.jpg')} 800w`,
      },
    });
    expect(responsiveImage(at('w1920.png'), 1920)?.fallback).toEqual({
      type: 'image/png',
      srcset: [320, 640, 960, 1280, 1920].map((w) => `${at(`w${w}.png`)} ${w}w`).join(', '),
    });
  });

  it('reads the width from the name when the image has none', () => {
    expect(responsiveImage(at('w300.jpg'), undefined)?.webp).toBe(`${at('w300.webp')} 300w`);
  });

  it('leaves every other image to a plain <img>', () => {
    for (const src of [
      'https://upload.example/photo.jpg',
      '/media/photo.jpg',
      at('original.jpg'),
      at('w640.webp'),
      `/media/images/${HASH.slice(1)}/w640.jpg`,
      `/media/images/${HASH}/w640.jpg?x=1`,
      `/media/images/${HASH}/w0640.jpg`,
    ])
      expect(responsiveImage(src, 640), src).toBeUndefined();
  });

  it('refuses a width that disagrees with the name, rather than guess which files exist', () => {
    expect(responsiveImage(at('w640.jpg'), 1200)).toBeUndefined();
  });
});
