/**
 * Sections, tags and authors, for editors and admins (`taxonomy.manage`):
 * sections named, described and ordered; tags renamed or removed; authors'
 * names, bios and photos. Lists are pages by name, so a site with a hundred
 * thousand tags still answers at once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import type { TaxonomyService } from '../articles/taxonomy.service.js';
import { AppError } from '../lib/errors.js';
import { html, type SafeHtml } from '../lib/html.js';
import { idParams, type Newsroom, render, signedIn } from './context.js';
import { actionButton, csrfField, textArea, textField } from './views/fields.js';

type Form = { Body: Record<string, string | undefined> };
type IdForm = Form & { Params: { id: number } };
type Query = { Querystring: { prefix?: string; after?: string } };

/** A name to start from, and the last one shown: as long as a name may be. */
const listQuery = {
  schema: {
    querystring: {
      type: 'object',
      properties: { prefix: { type: 'string', maxLength: 100 }, after: { type: 'string', maxLength: 200 } },
    },
  },
} as const;

export async function taxonomyRoutes(
  app: FastifyInstance,
  nr: Newsroom & { taxonomy: TaxonomyService },
): Promise<void> {
  const { taxonomy } = nr;
  const editor = (request: FastifyRequest) => authorize(signedIn(request).user, 'taxonomy.manage');
  const problem = (err: unknown): SafeHtml => {
    if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
    return html`<div class="flash flash-error" role="alert"><p>${err.message}</p></div>`;
  };

  async function sectionsPage(request: FastifyRequest, reply: FastifyReply, notice?: SafeHtml, statusCode = 200) {
    const csrf = request.caller.csrf;
    const rows = (await taxonomy.sections()).map(
      (s) => html`<li><form method="post" action="/admin/sections/${s.id}" class="row-form">${csrfField(csrf)}
${textField({ name: 'name', id: `f-section-${s.id}-name`, label: `Name (/${s.slug})`, value: s.name, required: true, maxlength: 100 })}
${textField({ name: 'description', id: `f-section-${s.id}-description`, label: `Description of ${s.name}`, value: s.description, maxlength: 500 })}
${textField({ name: 'position', id: `f-section-${s.id}-position`, label: `Order of ${s.name}`, value: String(s.position), type: 'number' })}
<button type="submit">Save</button></form>
${actionButton(`/admin/sections/${s.id}/delete`, 'Remove', csrf)}</li>`,
    );
    const main = html`<h1>Sections</h1>
${notice ?? ''}
<ul class="plain">${rows}</ul>
<h2>New section</h2>
<form method="post" action="/admin/sections" class="narrow">${csrfField(csrf)}
${textField({ name: 'name', label: 'Name', required: true, maxlength: 100 })}
${textField({ name: 'description', label: 'Description', maxlength: 500 })}
<button type="submit" class="primary">Add the section</button></form>
<p><a href="/admin/tags">Tags</a> · <a href="/admin/authors">Authors</a></p>`;
    return render(nr, request, reply, main, { title: 'Sections', current: '/admin/sections', statusCode });
  }

  app.get('/sections', async (request, reply) => {
    editor(request);
    return sectionsPage(request, reply);
  });

  app.post<Form>('/sections', async (request, reply) => {
    editor(request);
    try {
      await taxonomy.saveSection({ name: request.body.name ?? '', description: request.body.description ?? '' });
      return reply.redirect('/admin/sections', 303);
    } catch (err) {
      return sectionsPage(request, reply, problem(err), (err as AppError).statusCode);
    }
  });

  app.post<IdForm>('/sections/:id', idParams, async (request, reply) => {
    editor(request);
    const position = Number(request.body.position);
    try {
      await taxonomy.saveSection({
        id: request.params.id,
        name: request.body.name ?? '',
        description: request.body.description ?? '',
        ...(Number.isInteger(position) ? { position } : {}),
      });
      return reply.redirect('/admin/sections', 303);
    } catch (err) {
      return sectionsPage(request, reply, problem(err), (err as AppError).statusCode);
    }
  });

  app.post<IdForm>('/sections/:id/delete', idParams, async (request, reply) => {
    editor(request);
    try {
      await taxonomy.deleteSection(request.params.id);
      return reply.redirect('/admin/sections', 303);
    } catch (err) {
      return sectionsPage(request, reply, problem(err), (err as AppError).statusCode);
    }
  });

  const filterForm = (action: string, prefix: string) => html`<form method="get" action="${action}" class="filters">
${textField({ name: 'prefix', label: 'Starting with', value: prefix, type: 'search', maxlength: 100 })}<button type="submit">Show</button></form>`;

  app.get<Query>('/tags', listQuery, async (request, reply) => {
    editor(request);
    const csrf = request.caller.csrf;
    const prefix = request.query.prefix ?? '';
    const tags = await taxonomy.tags({
      prefix,
      ...(request.query.after ? { after: request.query.after } : {}),
      limit: 100,
    });
    const rows = tags.map(
      (t) => html`<li><form method="post" action="/admin/tags/${t.id}" class="row-form">${csrfField(csrf)}
${textField({ name: 'name', id: `f-tag-${t.id}`, label: `Tag /tag/${t.slug}`, value: t.name, required: true, maxlength: 100 })}<button type="submit">Rename</button></form>
${actionButton(`/admin/tags/${t.id}/delete`, 'Remove', csrf)}</li>`,
    );
    const last = tags.at(-1);
    const next =
      tags.length === 100 && last ? `/admin/tags?${new URLSearchParams({ prefix, after: last.name })}` : undefined;
    const main = html`<h1>Tags</h1>${filterForm('/admin/tags', prefix)}<ul class="plain">${rows}</ul>
${next ? html`<nav class="pager"><a href="${next}" rel="next">More tags</a></nav>` : ''}`;
    return render(nr, request, reply, main, { title: 'Tags', current: '/admin/sections' });
  });

  app.post<IdForm>('/tags/:id', idParams, async (request, reply) => {
    editor(request);
    await taxonomy.renameTag(request.params.id, request.body.name ?? '');
    return reply.redirect('/admin/tags', 303);
  });

  app.post<IdForm>('/tags/:id/delete', idParams, async (request, reply) => {
    editor(request);
    await taxonomy.deleteTag(request.params.id);
    return reply.redirect('/admin/tags', 303);
  });

  app.get<Query>('/authors', listQuery, async (request, reply) => {
    editor(request);
    const csrf = request.caller.csrf;
    const prefix = request.query.prefix ?? '';
    const authors = await taxonomy.authors({
      prefix,
      ...(request.query.after ? { after: request.query.after } : {}),
      limit: 50,
    });
    const rows = authors.map(
      (a) => html`<li><form method="post" action="/admin/authors/${a.id}" class="row-form">${csrfField(csrf)}
${textField({ name: 'name', id: `f-author-${a.id}-name`, label: `Author /author/${a.slug}`, value: a.name, required: true, maxlength: 100 })}
${textArea({ name: 'bio', id: `f-author-${a.id}-bio`, label: `Bio of ${a.name}`, value: a.bio, maxlength: 2000, rows: 2 })}
${textField({ name: 'photo', id: `f-author-${a.id}-photo`, label: `Photo of ${a.name}`, value: a.photo ?? '', hint: 'An uploaded image’s address (Upload an image, then paste it here)' })}
<button type="submit">Save</button></form></li>`,
    );
    const last = authors.at(-1);
    const next =
      authors.length === 50 && last ? `/admin/authors?${new URLSearchParams({ prefix, after: last.name })}` : undefined;
    const main = html`<h1>Authors</h1>${filterForm('/admin/authors', prefix)}<p><a href="/admin/uploads">Upload an image</a></p>
<ul class="plain">${rows}</ul>${next ? html`<nav class="pager"><a href="${next}" rel="next">More authors</a></nav>` : ''}`;
    return render(nr, request, reply, main, { title: 'Authors', current: '/admin/sections' });
  });

  app.post<IdForm>('/authors/:id', idParams, async (request, reply) => {
    editor(request);
    await taxonomy.saveAuthor({
      id: request.params.id,
      name: request.body.name ?? '',
      bio: request.body.bio ?? '',
      photo: request.body.photo ?? '',
    });
    return reply.redirect('/admin/authors', 303);
  });
}
