/**
 * Error pages for readers. They never show error details: those stay in the log.
 */
import { html } from '../../lib/html.js';
import { renderLayout } from '../../web/views/layout.js';
import type { ErrorPageVM, NotFoundPageVM } from '../view-model.js';
import { renderCardModule } from './components.js';

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

/** What a reader is told, by what went wrong: plainly, and never the details (those stay in the log). */
function explain(status: number, code: string | undefined): { title: string; text: string } {
  if (status >= 500)
    return { title: 'Something went wrong', text: 'Sorry, we couldn’t show this page. Please try again later.' };
  if (code === 'CROSS_ORIGIN')
    return { title: 'This form can’t be sent from here', text: 'Please use the form on this site.' };
  if (status === 413)
    return { title: 'That was too much to send', text: 'The form was larger than this site accepts.' };
  if (status === 415)
    return { title: 'This site can’t read that', text: 'The request was sent in a form this site doesn’t accept.' };
  return {
    title: 'There’s a mistake in this address',
    text: 'Part of the address of this page isn’t right: it may have been mistyped or cut short. Check it, or start again from the front page.',
  };
}

/**
 * Renders the error page for anything but a missing page: a reader's mistake
 * (4xx) or a failure of ours (5xx), deliberately without details.
 *
 * @example
 *   reply.code(400).type('text/html').send(renderErrorPage({ layout, status: 400, code: 'BAD_QUERY' }));
 */
export function renderErrorPage(vm: ErrorPageVM): string {
  const { title, text } = explain(vm.status, vm.code);
  const main = html`<div class="error-page">
<h1>${title}</h1>
<p>${text}</p>
<p><a href="/">Go to the front page</a></p>
</div>`;
  return renderLayout(vm.layout, main);
}
