/**
 * Why an article's related news is what it is: `GET /api/articles/:id/related`
 * (JSON) and its debug view `GET /articles/:id/related` (HTML, noindex, never
 * cached: explanations are computed on request).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import { NO_STORE, type PageSender } from '../web/page-response.js';
import { createRelatedPresenter } from './related.presenter.js';
import type { Presenter } from './site.presenter.js';
import type { SiteService } from './site.service.js';
import { articlePath } from './urls.js';
import { renderRelatedDebugPage } from './views/related-debug.view.js';

export interface RelatedRoutesDeps {
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
  clock: Clock;
  siteUrl: string;
}

type IdParams = { Params: { id: number } };

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
} as const;

const strings = { type: 'array', items: { type: 'string' } } as const;
/** What every listed article carries. */
const link = { id: { type: 'integer' }, headline: { type: 'string' }, url: { type: 'string' } } as const;

/** The response schema whitelists what goes out (and serializes it fast). */
const relatedResponse = {
  200: {
    type: 'object',
    required: ['articleId', 'story', 'related'],
    properties: {
      articleId: { type: 'integer' },
      story: {
        type: 'array',
        items: { type: 'object', properties: { ...link, publishedAt: { type: 'string' } } },
      },
      related: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ...link,
            rank: { type: 'integer' },
            score: { type: 'number' },
            similarity: { type: 'number' },
            needed: { type: 'number' },
            sharedNeighbours: { type: ['integer', 'null'] },
            mutual: { type: ['boolean', 'null'] },
            sameStory: { type: 'boolean' },
            hoursApart: { type: 'number' },
            sharedTerms: strings,
            sharedEntities: strings,
            sharedLabels: strings,
          },
        },
      },
    },
  },
} as const;

/** `GET /articles/:id/related` on the API face (served at `/api/articles/:id/related`). */
export async function relatedApiRoutes(
  app: FastifyInstance,
  deps: Pick<RelatedRoutesDeps, 'site' | 'clock' | 'siteUrl'>,
) {
  const { site } = deps;
  const present = createRelatedPresenter({ config: { siteUrl: deps.siteUrl }, clock: deps.clock });
  // A malformed id in an API path is a bad request (400 BAD_QUERY), not a missing page.
  app.get<IdParams>(
    '/articles/:id/related',
    { schema: { params: idParams, response: relatedResponse }, attachValidation: true },
    async (request, reply) => {
      if (request.validationError) throw new AppError('BAD_QUERY', request.validationError.message);
      const data = await site.relatedExplained(request.params.id);
      return reply.header('cache-control', NO_STORE).send(present.json(data));
    },
  );
}

/** The debug view, `GET /articles/:id/related`, on the reader face (HTML, noindex, never cached). */
export async function relatedDebugRoutes(app: FastifyInstance, deps: RelatedRoutesDeps) {
  const { site, presenter: p, pages } = deps;
  const present = createRelatedPresenter({ config: { siteUrl: deps.siteUrl }, clock: deps.clock });

  app.get<IdParams>('/articles/:id/related', { schema: { params: idParams } }, async (request, reply) => {
    const data = await site.relatedExplained(request.params.id);
    const { article } = data;
    const href = articlePath({ ...article, publishedAt: article.publishedAt ?? article.updatedAt }, deps.clock);
    const html = renderRelatedDebugPage({
      layout: p.layout({ title: `Related news for ${article.headline}`, noindex: true }, data.sections),
      article: { href, label: article.headline },
      story: data.story.map(p.card),
      rows: present.rows(data),
    });
    // No tags: never stored in the page cache.
    return pages.send(request, reply, { html, cacheControl: NO_STORE });
  });
}
