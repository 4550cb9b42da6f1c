import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import type { EventName } from '../events/event-bus.js';
import { findArticleById } from './article.repository.js';
import { listPublished } from './article-list.repository.js';

describeTargets('saving articles on $dialect', (target) => {
  let t: TestApp;
  const seen: { name: EventName; id: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, target);
    for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const) {
      t.app.dateline.events.onCommit(name, ({ id }) => void seen.push({ name, id }));
    }
  });
  afterAll(() => t.cleanup());

  const svc = () => t.app.dateline.articles;
  const db = () => t.app.dateline.database.db;

  it('creates sections, authors and tags on first use and reuses them after', async () => {
    const a = await svc().save(
      articleInput({ section: { name: 'Science' }, authors: [{ name: 'Jo Reporter' }], tags: [{ name: 'Space' }] }),
    );
    const b = await svc().save(
      articleInput({ section: { name: 'Science' }, authors: [{ name: 'Jo Reporter' }], tags: [{ name: 'Space' }] }),
    );
    const [first, second] = [await findArticleById(db(), a.id), await findArticleById(db(), b.id)];
    expect(first?.section.id).toBe(second?.section.id);
    expect(first?.authors[0]?.id).toBe(second?.authors[0]?.id);
    expect(first?.tags[0]?.slug).toBe('space');
    const sections = await db().selectFrom('sections').select('slug').where('slug', '=', 'science').execute();
    expect(sections).toHaveLength(1);
  });

  it('reads bylines in their order, tags by name and notes by time, each with its own fields', async () => {
    const { id } = await svc().save(
      articleInput({
        authors: [{ name: 'Zoe Second' }, { name: 'Abe First' }, { name: 'Mia Third' }],
        tags: [{ name: 'Zinc' }, { name: 'Argon' }, { name: 'Neon' }],
      }),
    );
    await svc().addNote(id, { kind: 'correction', text: 'First note.' });
    await svc().addNote(id, { kind: 'update', text: 'Second note.' });
    const article = (await findArticleById(db(), id))!;
    expect(article.authors.map((a) => [a.slug, a.name])).toEqual([
      ['zoe-second', 'Zoe Second'],
      ['abe-first', 'Abe First'],
      ['mia-third', 'Mia Third'],
    ]);
    expect(article.authors.every((a) => typeof a.id === 'number' && a.id > 0)).toBe(true);
    expect(article.tags.map((tag) => tag.name)).toEqual(['Argon', 'Neon', 'Zinc']);
    expect(article.notes.map((n) => [n.kind, n.text])).toEqual([
      ['correction', 'First note.'],
      ['update', 'Second note.'],
    ]);
    expect(article.notes[0]!.at).toBeInstanceOf(Date);
    expect(article.notes[0]!.at.getTime()).toBeLessThanOrEqual(article.notes[1]!.at.getTime());
  });

  it('gives each article a unique slug', async () => {
    const a = await svc().save(articleInput({ headline: 'Same words' }));
    const b = await svc().save(articleInput({ headline: 'Same words' }));
    expect(a.slug).toBe('same-words');
    expect(b.slug).toBe('same-words-2');
  });

  it('keeps the slug and first publication time when an article is updated', async () => {
    const input = articleInput({ headline: 'First version', publishedAt: new Date('2024-02-02T10:00:00Z') });
    const created = await svc().save(input);
    const { publishedAt: _drop, ...withoutDate } = input;
    const updated = await svc().save({
      ...withoutDate,
      headline: 'Second version',
      updatedAt: new Date('2024-02-02T12:00:00Z'),
    });
    expect(updated).toMatchObject({ id: created.id, slug: 'first-version', created: false });
    const article = await findArticleById(db(), created.id);
    expect(article?.headline).toBe('Second version');
    expect(article?.publishedAt?.toISOString()).toBe('2024-02-02T10:00:00.000Z');
    expect(article?.updatedAt.toISOString()).toBe('2024-02-02T12:00:00.000Z');
  });

  it('keeps reserved paths away from section slugs', async () => {
    const a = await svc().save(articleInput({ section: { name: 'Tag' } }));
    expect((await findArticleById(db(), a.id))?.section.slug).toBe('tag-news');
  });

  it('emits published, updated and unpublished as the status changes', async () => {
    seen.length = 0;
    const input = articleInput({ status: 'draft' });
    const { id } = await svc().save(input);
    await svc().save({ ...input, status: 'published' });
    await svc().save({ ...input, status: 'published', headline: 'Edited' });
    await svc().save({ ...input, status: 'archived' });
    expect(seen.filter((e) => e.id === id).map((e) => e.name)).toEqual([
      'article.published',
      'article.updated',
      'article.unpublished',
    ]);
  });

  it('lists only published articles, newest first', async () => {
    await svc().save(articleInput({ headline: 'A hidden draft', status: 'draft' }));
    const list = await listPublished(db(), { limit: 100 });
    expect(list.map((a) => a.headline)).not.toContain('A hidden draft');
    const times = list.map((a) => a.publishedAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('rejects an invalid article with INVALID_ARTICLE and saves nothing of a failed batch', async () => {
    await expect(svc().save(articleInput({ headline: '   ' }))).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
      statusCode: 422,
    });
    const before = (await listPublished(db(), { limit: 1000 })).length;
    await expect(
      svc().saveMany([articleInput({ headline: 'Good one in a bad batch' }), articleInput({ headline: '' })]),
    ).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
    });
    expect((await listPublished(db(), { limit: 1000 })).length).toBe(before);
  });

  describe('in one batch', () => {
    const indexed = async (id: number, word: string) => ({
      search: (await t.app.dateline.search.search({ q: word, perPage: 50 })).hits.some((h) => h.id === id),
      related: (await db().selectFrom('related_docs').select('article_id').where('article_id', '=', id).execute())
        .length,
    });

    it('saves an article met twice as one, as last given', async () => {
      const first = articleInput({ headline: 'Batch twin first take' });
      const results = await svc().saveMany([first, { ...first, headline: 'Batch twin second take' }]);
      expect(results.map((r) => r.created)).toEqual([true, false]);
      expect(results[1]?.id).toBe(results[0]?.id);
      const article = await findArticleById(db(), results[0]!.id);
      expect(article).toMatchObject({ headline: 'Batch twin second take', slug: 'batch-twin-first-take' });
    });

    it('gives articles with the same headline their own slugs, also beside an older one', async () => {
      await svc().save(articleInput({ headline: 'Crowded slug' }));
      const results = await svc().saveMany([
        articleInput({ headline: 'Crowded slug' }),
        articleInput({ headline: 'Crowded slug' }),
        articleInput({ headline: 'Lonely slug' }),
      ]);
      expect(results.map((r) => r.slug)).toEqual(['crowded-slug-2', 'crowded-slug-3', 'lonely-slug']);
    });

    it('takes a slug another article of the batch gave up', async () => {
      const old = articleInput({ headline: 'Vacated name', slug: 'vacated-name' });
      const { id } = await svc().save(old);
      const results = await svc().saveMany([
        { ...old, slug: 'moved-away' },
        articleInput({ headline: 'Vacated name' }),
      ]);
      expect(results.map((r) => r.slug)).toEqual(['moved-away', 'vacated-name']);
      expect(results[0]?.id).toBe(id);
    });

    it('indexes an article as its last save in the batch left it', async () => {
      const input = articleInput({ headline: 'Xylophonist withdrawn quickly' });
      const [published, withdrawn] = await svc().saveMany([input, { ...input, status: 'draft' }]);
      expect(withdrawn?.published).toBe(false);
      expect(await indexed(published!.id, 'xylophonist')).toEqual({ search: false, related: 0 });

      const again = articleInput({ headline: 'Zither player returns' });
      const [, , back] = await svc().saveMany([again, { ...again, status: 'draft' }, again]);
      expect(await indexed(back!.id, 'zither')).toEqual({ search: true, related: 1 });
    });

    it('links a new article to its authors and tags, and an updated one to its new ones only', async () => {
      const input = articleInput({ authors: [{ name: 'Ann Byline' }], tags: [{ name: 'Rivers' }, { name: 'Boats' }] });
      const [created] = await svc().saveMany([input]);
      expect((await findArticleById(db(), created!.id))?.tags.map((t) => t.slug)).toEqual(['boats', 'rivers']);
      await svc().saveMany([{ ...input, authors: [{ name: 'Bo Byline' }], tags: [{ name: 'Rivers' }] }]);
      const updated = await findArticleById(db(), created!.id);
      expect(updated?.authors.map((a) => a.slug)).toEqual(['bo-byline']);
      expect(updated?.tags.map((t) => t.slug)).toEqual(['rivers']);
    });
  });
});
