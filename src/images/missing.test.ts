import { describe, expect, it } from 'vitest';
import { findMissingImages } from './missing.js';

describe('findMissingImages', () => {
  const there = new Set(['/media/here.jpg']);
  const asked: string[] = [];
  const exists = async (src: string) => {
    asked.push(src);
    return there.has(src) || !src.startsWith('/media/');
  };

  it('lists the lead image then body images whose file is missing, with where they are', async () => {
    const problems = await findMissingImages(
      {
        leadImage: { src: '/media/lead.jpg', alt: '' },
        body: [
          { type: 'paragraph', html: 'Text.' },
          { type: 'image', src: '/media/here.jpg', alt: '' },
          { type: 'image', src: '/media/gone.png', alt: '' },
          { type: 'image', src: 'https://example.org/a.jpg', alt: '' },
        ],
      },
      exists,
    );
    expect(problems).toEqual([
      {
        code: 'IMAGE_MISSING',
        src: '/media/lead.jpg',
        field: 'leadImage',
        message: 'lead image /media/lead.jpg is not in the media folder',
      },
      {
        code: 'IMAGE_MISSING',
        src: '/media/gone.png',
        field: 'body',
        block: 2,
        message: 'image /media/gone.png (body block 3) is not in the media folder',
      },
    ]);
    expect(asked).toEqual(['/media/lead.jpg', '/media/here.jpg', '/media/gone.png', 'https://example.org/a.jpg']);
  });

  it('finds nothing to report in content without images', async () => {
    expect(await findMissingImages({ body: [{ type: 'crosshead', text: 'x' }] }, exists)).toEqual([]);
  });
});
