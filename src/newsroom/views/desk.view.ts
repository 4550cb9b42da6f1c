/**
 * The desk: the newsroom's article list, with its filters (a GET form, so a
 * filtered list has an address) and a link to the next page.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import { select, textField } from './fields.js';

export interface DeskRowVM {
  href: string;
  headline: string;
  state: string;
  stateLabel: string;
  section: string;
  updated: { iso: string; text: string };
}

export interface DeskVM {
  rows: DeskRowVM[];
  filters: { state: string; section: string; author: string; q: string };
  states: { value: string; label: string }[];
  sections: { value: string; label: string }[];
  authors: { value: string; label: string }[];
  nextHref?: string;
  canCreate: boolean;
}

function renderRow(row: DeskRowVM): SafeHtml {
  return html`<tr>
<th scope="row"><a href="${safeUrl(row.href)}">${row.headline}</a></th>
<td><span class="state state-${row.state}">${row.stateLabel}</span></td>
<td>${row.section}</td>
<td><time datetime="${row.updated.iso}">${row.updated.text}</time></td>
</tr>`;
}

export function renderDesk(vm: DeskVM): SafeHtml {
  const table =
    vm.rows.length === 0
      ? html`<p class="empty">No article matches these filters.</p>`
      : html`<table class="desk">
<caption class="visually-hidden">Articles, most recently changed first</caption>
<thead><tr><th scope="col">Headline</th><th scope="col">State</th><th scope="col">Section</th><th scope="col">Changed</th></tr></thead>
<tbody>
${vm.rows.map((row) => html`${renderRow(row)}\n`)}</tbody>
</table>`;
  return html`<div class="page-head">
<h1>Articles</h1>
${vm.canCreate ? html`<a class="button primary" href="/admin/articles/new">New article</a>` : ''}
</div>
<form class="filters" method="get" action="/admin" role="search" aria-label="Filter articles">
${select({ name: 'state', label: 'State', value: vm.filters.state, options: vm.states, empty: 'Any state' })}
${select({ name: 'section', label: 'Section', value: vm.filters.section, options: vm.sections, empty: 'Any section' })}
${select({ name: 'author', label: 'Byline', value: vm.filters.author, options: vm.authors, empty: 'Anyone' })}
${textField({ name: 'q', label: 'Headline words', value: vm.filters.q, type: 'search', maxlength: 200 })}
<button type="submit">Filter</button>
</form>
${table}
${vm.nextHref ? html`<nav class="pager" aria-label="Pages"><a href="${safeUrl(vm.nextHref)}" rel="next">Older articles</a></nav>` : ''}`;
}
