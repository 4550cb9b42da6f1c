/**
 * The search page: the query and its filters in a GET form (no JavaScript
 * needed), then results with highlighted headline and snippet, byline,
 * section and time, pagination, or an empty state that says what to try.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { attr, safeUrl } from '../../web/views/components.js';
import { renderLayout } from '../../web/views/layout.js';
import type { SearchHitVM, SearchPageVM } from '../search.view-model.js';
import { renderPagination, renderTime } from './components.js';

function renderForm(vm: SearchPageVM): SafeHtml {
  const f = vm.filters;
  const known = vm.sections.some((s) => s.value === f.section);
  const sections = [...vm.sections, ...(f.section && !known ? [{ value: f.section, label: f.section }] : [])].map(
    (s) => html`<option value="${s.value}"${s.value === f.section ? html` selected` : ''}>${s.label}</option>`,
  );
  // Tag and author come from links (a tag page, a byline): kept as they are, with a way to drop them.
  const kept = (['tag', 'author'] as const).flatMap((key) =>
    f[key] ? [html`<input type="hidden" name="${key}" value="${f[key]}">`] : [],
  );
  const keptText = (['tag', 'author'] as const).flatMap((key) =>
    f[key] ? [html`<p class="search-meta">Only articles with the ${key} “${f[key]}”.</p>`] : [],
  );
  return html`<form class="search-form" role="search" aria-label="Search with filters" action="/search" method="get">
<label class="search-q">Search for<input type="search" name="q" value="${vm.q}" maxlength="200"></label>
<label>Section<select name="section"><option value="">All sections</option>${sections}</select></label>
<label>From<input type="date" name="from"${attr('value', f.from)}></label>
<label>To<input type="date" name="to"${attr('value', f.to)}></label>
${kept}<button type="submit">Search</button>
</form>
${keptText}`;
}

function renderHit(hit: SearchHitVM): SafeHtml {
  const by = hit.authors.length
    ? html`By ${hit.authors.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="${safeUrl(a.href)}">${a.label}</a>`)} <span aria-hidden="true">·</span> `
    : '';
  return html`<li class="search-result">
<h2><a href="${safeUrl(hit.href)}">${hit.headlineHtml}</a></h2>
${hit.snippetHtml.value ? html`<p class="search-snippet">${hit.snippetHtml}</p>` : ''}
<p class="search-meta">${by}<a href="${safeUrl(hit.section.href)}">${hit.section.label}</a> <span aria-hidden="true">·</span> ${renderTime(hit.published)}</p>
</li>`;
}

function renderEmpty(vm: SearchPageVM): SafeHtml | '' {
  const empty = vm.empty;
  if (!empty) return '';
  const widen = empty.withoutFilters
    ? html`<li><a href="${safeUrl(empty.withoutFilters)}">Search every section and date</a>.</li>`
    : '';
  switch (empty.kind) {
    case 'no-query':
      return html`<p class="search-empty">Type a word or two to search every article.</p>`;
    case 'only-exclusions':
      return html`<p class="search-empty">Add a word to look for: words after a minus sign (-word) only leave articles out.</p>`;
    case 'past-last-page':
      return html`<p class="search-empty">There are no more results. <a href="${safeUrl(empty.firstPage ?? '/search')}">Back to the first page</a>.</p>`;
    default:
      return html`<div class="search-empty">
<p>No articles match “${vm.q}”.</p>
<ul>
<li>Check the spelling, or try fewer or more general words.</li>
<li>Put a phrase in quotes ("peaceful solution"), start a word and end it with * (negotiat*), leave a word out with a minus (-crimea).</li>
${widen}</ul>
</div>`;
  }
}

/**
 * Renders the search page.
 *
 * @example
 *   reply.type('text/html').send(renderSearchPage(vm));
 */
export function renderSearchPage(vm: SearchPageVM): string {
  const results = vm.hits.length
    ? html`<ol class="search-results">\n${vm.hits.map((h) => html`${renderHit(h)}\n`)}</ol>`
    : '';
  const main = html`<div class="search-page">
<h1>${vm.q ? html`Search: ${vm.q}` : 'Search'}</h1>
${renderForm(vm)}
${vm.suggestion ? html`<p class="search-suggestion">Did you mean <a href="${safeUrl(vm.suggestion.href)}">${vm.suggestion.q}</a>?</p>` : ''}
${vm.summary ? html`<p class="search-summary" role="status">${vm.partial ? 'No article has all of these words. ' : ''}${vm.summary}${vm.partial ? ' with some of them' : ''}</p>` : ''}
${results}${renderEmpty(vm)}
${renderPagination(vm.pagination)}
</div>`;
  return renderLayout(vm.layout, main);
}
