import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { countArticles, findArticleBySlug } from '../articles/article.repository.js';
import { importFile } from './import.service.js';

const REFERENCE_LIKE = [
  'Two neighbouring states have agreed to settle their river dispute through talks, officials say.',
  'The talks will open in Geneva next week under United Nations auspices.',
  '‘Dialogue, not force’',
  'Ministers from both sides “discussed the importance of a peaceful settlement”, a spokeswoman said.',
  'In other developments:',
  '  • Aid convoys crossed the border on Wednesday\n  • The dam’s sluice gates were opened for the first time',
  'Neither side has commented on the timetable.',
].join('\n\n');

const lines = [
  JSON.stringify({
    id: 'ref:1',
    source: 'Wire',
    title: 'River talks agreed',
    body: REFERENCE_LIKE,
    published: '2024-04-10T09:00:00Z',
  }),
  '{"id": "broken", "title": ',
  '',
  JSON.stringify({ id: 'ref:2', source: 'Wire', body: 'No title here.' }),
  JSON.stringify({ id: 'ref:3', source: 'Wire', title: 'Bad link', url: 'javascript:alert(1)' }),
  JSON.stringify({
    id: 'reuters:9',
    source: 'Reuters',
    title: 'WHEAT EXPORTS RISE',
    body: 'WASHINGTON, March 3 - U.S. wheat exports rose sharply last week.\n\nOfficials said demand was strong.',
    category: 'grain;wheat',
    published: '1987-03-03T14:00:00Z',
  }),
  JSON.stringify({
    id: 'wikinews:x',
    source: 'Wikinews',
    url: 'https://en.wikinews.org/wiki/X',
    title: 'A wiki story',
    body: 'Text.',
    published: '2019-05-06',
  }),
  '[1, 2, 3]',
];

