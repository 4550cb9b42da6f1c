/**
 * What feeds show: the newest published articles, whole, of the site, a
 * section, a tag or an author, with the page-cache tags that name them (the
 * same tags as the list pages', so a feed is dropped exactly when its page
 * is). No HTTP here.
 *
 * @example
 *   const feeds = createFeedsService({ database });
 *   const { list, tags } = await feeds.list({ kind: 'tag', slug: 'water' }); // throws TAG_NOT_FOUND
 */
import type { Article, ArticleSummary } from '../articles/article.js';
import { findArticleById } from '../articles/article.repository.js';
import { listPublished, listPublishedBy } from '../articles/article-list.repository.js';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug } from '../articles/taxonomy.repository.js';
import type { Database } from '../db/connect.js';
import { AppError } from '../lib/errors.js';
import { authorPath, sectionPath, tagPath } from '../site/urls.js';
import { FEED_SIZE, type FeedList } from './feed.js';

/** Which list a feed follows. */
export type FeedSubject = { kind: 'site' } | { kind: 'section' | 'tag' | 'author'; slug: string };

export interface FeedsService {
  /** The list's articles, newest first, and the page-cache tags of what it shows. */
  list(subject: FeedSubject, site: { name: string; description: string }): Promise<{ list: FeedList; tags: string[] }>;
}

export function createFeedsService(deps: { database: Database }): FeedsService {
  const db = deps.database.reader;

  /** The whole articles of a page of summaries (bylines, tags, body), in the list's order. */
  async function whole(summaries: ArticleSummary[]): Promise<Article[]> {
    const articles = await Promise.all(summaries.map((s) => findArticleById(db, s.id)));
    return articles.filter((a): a is Article => a?.status === 'published');
  }

  const found = <T>(value: T | undefined, code: 'SECTION_NOT_FOUND' | 'TAG_NOT_FOUND' | 'AUTHOR_NOT_FOUND'): T => {
    if (value === undefined) throw new AppError(code, 'not found');
    return value;
  };

  return {
    async list(subject, site) {
      const page = { limit: FEED_SIZE };
      switch (subject.kind) {
        case 'site': {
          const articles = await whole(await listPublished(db, page));
          const list = { title: site.name, description: site.description, listPath: '/', articles };
          return { list, tags: ['latest', ...articles.map((a) => `article:${a.id}`)] };
        }
        case 'section': {
          const s = found(await findSectionBySlug(db, subject.slug), 'SECTION_NOT_FOUND');
          const articles = await whole(await listPublished(db, { ...page, sectionId: s.id }));
          const list = { title: `${s.name} | ${site.name}`, description: '', listPath: sectionPath(s.slug), articles };
          return { list, tags: [`section:${s.id}`, ...articles.map((a) => `article:${a.id}`)] };
        }
        case 'tag': {
          const t = found(await findTagBySlug(db, subject.slug), 'TAG_NOT_FOUND');
          const articles = await whole(await listPublishedBy(db, { tagId: t.id }, page));
          const list = { title: `${t.name} | ${site.name}`, description: '', listPath: tagPath(t.slug), articles };
          return { list, tags: [`tag:${t.id}`, ...articles.map((a) => `article:${a.id}`)] };
        }
        case 'author': {
          const au = found(await findAuthorBySlug(db, subject.slug), 'AUTHOR_NOT_FOUND');
          const articles = await whole(await listPublishedBy(db, { authorId: au.id }, page));
          const list = {
            title: `${au.name} | ${site.name}`,
            description: au.bio ?? '',
            listPath: authorPath(au.slug),
            articles,
          };
          return { list, tags: [`author:${au.id}`, ...articles.map((a) => `article:${a.id}`)] };
        }
      }
    },
  };
}
