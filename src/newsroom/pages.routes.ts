/**
 * The site's own pages (About, Contact, Corrections policy…), for editors and
 * admins (`pages.manage`): a list, and a form per page with the article's
 * body editor (a plain-text field without JavaScript). A page with a footer
 * position above 0 is linked from every reader page's footer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import { bodyText } from '../articles/article.js';
import type { ContentPage } from '../content-pages/content-page.js';
import type { ContentPagesService } from '../content-pages/content-pages.service.js';
import { AppError } from '../lib/errors.js';
import { html, raw, type SafeHtml } from '../lib/html.js';
import { readBody } from './article-form.js';
import { idParams, type Newsroom, render, signedIn } from './context.js';
import { actionButton, csrfField, textField } from './views/fields.js';

type Form = { Body: Record<string, string | undefined> };
type IdForm = Form & { Params: { id: number } };

export async function pagesRoutes(
  app: FastifyInstance,
  nr: Newsroom & { contentPages: ContentPagesService },
): Promise<void> {
  const { contentPages } = nr;
  const manager = (request: FastifyRequest) => authorize(signedIn(request).user, 'pages.manage');

  app.get('/pages', async (request, reply) => {
    manager(request);
    const rows = (await contentPages.list()).map(
      (p) =>
        html`<li><a href="/admin/pages/${p.id}">${p.title}</a> <span class="hint">/${p.slug}${p.position > 0 ? html` · in the footer (${p.position})` : ' · not in the footer'}</span></li>`,
    );
    const main = html`<h1>Pages</h1>
<p>The site’s own pages, such as About, Contact and the corrections policy.</p>
<ul class="plain">${rows}</ul>
<p><a class="button primary" href="/admin/pages/new">New page</a></p>`;
    return render(nr, request, reply, main, { title: 'Pages', current: '/admin/pages' });
  });

  app.get('/pages/new', async (request, reply) => {
    manager(request);
    return pageForm(request, reply, undefined, {});
  });

  app.get<IdForm>('/pages/:id', idParams, async (request, reply) => {
    manager(request);
    const page = await contentPages.byId(request.params.id);
    if (!page) throw new AppError('CONTENT_PAGE_NOT_FOUND', 'no such page');
    return pageForm(request, reply, page, {});
  });

  app.post<Form>('/pages', async (request, reply) => save(request, reply, undefined));
  app.post<IdForm>('/pages/:id', idParams, async (request, reply) => save(request, reply, request.params.id));

  app.post<IdForm>('/pages/:id/delete', idParams, async (request, reply) => {
    manager(request);
    await contentPages.remove(request.params.id, { by: signedIn(request).user.id });
    return reply.redirect('/admin/pages', 303);
  });

  async function save(request: FastifyRequest<Form>, reply: FastifyReply, id: number | undefined) {
    manager(request);
    const form = request.body ?? {};
    const existing = id !== undefined ? await contentPages.byId(id) : undefined;
    if (id !== undefined && !existing) throw new AppError('CONTENT_PAGE_NOT_FOUND', 'no such page');
    try {
      const body = readBody(form, { bodyFromDoc: nr.documents.fromDoc });
      const saved = await contentPages.save(
        {
          ...(id !== undefined ? { id } : {}),
          title: form.title ?? '',
          slug: form.slug ?? '',
          body,
          position: Number.parseInt(form.position ?? '0', 10) || 0,
        },
        { by: signedIn(request).user.id },
      );
      return reply.redirect(`/admin/pages/${saved.id}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
      // What was typed is shown again: nothing is lost to a refused save.
      return pageForm(request, reply, existing, form, err);
    }
  }

  function pageForm(
    request: FastifyRequest,
    reply: FastifyReply,
    page: ContentPage | undefined,
    typed: Record<string, string | undefined>,
    error?: AppError,
  ) {
    const csrf = request.caller.csrf;
    const blocks = page?.body ?? [];
    const value = (name: 'title' | 'slug' | 'position', saved: string | undefined) => typed[name] ?? saved ?? '';
    const text = typed.body_text ?? bodyText(blocks);
    const docScript = nr.documents.scriptJson(nr.documents.toDoc(blocks));
    const action = page ? `/admin/pages/${page.id}` : '/admin/pages';
    const notice: SafeHtml | '' = error
      ? html`<div class="flash flash-error" role="alert"><p>${error.message}</p></div>`
      : (request.query as { saved?: string }).saved
        ? html`<div class="flash flash-ok" role="status"><p>Saved. Readers see it at <a href="/${page?.slug ?? ''}">/${page?.slug ?? ''}</a>.</p></div>`
        : '';
    const main = html`<h1>${page ? `Edit: ${page.title}` : 'New page'}</h1>
${notice}
<form class="article-form" method="post" action="${action}" data-article-id="page-${page?.id ?? 'new'}">${csrfField(csrf)}
${textField({ name: 'title', label: 'Title', value: value('title', page?.title), required: true, maxlength: 200 })}
${textField({ name: 'slug', label: 'Address', value: value('slug', page?.slug), maxlength: 80, hint: 'The page’s address after the site’s name, e.g. about; made from the title when empty' })}
${textField({ name: 'position', label: 'Place in the footer', value: value('position', page ? String(page.position) : '0'), type: 'number', hint: '1 first, 2 next…; 0 keeps the page out of the footer' })}
<div class="field body-field">
<div class="body-editor" data-editor data-upload-url="/admin/api/uploads">
<label for="body_text">Body</label>
<p class="hint" id="body_text-hint" data-editor-fallback>Paragraphs separated by a blank line.</p>
<textarea id="body_text" name="body_text" rows="16" aria-describedby="body_text-hint">${text}</textarea>
</div>
<script type="application/json" id="editor-doc">${raw(docScript)}</script>
</div>
<p><button type="submit" class="primary">Save the page</button></p>
</form>
${page ? actionButton(`/admin/pages/${page.id}/delete`, 'Remove the page', csrf) : ''}`;
    const { editorScriptHref, editorStylesheetHref } = nr.assets;
    return render(nr, request, reply, main, {
      title: page ? `Edit: ${page.title}` : 'New page',
      current: '/admin/pages',
      statusCode: error?.statusCode ?? 200,
      ...(editorScriptHref ? { scripts: [editorScriptHref] } : {}),
      ...(editorStylesheetHref ? { stylesheets: [editorStylesheetHref] } : {}),
    });
  }
}
