/**
 * Importing an article from a web page (`/admin/import`): a form with the
 * page's address, the section and draft-or-publish, for anyone who may create
 * articles. On success the new (or updated) article opens in the editor; a
 * refusal (no article on the page, not HTML, unreachable…) shows the form
 * again with its reason and what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, can } from '../accounts/policy.js';
import type { TaxonomyService } from '../articles/taxonomy.service.js';
import type { UrlImportService } from '../ingest/url-import.service.js';
import { AppError } from '../lib/errors.js';
import { html } from '../lib/html.js';
import { type Newsroom, render, signedIn } from './context.js';
import { targetOf } from './states.js';
import { csrfField, select, textField } from './views/fields.js';

type Form = { Body: Record<string, string | undefined> };

export async function importRoutes(
  app: FastifyInstance,
  nr: Newsroom & { urlImport: UrlImportService; taxonomy: TaxonomyService },
): Promise<void> {
  app.get('/import', async (request, reply) => {
    authorize(signedIn(request).user, 'article.create');
    return importForm(request, reply, {});
  });

  app.post<Form>('/import', async (request, reply) => {
    const user = signedIn(request).user;
    authorize(user, 'article.create');
    const form = request.body ?? {};
    // A contributor's article goes to review: only who may publish their own article may import straight to the site.
    const mayPublish = can(user, 'article.publish', { createdBy: user.id, status: 'draft' });
    try {
      if (form.mode === 'publish' && !mayPublish) throw new AppError('FORBIDDEN', 'You may import drafts only');
      const saved = await nr.urlImport.importUrl({
        url: form.url ?? '',
        ...(form.section ? { section: form.section } : {}),
        mode: form.mode === 'publish' ? 'publish' : 'draft',
        by: user.id,
        mayUpdate: (existing) => can(user, 'article.edit', targetOf(existing)),
      });
      return reply.redirect(`/admin/articles/${saved.id}?imported=${saved.created ? 'new' : 'updated'}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
      return importForm(request, reply, form, err);
    }
  });

  async function importForm(
    request: FastifyRequest,
    reply: FastifyReply,
    typed: Record<string, string | undefined>,
    error?: AppError,
  ) {
    const sections = (await nr.taxonomy.sections()).map((s) => ({ value: s.name, label: s.name }));
    const main = html`<h1>Import from a web page</h1>
<p>The article on the page is imported without the page’s menus, widgets, share buttons and link lists. The same page imported again updates its article.</p>
${error ? html`<div class="flash flash-error" role="alert"><p>${error.message} <span class="hint">(${error.code})</span></p></div>` : ''}
<form method="post" action="/admin/import">${csrfField(request.caller.csrf)}
${textField({ name: 'url', label: 'Address of the page', type: 'url', value: typed.url, required: true, maxlength: 2000, ...(error ? { error: error.message } : {}) })}
${select({ name: 'section', label: 'Section', value: typed.section, options: sections, empty: 'News' })}
${select({
  name: 'mode',
  label: 'Save as',
  value: typed.mode ?? 'draft',
  options: [
    { value: 'draft', label: 'A draft to review' },
    { value: 'publish', label: 'Published at once' },
  ],
})}
<p><button type="submit" class="primary">Import</button></p>
</form>`;
    return render(nr, request, reply, main, {
      title: 'Import from a web page',
      current: '/admin/import',
      statusCode: error?.statusCode ?? 200,
    });
  }
}
