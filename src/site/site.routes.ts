/**
 * Reader pages, a plugin of the reader face. Each route: validate (schema),
 * fetch through the site service, present, render, send through the face's
 * page sender. A page number that is not one (`?page=abc`) is the reader's
 * typo: it redirects to the first page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Article, ArticleSummary, Section } from '../articles/article.js';
import { AppError } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import type { PageSender } from '../web/page-response.js';
import { type ArticleModuleCache, type ArticleModules, renderModules } from './article-modules.js';
import type { Presenter } from './site.presenter.js';
import type { ArticlePageData, ListPageData, SiteService } from './site.service.js';
import { articlePath, authorPath, contentPagePath, PLAIN_PERMALINK_KEYS, sectionPath, tagPath } from './urls.js';
import { renderArticlePage } from './views/article.view.js';
import { renderContentPage } from './views/content-page.view.js';
import { renderHomePage } from './views/home.view.js';
import { renderListPage } from './views/list.view.js';

export interface SiteRoutesDeps {
  /** The story's live coverage, while it is live (`src/live/`): the article page links to it. */
  liveFor?: (articleIds: number[]) => Promise<{ id: number; href: string; headline: string } | undefined>;
  site: SiteService;
  /** The article pages' story and related modules, kept until what they list changes. */
  modules: ArticleModuleCache;
  presenter: Presenter;
  pages: PageSender;
  clock: Clock;
}

/** List pages go this deep (20 articles a page); further back is the archive's and search's job. */
export const MAX_PAGE = 1000;

const pageQuery = {
  type: 'object',
  properties: { page: { type: 'string' } },
} as const;

const slugPattern = '^[a-z0-9][a-z0-9-]{0,199}$';
const slugParam = { type: 'string', pattern: slugPattern } as const;

type PageQuery = { Querystring: { page?: string } };

const articleTags = (list: ArticleSummary[]) => list.map((a) => `article:${a.id}`);
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * The page number asked for: 1 without one; undefined when it is not a
 * number at all (the caller redirects); numbers past MAX_PAGE are out of range.
 */
export function pageNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return 1;
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined;
}

/** What an article page shows: the article, its modules (rendered, see `article-modules.ts`), the latest news. */
export interface ArticlePageParts {
  article: Article;
  modules: ArticleModules;
  latest: ArticleSummary[];
  sections: Section[];
}

/**
 * The whole article page, from its parts: the reader route and the newsroom's
 * preview of a draft render with the same views.
 */
export function renderArticle(p: Presenter, page: ArticlePageParts, live?: { href: string; headline: string }): string {
  const vm = p.article(page.article);
  return renderArticlePage({
    ...(live ? { live: { href: live.href, label: live.headline } } : {}),
    layout: p.articleLayout(page.article, vm, page.sections),
    article: vm,
    latest: page.latest.map(p.card),
    modules: page.modules.html,
  });
}

/** The newsroom's preview: an article in any status, its modules rendered afresh (never kept). */
export function renderPreview(p: Presenter, data: ArticlePageData): string {
  return renderArticle(p, { ...data, modules: renderModules(p, data) });
}

