/**
 * The search page's view model, from the search service's answer: links
 * (articles, sections, bylines, the other pages of results, the same search
 * without its filters), times in the site's zone, the service's highlighted
 * HTML (escaped text and `<mark>` only) marked safe, and the words of the
 * summary or empty state.
 *
 * @example
 *   const vm = presentSearch({ presenter, clock }, { query, result, sections, layout });
 */
import type { Section } from '../articles/article.js';
import { raw } from '../lib/html.js';
import type { Clock } from '../lib/time.js';
import type { SearchQuery, SearchResult } from '../search/search.schemas.js';
import type { SearchPageVM } from './search.view-model.js';
import type { Presenter } from './site.presenter.js';
import { articlePath, authorPath } from './urls.js';

/** The filters a search page carries from page to page, in the order of its URL. */
const FILTERS = ['section', 'tag', 'author', 'from', 'to'] as const;

/**
 * The page's address for these parameters: `/search?q=…&section=…&page=N` (no empty ones, no page 1).
 *
 * @example
 *   searchHref({ q: 'dam talks', section: 'world', page: 2 }); // '/search?q=dam+talks&section=world&page=2'
 */
export function searchHref(
  params: Partial<Record<'q' | (typeof FILTERS)[number], string>> & { page?: number },
): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  for (const key of FILTERS) if (params[key]) search.set(key, params[key]);
  if (params.page && params.page > 1) search.set('page', String(params.page));
  const text = search.toString();
  return text ? `/search?${text}` : '/search';
}

export function presentSearch(
  deps: { presenter: Presenter; clock: Clock },
  data: { query: SearchQuery; result: SearchResult; sections: Section[] },
): Omit<SearchPageVM, 'layout'> {
  const { query, result } = data;
  const filters = Object.fromEntries(
    FILTERS.flatMap((k) => (query[k] ? [[k, query[k]]] : [])),
  ) as SearchPageVM['filters'];
  const filtered = Object.keys(filters).length > 0;
  const at = (page: number) => searchHref({ q: result.q, ...filters, page });
  const hits = result.hits.map((hit) => {
    const published = new Date(hit.publishedAt);
    return {
      href: articlePath({ slug: hit.slug, section: hit.section, publishedAt: published }, deps.clock),
      headlineHtml: raw(hit.headlineHtml),
      snippetHtml: raw(hit.snippetHtml),
      section: deps.presenter.sectionLink(hit.section),
      authors: hit.authors.map((a) => ({ href: authorPath(a.slug), label: a.name })),
      published: deps.presenter.time(published, hit.publishedDayOnly),
    };
  });
  const count = `${result.total}${result.totalCapped ? '+' : ''}`;
  const summary =
    result.total === 0
      ? ''
      : `${count} ${result.total === 1 ? 'result' : 'results'}${result.pages > 1 ? `, page ${query.page} of ${result.pages}` : ''}`;
  let empty: SearchPageVM['empty'];
  if (result.empty === 'no-query') empty = { kind: 'no-query' };
  else if (result.empty === 'only-exclusions') empty = { kind: 'only-exclusions' };
  else if (result.hits.length === 0)
    empty = {
      kind: result.total > 0 ? 'past-last-page' : 'no-results',
      ...(filtered ? { withoutFilters: searchHref({ q: result.q }) } : {}),
      ...(result.total > 0 ? { firstPage: at(1) } : {}),
    };
  return {
    q: result.q,
    filters,
    sections: data.sections.map((s) => ({ value: s.slug, label: s.name })),
    summary,
    hits,
    ...(result.partial ? { partial: true } : {}),
    ...(result.suggestion
      ? { suggestion: { q: result.suggestion, href: searchHref({ q: result.suggestion, ...filters }) } }
      : {}),
    pagination: {
      page: query.page,
      ...(query.page > 1 && query.page <= result.pages ? { prev: at(query.page - 1) } : {}),
      ...(query.page < result.pages ? { next: at(query.page + 1) } : {}),
    },
    ...(empty ? { empty } : {}),
  };
}
