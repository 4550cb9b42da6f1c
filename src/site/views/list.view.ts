/**
 * Section, tag and author pages: a heading, an optional intro, cards and pagination.
 */
import { html } from '../../lib/html.js';
import { renderLayout } from '../../web/views/layout.js';
import type { ListPageVM } from '../view-model.js';
import { renderCardList, renderFeedLinks, renderFigure, renderPagination } from './components.js';

/**
 * Renders a list page; cards use h2 under the page's h1. An empty list says "No articles yet."
 *
 * @example
 *   reply.type('text/html').send(renderListPage(vm));
 */
export function renderListPage(vm: ListPageVM): string {
  const photo = vm.photo ? renderFigure(vm.photo, { className: 'author-photo', sizes: '8rem' }) : '';
  const intro = vm.intro ? html`<p class="intro">${vm.intro}</p>` : '';
  const cards = vm.cards.length > 0 ? renderCardList(vm.cards, 2) : html`<p class="empty">No articles yet.</p>`;
  const main = html`<div class="list-page list-${vm.kind}">
<h1>${vm.heading}</h1>
${photo}${intro}
${cards}
${renderPagination(vm.pagination)}
${renderFeedLinks(vm.feeds, vm.heading)}
</div>`;
  return renderLayout(vm.layout, main);
}
