/**
 * The newsroom's error pages: what went wrong in a person's words, never the
 * details (they stay in the log).
 */
import { html, type SafeHtml } from '../../lib/html.js';
import type { Classified } from '../../web/errors.js';

const WORDS: Partial<Record<string, [string, string]>> = {
  NOT_FOUND: ['Not found', 'There is nothing at this address in the newsroom.'],
  ARTICLE_NOT_FOUND: ['Article not found', 'It may have been deleted, or the address is wrong.'],
  FORBIDDEN: ['Not allowed', 'Your role does not allow this. Ask an editor or an administrator.'],
  CSRF_INVALID: ['This form has expired', 'Go back, reload the page and try again. Nothing was changed.'],
  UNAUTHENTICATED: ['Please log in', 'Your session has ended.'],
  BAD_QUERY: ['Something in the address is wrong', 'Check it, or start again from the article list.'],
};

export function renderAdminError(error: Classified): SafeHtml {
  const [title, text] =
    WORDS[error.code] ??
    (error.statusCode >= 500
      ? ['Something went wrong', 'Sorry: that did not work. Nothing you saved before is lost. Please try again.']
      : ['That did not work', 'The request could not be handled. Go back and try again.']);
  return html`<div class="error-page"><h1>${title}</h1><p>${text}</p><p><a href="/admin">Back to the articles</a></p></div>`;
}
