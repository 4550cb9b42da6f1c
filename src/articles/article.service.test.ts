import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, type TestApp, targets } from '../../test/helpers.js';
import type { EventName } from '../events/event-bus.js';
import { findArticleById } from './article.repository.js';
import { listPublished } from './article-list.repository.js';

describe.each(targets())('saving articles on $dialect', (target) => {
  let t: TestApp;
  const seen: { name: EventName; id: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, target);
    for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const) {
      t.app.dateline.events.on(name, ({ id }) => void seen.push({ name, id }));
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
});
