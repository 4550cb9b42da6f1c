/**
 * A page of the site's own (About, Contact, Corrections policy): its title,
 * its body in the article's blocks, and when it last changed.
 */
import { html } from '../../lib/html.js';
import { renderLayout } from '../../web/views/layout.js';
import type { ContentPageVM } from '../view-model.js';
import { renderBlocks } from './article.view.js';
import { renderTime } from './components.js';

/**
 * @example
 *   reply.type('text/html').send(renderContentPage(vm));
 */
export function renderContentPage(vm: ContentPageVM): string {
  const main = html`<article class="article content-page">
<h1>${vm.title}</h1>
<div class="article-body">
${renderBlocks(vm.body)}</div>
<p class="page-updated">Last updated ${renderTime(vm.updated)}</p>
</article>`;
  return renderLayout(vm.layout, main);
}
