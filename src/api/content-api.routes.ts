/**
 * The content API, `/api/v1/`: read-only JSON of published content. Thin
 * routes: each declares its zod schemas (validation, serialization and the
 * OpenAPI description at once), asks the content service, and hands the
 * domain objects to the presenter.
 *
 *   GET /articles                    newest first; section, tag, author, since, until; cursor, limit
 *   GET /articles/:id                one article with its blocks and rendered HTML
 *   GET /articles/by-slug/:slug      the same, by slug
 *   GET /articles/:id/related        its story and stored related list, with the reasons
 *   GET /sections                    every section
 *   GET /tags, /tags/:slug           tags published articles carry
 *   GET /authors, /authors/:slug     authors of published articles (public fields only)
 *   GET /search                      published articles matching a query (the site search's own service)
 *   GET /openapi.json                this API's description
 *
 * @example
 *   await api.register(contentApiRoutes, { prefix: '/v1', config, content, presenter, related, siteName });
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.js';
import {
  type SearchQuery,
  type SearchResult,
  searchQuerySchema,
  searchResultSchema,
} from '../search/search.schemas.js';
import type { ApiPresenter } from './api.presenter.js';
import {
  type ArticleListQuery,
  articleListQuery,
  articleListResponse,
  articleResponse,
  authorListResponse,
  authorResponse,
  idParams,
  keyOnlyQuery,
  openApiResponse,
  type PageQuery,
  pageQuery,
  relatedResponse,
  sectionListResponse,
  slugParams,
  tagListResponse,
  tagResponse,
} from './api.schemas.js';
import { useApiAccess } from './api-access.js';
import type { ContentApiService } from './content-api.service.js';
import { type DescribedRoute, openApiDocument } from './openapi.js';
import { useZodSchemas } from './zod-schemas.js';

export interface ContentApiDeps {
  config: Config;
  content: ContentApiService;
  presenter: ApiPresenter;
  /** The article's story and stored related list, explained (the same JSON as `/api/articles/:id/related`). */
  related(id: number): Promise<unknown>;
  /** The site search (`services.search`). */
  search(query: SearchQuery): Promise<SearchResult>;
  /** The site's name, for the description's title. */
  siteName(): string;
}

const searchApiQuery = searchQuerySchema.extend({ key: z.string().max(200).optional() });
const searchApiResponse = z.object({ data: searchResultSchema });

type Id = { Params: { id: number }; Querystring: { key?: string } };
type Slug = { Params: { slug: string }; Querystring: { key?: string } };

/** `2024-03-05` is midnight UTC; a date-time keeps its offset. */
const toDate = (s: string | undefined) =>
  s === undefined ? undefined : new Date(s.length === 10 ? `${s}T00:00:00Z` : s);

export async function contentApiRoutes(app: FastifyInstance, deps: ContentApiDeps): Promise<void> {
  const { content, presenter: p } = deps;
  const routes: DescribedRoute[] = [];
  app.addHook('onRoute', (route) => void routes.push(route as DescribedRoute));
  useZodSchemas(app);
  await useApiAccess(app, { config: deps.config });

  app.get<{ Querystring: ArticleListQuery }>(
    '/articles',
    {
      schema: {
        summary: 'Published articles, newest first, a page at a time',
        description:
          'Filters combine. Pages are keyset pages: `nextCursor` continues after the last article of this page, whatever was published meanwhile.',
        querystring: articleListQuery,
        response: { 200: articleListResponse },
        errors: [404],
      },
    },
    async (request) => {
      const q = request.query;
      const page = await content.articles({ ...q, since: toDate(q.since), until: toDate(q.until) });
      return { data: page.data.map(p.summary), nextCursor: page.nextCursor };
    },
  );

  app.get<Id>(
    '/articles/:id',
    {
      schema: {
        summary: 'One published article: its blocks and its body as the site renders it',
        params: idParams,
        querystring: keyOnlyQuery,
        response: { 200: articleResponse },
        errors: [404],
      },
    },
    async (request) => ({ data: p.article(await content.articleById(request.params.id)) }),
  );

  app.get<Slug>(
    '/articles/by-slug/:slug',
    {
      schema: {
        summary: 'One published article, by its slug',
        params: slugParams,
        querystring: keyOnlyQuery,
        response: { 200: articleResponse },
        errors: [404],
      },
    },
    async (request) => ({ data: p.article(await content.articleBySlug(request.params.slug)) }),
  );

  app.get<Id>(
    '/articles/:id/related',
    {
      schema: {
        summary: 'The other articles of its story, and its related articles with why each is there',
        params: idParams,
        querystring: keyOnlyQuery,
        response: { 200: relatedResponse },
        errors: [404],
      },
    },
    async (request) => deps.related(request.params.id),
  );

  app.get<{ Querystring: SearchQuery & { key?: string } }>(
    '/search',
    {
      schema: {
        summary: 'Published articles matching a query, best first',
        description:
          'Words are all required; `"a phrase"`, `-word` to exclude and `word*` for a prefix. Any text is a query: what cannot be searched is left out, never an error. Headline matches rank above body matches, newer above older among equals. Highlights are HTML-escaped text with the matched words in `<mark>`.',
        querystring: searchApiQuery,
        response: { 200: searchApiResponse },
      },
    },
    async (request) => {
      const { key: _key, ...query } = request.query;
      return { data: await deps.search(query) };
    },
  );

  app.get(
    '/sections',
    {
      schema: {
        summary: 'Every section, in the site’s order',
        querystring: keyOnlyQuery,
        response: { 200: sectionListResponse },
      },
    },
    async () => ({ data: (await content.sections()).map(p.section) }),
  );

  for (const kind of ['tag', 'author'] as const) {
    const plural = `${kind}s`;
    app.get<{ Querystring: PageQuery }>(
      `/${plural}`,
      {
        schema: {
          summary: `${kind === 'tag' ? 'Tags' : 'Authors'} of published articles, by slug, a page at a time`,
          querystring: pageQuery,
          response: { 200: kind === 'tag' ? tagListResponse : authorListResponse },
        },
      },
      async (request) => {
        const page = await content.named(kind, request.query);
        return { data: page.data.map(kind === 'tag' ? p.tag : p.author), nextCursor: page.nextCursor };
      },
    );
    app.get<Slug>(
      `/${plural}/:slug`,
      {
        schema: {
          summary: `One ${kind}, by slug`,
          params: slugParams,
          querystring: keyOnlyQuery,
          response: { 200: kind === 'tag' ? tagResponse : authorResponse },
          errors: [404],
        },
      },
      async (request) => {
        const found = await content.oneNamed(kind, request.params.slug);
        return { data: kind === 'tag' ? p.tag(found) : p.author(found) };
      },
    );
  }

  // Built once, after every route above is registered.
  let document: Record<string, unknown> | undefined;
  app.get(
    '/openapi.json',
    {
      schema: {
        summary: 'This description (OpenAPI 3.1)',
        querystring: keyOnlyQuery,
        response: { 200: openApiResponse },
      },
    },
    async () => {
      document ??= openApiDocument(
        {
          title: `${deps.siteName()} content API`,
          version: '1',
          serverUrl: `${deps.config.siteUrl}/api/v1`,
          keyRequired: deps.config.contentApi.key !== undefined,
          prefix: '/api/v1',
        },
        routes,
      );
      return document;
    },
  );
}
