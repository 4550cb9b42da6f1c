/**
 * The content API's door to content, without HTTP: published articles by
 * keyset pages with filters, one article by id or slug, sections, tags and
 * authors that published articles carry, and the stored related list. Never a
 * draft, a scheduled or an archived article, nor a name only a draft carries.
 *
 * @example
 *   const api = createContentApiService({ database });
 *   const page = await api.articles({ section: 'world', limit: 20 });
 *   const next = page.nextCursor ? await api.articles({ section: 'world', limit: 20, cursor: page.nextCursor }) : undefined;
 */
import type { Article, Section } from '../articles/article.js';
import { findArticleById, findArticleBySlug } from '../articles/article.repository.js';
import {
  findPublicNamed,
  type ListedArticle,
  listNamedPage,
  listPublishedPage,
  type NamedPage,
  type PublishedFilter,
} from '../articles/article-keyset.repository.js';
import { findSectionBySlug, listSections } from '../articles/taxonomy.repository.js';
import type { Database } from '../db/connect.js';
import { AppError } from '../lib/errors.js';
import { articleCursor, readArticleCursor, readSlugCursor, slugCursor } from './cursor.js';

export interface ArticleListRequest {
  section?: string | undefined;
  tag?: string | undefined;
  author?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  data: T[];
  /** Hands on to the next page; null on the last. */
  nextCursor: string | null;
}

export type ContentApiService = ReturnType<typeof createContentApiService>;

export function createContentApiService(deps: { database: Database }) {
  const db = deps.database.reader;

  async function filterOf(q: ArticleListRequest): Promise<PublishedFilter> {
    const [section, tag, author] = await Promise.all([
      q.section === undefined ? undefined : findSectionBySlug(db, q.section),
      q.tag === undefined ? undefined : findPublicNamed(db, 'tag', q.tag),
      q.author === undefined ? undefined : findPublicNamed(db, 'author', q.author),
    ]);
    // A filter naming nothing is a mistake worth saying (a typo would otherwise look like an empty archive).
    if (q.section !== undefined && !section) throw new AppError('SECTION_NOT_FOUND', 'No such section');
    if (q.tag !== undefined && !tag) throw new AppError('TAG_NOT_FOUND', 'No such tag');
    if (q.author !== undefined && !author) throw new AppError('AUTHOR_NOT_FOUND', 'No such author');
    return {
      ...(section ? { sectionId: section.id } : {}),
      ...(tag ? { tagId: tag.id } : {}),
      ...(author ? { authorId: author.id } : {}),
      ...(q.since ? { since: q.since } : {}),
      ...(q.until ? { until: q.until } : {}),
    };
  }

  const published = (article: Article | undefined): Article => {
    if (article?.status !== 'published' || !article.publishedAt)
      throw new AppError('ARTICLE_NOT_FOUND', 'No such article');
    return article;
  };

  return {
    async articles(q: ArticleListRequest): Promise<Page<ListedArticle>> {
      const after = q.cursor === undefined ? undefined : readArticleCursor(q.cursor);
      const rows = await listPublishedPage(db, await filterOf(q), after, q.limit + 1);
      const data = rows.slice(0, q.limit);
      const last = data.at(-1);
      return { data, nextCursor: rows.length > q.limit && last ? articleCursor(last) : null };
    },

    articleById: async (id: number): Promise<Article> => published(await findArticleById(db, id)),
    articleBySlug: async (slug: string): Promise<Article> => published(await findArticleBySlug(db, slug)),

    sections: (): Promise<Section[]> => listSections(db),

    async named(kind: 'tag' | 'author', q: { cursor?: string | undefined; limit: number }): Promise<Page<NamedPage>> {
      const after = q.cursor === undefined ? undefined : readSlugCursor(q.cursor);
      const rows = await listNamedPage(db, kind, after, q.limit + 1);
      const data = rows.slice(0, q.limit);
      const last = data.at(-1);
      return { data, nextCursor: rows.length > q.limit && last ? slugCursor(last.slug) : null };
    },

    async oneNamed(kind: 'tag' | 'author', slug: string): Promise<NamedPage> {
      const found = await findPublicNamed(db, kind, slug);
      if (!found) throw new AppError(kind === 'tag' ? 'TAG_NOT_FOUND' : 'AUTHOR_NOT_FOUND', `No such ${kind}`);
      return found;
    },
  };
}
