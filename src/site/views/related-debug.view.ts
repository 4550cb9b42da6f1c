/**
 * The debug view of an article's related list (`/articles/:id/related`): the
 * story's other articles, then every stored related article with its score
 * and the reasons it is there. For editors and developers; not indexed.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import { renderLayout } from '../../web/views/layout.js';
import type { RelatedDebugPageVM, RelatedRowVM } from '../view-model.js';
import { renderCardModule } from './components.js';

function words(list: string[]): SafeHtml | string {
  return list.length > 0 ? list.join(', ') : html`<span class="none">none</span>`;
}

function renderRow(row: RelatedRowVM): SafeHtml {
  return html`<tr>
<th scope="row"><a href="${safeUrl(row.href)}">${row.headline}</a></th>
<td class="num">${row.score}</td>
<td class="num">${row.similarity}</td>
<td class="num">${row.needed}</td>
<td class="num">${row.sharedNeighbours || html`<span class="none">not asked</span>`}</td>
<td>${row.sameStory ? 'yes' : 'no'}</td>
<td class="num">${row.hoursApart}</td>
<td>${words(row.sharedTerms)}</td>
<td>${words(row.sharedEntities)}</td>
<td>${words(row.sharedLabels)}</td>
</tr>
`;
}

function renderTable(rows: RelatedRowVM[]): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">No related articles are stored for this article.</p>`;
  // Focusable: the table scrolls sideways on narrow screens, and keyboards must be able to scroll it too.
  return html`<div class="table-scroll" tabindex="0">
<table class="related-table">
<caption class="visually-hidden">Stored related articles, best first</caption>
<thead><tr><th scope="col">Article</th><th scope="col">Score</th><th scope="col">Similarity</th><th scope="col">Needed</th><th scope="col">Shared neighbours</th><th scope="col">Same story</th><th scope="col">Published</th><th scope="col">Shared terms</th><th scope="col">Shared entities</th><th scope="col">Shared tags</th></tr></thead>
<tbody>
${rows.map(renderRow)}</tbody>
</table>
</div>`;
}

/**
 * Renders the debug page: a heading naming the article, "More on this story"
 * and a table of the stored related list, best first.
 *
 * @example
 *   reply.type('text/html').send(renderRelatedDebugPage(vm));
 */
export function renderRelatedDebugPage(vm: RelatedDebugPageVM): string {
  const main = html`<div class="related-debug">
<h1>Why these are related</h1>
<p class="intro">Related news for <a href="${safeUrl(vm.article.href)}">${vm.article.label}</a>, best first. Similarity and what is needed to be shown are as the engine judges them today; shared neighbours: how many of this article's nearest are also the item's, where the floor asked (mutual: this article is in the closer half of the item's own nearest). Published: hours after or before this article.</p>
${renderCardModule({ id: 'story-heading', title: 'More on this story', cards: vm.story, className: 'module story', ordered: true })}
<section class="module" aria-labelledby="related-table-heading">
<h2 id="related-table-heading" class="module-title">Related news</h2>
${renderTable(vm.rows)}
</section>
</div>`;
  return renderLayout(vm.layout, main);
}
