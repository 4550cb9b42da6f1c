import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, type TestApp } from '../../test/helpers.js';
import { plain } from '../images/fixtures/make.js';
import type { StoredImage } from '../images/image.service.js';

const HARBOUR = '/world/2024/03/05/harbour-reopens-after-the-storm';
const FERRY = '/world/2024/03/06/ferry-service-resumes';

describe('images on reader pages', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let photo: StoredImage;

  beforeAll(async () => {
    t = await createTestApp();
    app = t.app;
    photo = await app.dateline.images.upload(await plain(800, 450).jpeg().toBuffer(), { filename: 'harbour.jpg' });
    writeFileSync(join(t.config.mediaDir, 'here.jpg'), 'an imported photo');
    const { articles } = app.dateline;
    await articles.save(
      articleInput({
        headline: 'Harbour reopens after the storm',
        publishedAt: new Date('2024-03-05T15:00:00Z'),
        leadImage: { src: photo.src, width: photo.width, height: photo.height, alt: 'The harbour at dawn' },
        body: [
          { type: 'paragraph', html: 'Boats returned on Monday.' },
          { type: 'image', src: '/media/gone.jpg', alt: 'A photo whose file was lost' },
          { type: 'image', src: '/media/here.jpg', alt: 'An imported photo' },
          { type: 'image', src: 'https://images.example.org/wire.jpg', alt: 'A wire photo' },
        ],
      }),
    );
    await articles.save(
      articleInput({
        headline: 'Ferry service resumes',
        publishedAt: new Date('2024-03-06T15:00:00Z'),
        leadImage: { src: '/media/missing-lead.jpg', alt: 'Lost', caption: 'A caption of a lost photo' },
      }),
    );
  });
  afterAll(() => t.cleanup());

  it('shows an uploaded lead image as a <picture> whose every file is served', async () => {
    const page = (await app.inject(HARBOUR)).body;
    const picture = page.match(/<figure class="figure lead"><picture>.*?<\/picture>/s)?.[0] ?? '';
    expect(picture).toContain(`<source type="image/avif" srcset="/media/images/${photo.hash}/w320.avif 320w,`);
    expect(picture).toContain(`<source type="image/webp" srcset="/media/images/${photo.hash}/w320.webp 320w,`);
    expect(picture).toMatch(
      new RegExp(
        `<img src="${photo.src}" srcset="[^"]*w800\\.jpg 800w" sizes="[^"]+" alt="The harbour at dawn" width="800" height="450" decoding="async" fetchpriority="high">`,
      ),
    );
    const urls = [...picture.matchAll(/(\/media\/images\/[^\s"]+)/g)].map((m) => m[1]!);
    expect(new Set(urls).size).toBe(9);
    for (const url of new Set(urls)) expect((await app.inject(url)).statusCode, url).toBe(200);
    expect(page).toContain(`<meta property="og:image" content="http://news.test${photo.src}">`);
  });

  it('leaves out a body image whose file is missing, and keeps local and external ones that are there', async () => {
    const page = (await app.inject(HARBOUR)).body;
    expect(page).not.toContain('gone.jpg');
    expect(page).not.toContain('A photo whose file was lost');
    expect(page).toContain('<img src="/media/here.jpg" alt="An imported photo" loading="lazy" decoding="async">');
    expect(page).toContain('<img src="https://images.example.org/wire.jpg" alt="A wire photo" loading="lazy"');
  });

  it('leaves out a lead image whose file is missing: no figure, no caption, no og:image', async () => {
    const res = await app.inject(FERRY);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Ferry service resumes</h1>');
    expect(res.body).not.toContain('missing-lead.jpg');
    expect(res.body).not.toContain('A caption of a lost photo');
    expect(res.body).not.toContain('og:image');
  });

  it('gives cards small responsive images, and no image for a missing file', async () => {
    for (const path of ['/world', '/']) {
      const page = (await app.inject(path)).body;
      expect(page, path).not.toContain('missing-lead.jpg');
      expect(page, path).toContain(`/media/images/${photo.hash}/w320.avif 320w`);
    }
    const section = (await app.inject('/world')).body;
    expect(section).toMatch(
      /<div class="card-image"><picture><source type="image\/avif" srcset="[^"]+" sizes="\(min-width: 72rem\) 22rem,/,
    );
    const ferryCard = section.match(/<li class="card"[^>]*>(?:(?!<\/li>).)*Ferry service resumes.*?<\/li>/s)?.[0];
    expect(ferryCard).toBeDefined();
    expect(ferryCard).not.toContain('card-image');
  });
});
