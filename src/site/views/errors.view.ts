/**
 * Error pages for readers. They never show error details: those stay in the log.
 */
import { html } from '../../lib/html.js';
import type { ErrorPageVM, NotFoundPageVM } from '../view-model.js';
import { renderCardModule } from './components.js';
import { renderLayout } from './layout.js';

/**
 * Renders the 404 page: a short explanation, a link home and the latest news.
 *
 * @example
 *   reply.code(404).type('text/html').send(renderNotFoundPage(vm));
 */
export function renderNotFoundPage(vm: NotFoundPageVM): string {
  const below = vm.latest.length > 0 ? ' or one of the latest stories below' : '';
  const main = html`<div class="error-page">
<h1>Page not found</h1>
<p>We couldn’t find that page. It may have moved or been removed. Try the <a href="/">front page</a>${below}.</p>
</div>
${renderCardModule({ id: 'latest-news-heading', title: 'Latest news', cards: vm.latest, className: 'module latest' })}`;
  return renderLayout(vm.layout, main);
}

/**
 * Renders the generic error page (5xx and anything unexpected), deliberately without details.
 *
 * @example
 *   reply.code(500).type('text/html').send(renderErrorPage({ layout, status: 500 }));
 */
export function renderErrorPage(vm: ErrorPageVM): string {
  const main = html`<div class="error-page">
<h1>Something went wrong</h1>
<p>Sorry, we couldn’t show this page. Please try again later.</p>
<p><a href="/">Go to the front page</a></p>
</div>`;
  return renderLayout(vm.layout, main);
}
