/**
 * `--download-images`: an export's images fetched through the outbound HTTP
 * module (an undici MockAgent answers for the old site: the outside world at
 * the HTTP layer) into the media pipeline, on both databases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleBySlug } from '../articles/article.repository.js';
import { type ArchiveImagesReport, downloadArchiveImages } from './archive-images.js';
import { importArchive } from './archive-import.service.js';
import type { ParsedArchive } from './archive-post.js';
import { parseWordpress } from './wordpress.js';

const WXR = readFileSync(new URL('./fixtures/wordpress.xml', import.meta.url), 'utf8');
const TALKS = 'https://vesti.example/wp-content/uploads/2026/12/talks.jpg';

describeTargets('downloading an export’s images on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let archive: ParsedArchive;
  let report: ArchiveImagesReport;

  beforeAll(async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
      .jpeg()
      .toBuffer();
    const agent = new MockAgent();
    agent.disableNetConnect();
    const site = agent.get('https://vesti.example');
    // Once only: a second request for the same image would find no answer and fail.
    site.intercept({ path: '/wp-content/uploads/2026/12/talks.jpg' }).reply(200, photo, {
      headers: { 'content-type': 'image/jpeg' },
    });
    site.intercept({ path: '/wp-content/uploads/gone.jpg' }).reply(404, 'Not found');
    site.intercept({ path: '/wp-content/uploads/page.jpg' }).reply(200, '<html>not an image</html>', {
      headers: { 'content-type': 'image/jpeg' },
    });
    t = await createTestApp({}, target, { httpDispatcher: agent });
    app = t.app;
    archive = parseWordpress(WXR);
    const [first, second] = archive.posts.filter((p) => p.input.status === 'published');
    // The lead image again in another post's body, and two images that cannot come home.
    second!.input.body.push(
      { type: 'image', src: TALKS, alt: 'Again' },
      { type: 'image', src: 'https://vesti.example/wp-content/uploads/gone.jpg', alt: 'Gone' },
      { type: 'image', src: 'https://vesti.example/wp-content/uploads/page.jpg', alt: 'Not an image' },
      { type: 'image', src: '/media/local.jpg', alt: 'Already here' },
    );
    expect(first!.input.leadImage?.src).toBe(TALKS);
    const { dateline } = app;
    report = await downloadArchiveImages(
      { http: dateline.http, images: dateline.images, maxBytes: dateline.config.uploads.maxBytes },
      archive,
    );
  });
  afterAll(() => t.cleanup());

  it('stores each remote image once and points every post that shows it at the local copy, with its size', () => {
    expect(report.downloaded).toBe(1);
    const [first, second] = archive.posts.filter((p) => p.input.status === 'published');
    const lead = first!.input.leadImage!;
    expect(lead.src).toMatch(/^\/media\/images\/[0-9a-f]+\//);
    expect(lead).toMatchObject({ width: 1200, height: 800, alt: 'Делегации за столом' });
    expect(existsSync(join(t.config.mediaDir, lead.src.replace(/^\/media\//, '')))).toBe(true);
    const again = second!.input.body.find((b) => b.type === 'image' && b.alt === 'Again');
    expect(again).toMatchObject({ src: lead.src, width: 1200 });
  });

  it('warns about each image it could not bring home, naming the post and why, and keeps its old address', () => {
    const second = archive.posts.filter((p) => p.input.status === 'published')[1]!;
    expect(report.warnings).toEqual([
      { ref: second.ref, url: 'https://vesti.example/wp-content/uploads/gone.jpg', reason: 'HTTP 404' },
      {
        ref: second.ref,
        url: 'https://vesti.example/wp-content/uploads/page.jpg',
        reason: expect.stringMatching(/^IMAGE_UNSUPPORTED: /),
      },
    ]);
    const images = second.input.body.filter((b) => b.type === 'image').map((b) => b.src);
    expect(images).toContain('https://vesti.example/wp-content/uploads/gone.jpg');
    expect(images).toContain('/media/local.jpg');
  });

  it('imports the posts with their local images, shown on the article page', async () => {
    const imported = await importArchive(app.dateline, archive);
    expect(imported.failed).toEqual([]);
    const article = await findArticleBySlug(app.dateline.database.db, 'novosti-dnya');
    expect(article?.leadImage?.src).toMatch(/^\/media\/images\//);
    const page = await app.inject('/mir/2026/12/04/novosti-dnya');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(article!.leadImage!.src);
    expect(page.body).not.toContain(TALKS);
  });
});
