/**
 * Reader pages. Each route: validate (schema), fetch through the site
 * service, present, render, send through the page sender.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleSummary } from '../articles/article.js';
import type { Clock } from '../lib/time.js';
import type { Assets } from './assets.js';
import type { PageSender } from './page-response.js';
import type { Presenter } from './site.presenter.js';
import type { ListPageData, SiteService } from './site.service.js';
import { articlePath, authorPath, sectionPath, tagPath } from './urls.js';
import { renderArticlePage } from './views/article.view.js';
import { renderHomePage } from './views/home.view.js';
import { renderListPage } from './views/list.view.js';

interface Deps {
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
  clock: Clock;
  assets: Assets;
}

const pageQuery = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1, maximum: 1000, default: 1 } },
} as const;

const slugPattern = '^[a-z0-9][a-z0-9-]{0,199}$';
const slugParam = { type: 'string', pattern: slugPattern } as const;

type PageQuery = { Querystring: { page: number } };

const articleTags = (list: ArticleSummary[]) => list.map((a) => `article:${a.id}`);

export function registerSiteRoutes(app: FastifyInstance, deps: Deps): void {
  const { site, presenter: p, pages } = deps;

  app.get('/assets/:file', async (request, reply) => {
    const entry = deps.assets.files.get(request.url.split('?')[0] ?? '');
    if (!entry) return reply.callNotFound();
    return pages.sendEntry(request, reply, entry);
  });

  app.get('/', async (request, reply) => {
    const data = await site.homePage();
    const [top, ...latest] = data.latest.map(p.card);
    const html = renderHomePage({
      layout: p.layout({ path: '/', currentPath: '/' }, data.sections),
      ...(top ? { top } : {}),
      latest,
      sections: data.bySection.map((s) => ({ section: p.sectionLink(s.section), cards: s.articles.map(p.card) })),
    });
    const shown = [...data.latest, ...data.bySection.flatMap((s) => s.articles)];
    return pages.send(request, reply, {
      html,
      tags: ['latest', ...articleTags(shown), ...data.sections.map((s) => `section:${s.id}`)],
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
      const data = await site.articlePage(request.params.slug);
      const { article } = data;
      const canonical = articlePath({ ...article, publishedAt: article.publishedAt ?? article.updatedAt }, deps.clock);
      if (canonical !== request.url.split('?')[0]) return reply.redirect(canonical, 301);
      const vm = p.article(article);
      const html = renderArticlePage({
        layout: p.articleLayout(article, vm, data.sections),
        article: vm,
        latest: data.latest.map(p.card),
        story: data.story.map(p.card),
        related: data.related.map(p.card),
      });
      const shown = [...data.story, ...data.related, ...data.latest];
      return pages.send(request, reply, { html, tags: ['latest', `article:${article.id}`, ...articleTags(shown)] });
    },
  );

  const list = <T extends { id: number; name: string }>(
    kind: 'section' | 'tag' | 'author',
    base: (subject: T) => string,
    request: FastifyRequest<PageQuery>,
    reply: FastifyReply,
    data: ListPageData<T>,
  ) => {
    const { page } = request.query;
    const path = base(data.subject);
    const html = renderListPage({
      layout: p.layout(
        {
          title: page > 1 ? `${data.subject.name} (page ${page})` : data.subject.name,
          path: page > 1 ? `${path}?page=${page}` : path,
          currentPath: path,
        },
        data.sections,
      ),
      kind,
      heading: data.subject.name,
      ...(kind === 'author' && 'bio' in data.subject && typeof data.subject.bio === 'string'
        ? { intro: data.subject.bio }
        : {}),
      cards: data.articles.map(p.card),
      pagination: p.pagination(path, page, data.hasNext),
    });
    return pages.send(request, reply, { html, tags: [`${kind}:${data.subject.id}`, ...articleTags(data.articles)] });
  };

  const listSchema = {
    schema: { params: { type: 'object', properties: { slug: slugParam } }, querystring: pageQuery },
  };

  app.get<PageQuery & { Params: { slug: string } }>('/tag/:slug', listSchema, async (request, reply) =>
    list('tag', (t) => tagPath(t.slug), request, reply, await site.tagPage(request.params.slug, request.query.page)),
  );

  app.get<PageQuery & { Params: { slug: string } }>('/author/:slug', listSchema, async (request, reply) =>
    list(
      'author',
      (a) => authorPath(a.slug),
      request,
      reply,
      await site.authorPage(request.params.slug, request.query.page),
    ),
  );

  app.get<PageQuery & { Params: { slug: string } }>('/:slug', listSchema, async (request, reply) =>
    list(
      'section',
      (s) => sectionPath(s.slug),
      request,
      reply,
      await site.sectionPage(request.params.slug, request.query.page),
    ),
  );
}