export async function siteRoutes(app: FastifyInstance, deps: SiteRoutesDeps): Promise<void> {
  const { site, presenter: p, pages } = deps;

  app.get<{ Querystring: Record<string, string | string[] | undefined> }>('/', async (request, reply) => {
    // `/?p=123`: an old WordPress address, answered (301) or refused (404) by the not-found path.
    if (PLAIN_PERMALINK_KEYS.some((key) => request.query[key] !== undefined)) return reply.callNotFound();
    const data = await site.homePage();
    const [top, ...latest] = data.latest.map(p.card);
    const html = renderHomePage({
      layout: p.layout({ path: '/', currentPath: '/', feed: { path: '/' } }, data.sections),
      ...(top ? { top } : {}),
      latest,
      sections: data.bySection.map((s) => ({ section: p.sectionLink(s.section), cards: s.articles.map(p.card) })),
      feeds: p.feedLinks('/'),
    });
    const shown = [...data.latest, ...data.bySection.flatMap((s) => s.articles)];
    return pages.send(request, reply, {
      html,
      tags: ['latest', ...articleTags(shown), ...data.sections.map((s) => `section:${s.id}`)],
      passes: PLAIN_PERMALINK_KEYS,
    });
  });

  app.get<{ Params: { section: string; year: string; month: string; day: string; slug: string } }>(
    '/:section/:year/:month/:day/:slug',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            section: slugParam,
            year: { type: 'string', pattern: '^\\d{4}$' },
            month: { type: 'string', pattern: '^\\d{2}$' },
            day: { type: 'string', pattern: '^\\d{2}$' },
            slug: slugParam,
          },
        },
      },
    },
    async (request, reply) => {
      const article = await site.publishedArticle(request.params.slug);
      const canonical = articlePath({ ...article, publishedAt: article.publishedAt ?? article.updatedAt }, deps.clock);
      if (canonical !== request.url.split('?')[0]) return reply.redirect(canonical, 301);
      const modules = await deps.modules.of(article.id);
      const listed = [...modules.storyIds, ...modules.relatedIds];
      const [latest, sections, live] = await Promise.all([
        site.latestExcept([article.id, ...listed]),
        site.sections(),
        deps.liveFor?.([article.id, ...modules.storyIds]),
      ]);
      return pages.send(request, reply, {
        html: renderArticle(p, { article, modules, latest, sections }, live),
        // Not `live:<id>`: each entry would drop the story's pages. The coverage's start and end drop them (`article:<id>`).
        tags: ['latest', `article:${article.id}`, ...listed.map((id) => `article:${id}`), ...articleTags(latest)],
      });
    },
  );

  const list = async <T extends { id: number; slug: string; name: string }>(
    kind: 'section' | 'tag' | 'author',
    base: (slug: string) => string,
    request: FastifyRequest<PageQuery & { Params: { slug: string } }>,
    reply: FastifyReply,
    load: (slug: string, page: number) => Promise<ListPageData<T>>,
  ) => {
    const page = pageNumber(request.query.page);
    if (page === undefined) return reply.redirect(base(request.params.slug), 301);
    if (page > MAX_PAGE) throw new AppError('PAGE_OUT_OF_RANGE', 'no such page');
    const data = await load(request.params.slug, page);
    const path = base(data.subject.slug);
    const html = renderListPage({
      layout: p.layout(
        {
          title: page > 1 ? `${data.subject.name} (page ${page})` : data.subject.name,
          path: page > 1 ? `${path}?page=${page}` : path,
          currentPath: path,
          feed: { path, title: data.subject.name },
        },
        data.sections,
      ),
      kind,
      heading: data.subject.name,
      ...(kind === 'author' && 'bio' in data.subject && typeof data.subject.bio === 'string'
        ? { intro: data.subject.bio }
        : {}),
      ...(kind === 'author' && 'photo' in data.subject && typeof data.subject.photo === 'string'
        ? optional('photo', p.image({ src: data.subject.photo, alt: data.subject.name }))
        : {}),
      cards: data.articles.map(p.card),
      pagination: p.pagination(path, page, data.hasNext && page < MAX_PAGE),
      feeds: p.feedLinks(path),
    });
    return pages.send(request, reply, {
      html,
      tags: [`${kind}:${data.subject.id}`, ...articleTags(data.articles)],
      paged: true,
    });
  };

  const listSchema = {
    schema: { params: { type: 'object', properties: { slug: slugParam } }, querystring: pageQuery },
  };

  app.get<PageQuery & { Params: { slug: string } }>('/tag/:slug', listSchema, async (request, reply) =>
    list('tag', tagPath, request, reply, site.tagPage),
  );

  app.get<PageQuery & { Params: { slug: string } }>('/author/:slug', listSchema, async (request, reply) =>
    list('author', authorPath, request, reply, site.authorPage),
  );

  // A section's address, or else one of the site's own pages (About, Contact…).
  app.get<PageQuery & { Params: { slug: string } }>('/:slug', listSchema, async (request, reply) => {
    try {
      return await list('section', sectionPath, request, reply, site.sectionPage);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'SECTION_NOT_FOUND') throw err;
    }
    const { page, sections } = await site.contentPage(request.params.slug);
    if (request.query.page !== undefined) return reply.redirect(contentPagePath(page.slug), 301);
    return pages.send(request, reply, { html: renderContentPage(p.contentPage(page, sections)), tags: ['pages'] });
  });
}
