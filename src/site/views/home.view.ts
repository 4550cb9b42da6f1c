/**
 * The front page: the top story, the latest news, then one block per section.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import { renderLayout } from '../../web/views/layout.js';
import type { CardVM, HomePageVM, LinkVM } from '../view-model.js';
import { renderCardList, renderCardModule, renderFeedLinks, renderFigure, renderTime, SIZES } from './components.js';

/** The top story is the page's largest item; its image is above the fold, so it loads eagerly. */
function renderTopStory(top: CardVM | undefined): SafeHtml | '' {
  if (!top) return '';
  const standfirst = top.standfirst ? html`<p class="standfirst">${top.standfirst}</p>` : '';
  const image = top.image
    ? renderFigure(top.image, { lead: true, sizes: SIZES.topStory, className: 'figure top-story-image' })
    : '';
  return html`<article class="top-story${top.image ? ' has-image' : ''}">
<div class="top-story-text">
<h2 class="top-story-title"><a href="${safeUrl(top.href)}">${top.headline}</a></h2>
${standfirst}
<p class="card-meta"><a href="${safeUrl(top.section.href)}">${top.section.label}</a> <span aria-hidden="true">·</span> ${renderTime(top.published)}</p>
</div>
${image}
</article>`;
}

function renderSectionBlock(block: { section: LinkVM; cards: CardVM[] }, index: number): SafeHtml | '' {
  if (block.cards.length === 0) return '';
  const id = `home-section-${index + 1}`;
  return html`<section class="module home-section" aria-labelledby="${id}">
<h2 id="${id}" class="module-title"><a href="${safeUrl(block.section.href)}">${block.section.label}</a></h2>
${renderCardList(block.cards, 3)}
</section>`;
}

/**
 * Renders the home page. The page's only h1 is the (visually hidden) site name.
 *
 * @example
 *   reply.type('text/html').send(renderHomePage(vm));
 */
export function renderHomePage(vm: HomePageVM): string {
  const main = html`<h1 class="visually-hidden">${vm.layout.siteName}</h1>
${renderTopStory(vm.top)}
${renderCardModule({ id: 'latest-news-heading', title: 'Latest news', cards: vm.latest, className: 'module latest' })}
${vm.sections.map((block, i) => html`${renderSectionBlock(block, i)}\n`)}${renderFeedLinks(vm.feeds, vm.layout.siteName)}`;
  return renderLayout(vm.layout, main);
}