describeTargets('importing JSON Lines on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    dir = mkdtempSync(join(tmpdir(), 'dateline-import-'));
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the good lines and reports each bad one with its line number and reason', async () => {
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, lines.join('\n'));
    const report = await importFile(app.dateline, file);
    expect(report.created).toBe(3);
    expect(report.skippedBlank).toBe(1);
    expect(report.failed.map((f) => f.line)).toEqual([2, 4, 5, 8]);
    expect(report.failed[0]!.reason).toMatch(/invalid JSON/);
    expect(report.failed[1]!.reason).toMatch(/title/);
    expect(report.failed[2]!.reason).toMatch(/url/);
    expect(report.failed[3]!.reason).toMatch(/not a JSON object/);
  });

  it('shows a date-only source time as that date, on its page and in lists, never as a time of day', async () => {
    const home = await app.inject('/');
    expect(home.body).toContain('<time datetime="2019-05-06">May 6, 2019</time>');
    const href = /<a href="([^"]+)">A wiki story<\/a>/.exec(home.body)?.[1];
    const page = await app.inject(href ?? '/missing');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p class="published"><time datetime="2019-05-06">May 6, 2019</time>');
    const found = await app.inject('/search?q=wiki+story');
    expect(found.body).toContain('<time datetime="2019-05-06">May 6, 2019</time>');
    // A source that gave a time keeps it.
    expect(home.body).toMatch(
      /<time datetime="2024-04-10T09:00:00.000Z">April 10, 2024 at \d+:00 [AP]M E[DS]T<\/time>/,
    );
  });

  it('refuses to publish a record with no body, and schedules one dated ahead or refuses it if absurdly far', async () => {
    const file = join(dir, 'rules.jsonl');
    const ahead = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
    writeFileSync(
      file,
      [
        { id: 'bad:1', headline: 'No date or body' },
        {
          id: 'rules:link',
          source: 'Wire',
          title: 'Headline linking its original',
          url: 'https://example.org/original',
        },
        { id: 'rules:ahead', title: 'Embargoed until Thursday', body: 'Text.', published: ahead },
        { id: 'rules:9999', title: 'Dated at the end of time', body: 'Text.', published: '9999-12-31T00:00:00Z' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await importFile(app.dateline, file);
    expect(report.failed.map((f) => f.line)).toEqual([1, 4]);
    expect(report.failed[0]!.reason).toMatch(/needs a body/);
    expect(report.failed[1]!.reason).toMatch(/more than five years ahead/);
    const db = app.dateline.database.db;
    const status = async (id: string) =>
      (await db.selectFrom('articles').select('status').where('external_id', '=', id).executeTakeFirst())?.status;
    expect(await status('bad:1')).toBeUndefined();
    expect(await status('rules:link')).toBe('published');
    expect(await status('rules:ahead')).toBe('scheduled');
    expect((await app.inject('/')).body).not.toContain('Embargoed until Thursday');
  });

  it('turns a plain-text body into standfirst, paragraphs, crosshead and list', async () => {
    const article = await findArticleBySlug(app.dateline.database.db, 'river-talks-agreed');
    expect(article?.standfirst).toBe(
      'Two neighbouring states have agreed to settle their river dispute through talks, officials say.',
    );
    expect(article?.body.map((b) => b.type)).toEqual([
      'paragraph',
      'crosshead',
      'paragraph',
      'paragraph',
      'list',
      'paragraph',
    ]);
    expect(article?.body[1]).toEqual({ type: 'crosshead', text: '‘Dialogue, not force’' });
    expect(article?.body[4]).toMatchObject({ type: 'list', style: 'bulleted' });
    expect(article?.body[4]).toMatchObject({ items: [expect.any(String), expect.any(String)] });
  });

  it('maps corpus fields: wire dateline, category as section and tags, known licences', async () => {
    const wire = await findArticleBySlug(app.dateline.database.db, 'wheat-exports-rise');
    expect(wire?.datelinePlace).toBe('Washington');
    expect(wire?.standfirst).toBe('U.S. wheat exports rose sharply last week.');
    expect(wire?.section.name).toBe('Grain');
    expect(wire?.tags.map((x) => x.name)).toEqual(['Wheat']);
    expect(wire?.publishedAt?.toISOString()).toBe('1987-03-03T14:00:00.000Z');
    const wiki = await findArticleBySlug(app.dateline.database.db, 'a-wiki-story');
    expect(wiki?.source).toEqual({
      name: 'Wikinews',
      url: 'https://en.wikinews.org/wiki/X',
      licence: 'CC BY 2.5',
      licenceUrl: 'https://creativecommons.org/licenses/by/2.5/',
    });
    expect(wiki?.publishedAt?.toISOString()).toBe('2019-05-06T12:00:00.000Z');
  });

  it('is idempotent: importing again updates, never duplicates', async () => {
    const file = join(dir, 'again.jsonl.gz');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const before = await countArticles(app.dateline.database.db);
    const report = await importFile(app.dateline, file);
    expect(report.created).toBe(0);
    expect(report.updated).toBe(3);
    expect(await countArticles(app.dateline.database.db)).toBe(before);
    expect(await findArticleBySlug(app.dateline.database.db, 'river-talks-agreed-2')).toBeUndefined();
  });

  it('matches a record without id by its original URL', async () => {
    const file = join(dir, 'by-url.jsonl');
    writeFileSync(
      file,
      JSON.stringify({ source: 'Wikinews', url: 'https://en.wikinews.org/wiki/X', title: 'A wiki story, corrected' }),
    );
    const report = await importFile(app.dateline, file);
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect((await findArticleBySlug(app.dateline.database.db, 'a-wiki-story'))?.headline).toBe(
      'A wiki story, corrected',
    );
  });

  it('imports native records with blocks, authors, tags and a lead image, sanitizing inline HTML', async () => {
    const file = join(dir, 'native.jsonl');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'native:1',
        source: 'Dateline',
        headline: 'Native story',
        standfirst: 'A standfirst.',
        section: 'Science',
        tags: ['Space'],
        authors: ['Ada Writer', { name: 'Bo Editor', slug: 'bo' }],
        lead_image: { src: '/media/a.jpg', alt: 'A', caption: 'Cap', width: 1200, height: 675 },
        blocks: [
          { type: 'paragraph', html: 'Hi <b>there</b><script>x()</script> <a href="javascript:y()">z</a>' },
          { type: 'quote', text: 'Quoted.', attribution: 'Someone' },
        ],
        status: 'published',
        published: '2024-01-02T03:04:05Z',
      }),
    );
    const report = await importFile(app.dateline, file);
    expect(report.failed).toEqual([]);
    const a = await findArticleBySlug(app.dateline.database.db, 'native-story');
    expect(a?.authors.map((x) => x.slug)).toEqual(['ada-writer', 'bo']);
    expect(a?.section.slug).toBe('science');
    expect(a?.leadImage).toMatchObject({ src: '/media/a.jpg', width: 1200 });
    expect(a?.body[0]).toEqual({ type: 'paragraph', html: 'Hi <b>there</b> z' });
  });

  it('imports articles whose local image files are missing, with a warning naming the line and the image', async () => {
    writeFileSync(join(t.config.mediaDir, 'here.jpg'), 'a photo');
    const file = join(dir, 'images.jsonl');
    const record = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ id, source: 'Wire', title: `Images ${id}`, body: 'Text.', ...extra });
    writeFileSync(
      file,
      [
        record('img:1', {}),
        record('img:2', { lead_image: { src: '/media/gone.jpg', alt: 'Gone' } }),
        record('img:3', {
          lead_image: { src: '/media/here.jpg', alt: 'Here' },
          body: undefined,
          blocks: [
            { type: 'paragraph', html: 'Text.' },
            { type: 'image', src: '/media/lost/photo.png', alt: 'Lost' },
            { type: 'image', src: 'https://images.example.org/wire.jpg', alt: 'Wire' },
          ],
        }),
        // A line that fails is reported as a failure only, whatever its images.
        JSON.stringify({ id: 'img:4', lead_image: { src: '/media/gone.jpg', alt: 'Gone' } }),
      ].join('\n'),
    );
    const report = await importFile(app.dateline, file);
    expect(report.created).toBe(3);
    expect(report.failed.map((f) => f.line)).toEqual([4]);
    expect(report.warnings).toEqual([
      { line: 2, message: 'lead image /media/gone.jpg is not in the media folder' },
      { line: 3, message: 'image /media/lost/photo.png (body block 2) is not in the media folder' },
    ]);
    const imported = await findArticleBySlug(app.dateline.database.db, 'images-img-2');
    expect(imported?.leadImage?.src).toBe('/media/gone.jpg');
  });

  it('reports an unreadable gzip file without losing what came before', async () => {
    const file = join(dir, 'truncated.jsonl.gz');
    const gz = gzipSync(`${JSON.stringify({ id: 'trunc:1', title: 'First of two' })}\n${'x'.repeat(5000)}`);
    writeFileSync(file, gz.subarray(0, gz.length - 20));
    const report = await importFile(app.dateline, file);
    expect(report.failed.at(-1)?.reason).toMatch(/could not be read/);
  });

  it('computes related news for imported articles', async () => {
    const file = join(dir, 'related.jsonl');
    const story = (id: number, title: string) =>
      JSON.stringify({
        id: `rel:${id}`,
        source: 'Wire',
        title,
        body: `${title}.`,
        published: `2024-05-0${id}T10:00:00Z`,
      });
    writeFileSync(
      file,
      [
        story(1, 'Volcano erupts on remote island, villagers evacuated'),
        story(2, 'Remote island volcano eruption forces more evacuations'),
        story(3, 'Stock markets close higher on bank earnings'),
      ].join('\n'),
    );
    await importFile(app.dateline, file);
    const db = app.dateline.database.db;
    const first = await db
      .selectFrom('articles')
      .select('id')
      .where('external_id', '=', 'rel:1')
      .executeTakeFirstOrThrow();
    const second = await db
      .selectFrom('articles')
      .select('id')
      .where('external_id', '=', 'rel:2')
      .executeTakeFirstOrThrow();
    const related = await app.dateline.related.read(first.id);
    expect(related.map((r) => r.id)).toContain(second.id);
    expect(related.map((r) => r.headline)).not.toContain('Stock markets close higher on bank earnings');
  });

  it('with related: false, saves the articles but leaves their related lists to the caller', async () => {
    const file = join(dir, 'no-related.jsonl');
    const story = (id: number, title: string) =>
      JSON.stringify({
        id: `norel:${id}`,
        source: 'Wire',
        title,
        body: `${title}.`,
        published: `2024-06-0${id}T10:00:00Z`,
      });
    writeFileSync(
      file,
      [
        story(1, 'Glacier collapse blocks alpine valley, hikers rescued'),
        story(2, 'Alpine valley glacier collapse: more hikers rescued'),
      ].join('\n'),
    );
    const idOf = async (externalId: string) =>
      (
        await app.dateline.database.db
          .selectFrom('articles')
          .select('id')
          .where('external_id', '=', externalId)
          .executeTakeFirstOrThrow()
      ).id;

    const skipped = await importFile(app.dateline, file, { related: false });
    expect(skipped).toMatchObject({ created: 2, relatedSeconds: 0 });
    const [first, second] = [await idOf('norel:1'), await idOf('norel:2')];
    expect(await app.dateline.related.read(first)).toEqual([]);

    await importFile(app.dateline, file, { related: true });
    expect((await app.dateline.related.read(first)).map((r) => r.id)).toContain(second);
  });
});
