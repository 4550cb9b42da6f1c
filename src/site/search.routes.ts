/**
 * The search page, `GET /search?q=&section=&tag=&author=&from=&to=&page=`, on
 * the reader face. Any parameters give a page: a filter or page number that
 * is not one is ignored, and any query text gives results or an empty state.
 *
 * Never kept in the page cache: one entry per query string would let anyone
 * fill it with copies (the cache keys a page by its path, so a stored
 * `/search` would even answer every query with one result list). The page
 * goes out `private, max-age=60` — the reader's browser may keep it for the
 * back button, shared caches (nginx, a CDN) may not — and `noindex`. An
 * uncached search costs a database query: see `npm run bench:search`.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../lib/time.js';
import { lenientSearchQuery } from '../search/search.schemas.js';
import type { SearchService } from '../search/search.service.js';
import type { PageSender } from '../web/page-response.js';
import { presentSearch } from './search.presenter.js';
import type { Presenter } from './site.presenter.js';
import type { SiteService } from './site.service.js';
import { renderSearchPage } from './views/search.view.js';

export interface SearchRoutesDeps {
  search: SearchService;
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
  clock: Clock;
}

export const SEARCH_CACHE_CONTROL = 'private, max-age=60';

export async function searchRoutes(app: FastifyInstance, deps: SearchRoutesDeps): Promise<void> {
  app.get('/search', async (request, reply) => {
    const query = lenientSearchQuery((request.query ?? {}) as Record<string, unknown>);
    const [result, sections] = await Promise.all([deps.search.search(query), deps.site.sections()]);
    const vm = presentSearch(deps, { query, result, sections });
    const html = renderSearchPage({
      ...vm,
      layout: deps.presenter.layout({ title: vm.q ? `Search: ${vm.q}` : 'Search', noindex: true }, sections),
    });
    // No tags: a page without tags is never stored.
    return deps.pages.send(request, reply, { html, cacheControl: SEARCH_CACHE_CONTROL });
  });
}
