/**
 * Writing and moving articles: the editor (new and existing), saving by form
 * or by the editor's autosave (JSON), the workflow's actions, preview,
 * history, comparison and restore. Each route asks the policy first
 * (`accounts/policy.ts`), then calls one command of the article service; a
 * stale version or a refused transition comes back to the editor with its
 * text intact.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, can } from '../accounts/policy.js';
import { type Article, type ArticleInput, type Block, bodyText, workflowState } from '../articles/article.js';
import type { SavedArticle } from '../articles/article.service.js';
import { listSections } from '../articles/taxonomy.repository.js';
import { AppError } from '../lib/errors.js';
import { localTime } from '../lib/time.js';
import { readArticleForm } from './article-form.js';
import { ID_SCHEMA, idFromQuery, idParams, type Newsroom, render, signedIn } from './context.js';
import { STATE_LABELS, targetOf } from './states.js';
import type { FlashVM } from './views/admin-layout.js';
import { type EditorVM, renderEditor } from './views/editor.view.js';
import { renderHistory } from './views/history.view.js';

type Id = { Params: { id: number } };

/** A refused save's body, to show again: its blocks, and the text exactly as typed when it came from the plain field. */
interface Kept {
  body: Block[];
  text?: string;
}

const kept = (form: Record<string, string | undefined>, input: ArticleInput): Kept =>
  !form.body_doc?.trim() && typeof form.body_text === 'string'
    ? { body: input.body, text: form.body_text }
    : { body: input.body };
type Form = { Body: Record<string, string | undefined> };

export interface ArticleRoutesDeps {
  /** The article page as readers will see it, rendered by the reader site's own views. */
  preview(id: number): Promise<string>;
  /** The reader site's address of a published article. */
  publicPath(article: Article): string | undefined;
  /** The local images of this content whose file is missing (readers do not see them), in an editor's words. */
  missingImages(content: Pick<Article, 'leadImage' | 'body'>): Promise<{ message: string }[]>;
}

export async function articleRoutes(app: FastifyInstance, nr: Newsroom & ArticleRoutesDeps): Promise<void> {
  const { articles } = nr;
  const formContext = {
    get timeZone() {
      return nr.settings.current().timeZone;
    },
    language: nr.config.language,
    bodyFromDoc: (json: unknown) => nr.documents.fromDoc(json),
  };

  async function load(id: number): Promise<Article> {
    const article = await articles.get(id);
    if (!article) throw new AppError('ARTICLE_NOT_FOUND', 'no such article');
    return article;
  }

  function valuesOf(a: Article): Record<string, string> {
    return {
      headline: a.headline,
      standfirst: a.standfirst,
      section: a.section.name,
      dateline_place: a.datelinePlace ?? '',
      authors: a.authors.map((x) => x.name).join(', '),
      tags: a.tags.map((x) => x.name).join(', '),
      lead_src: a.leadImage?.src ?? '',
      lead_alt: a.leadImage?.alt ?? '',
      lead_caption: a.leadImage?.caption ?? '',
      lead_credit: a.leadImage?.credit ?? '',
      lead_width: a.leadImage?.width ? String(a.leadImage.width) : '',
      lead_height: a.leadImage?.height ? String(a.leadImage.height) : '',
      embargo_until: a.embargoUntil ? localTime(a.embargoUntil, nr.settings.current().timeZone) : '',
      slug: a.slug,
      language: a.language,
    };
  }

  async function editor(
    request: FastifyRequest,
    reply: FastifyReply,
    article: Article | undefined,
    state: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      /** The writer's body as they sent it (a refused save): shown instead of the stored one. */
      kept?: Kept;
      statusCode?: number;
      flash?: string;
    },
  ) {
    const { user } = signedIn(request);
    const target = article && targetOf(article);
    const allowed = (action: Parameters<typeof can>[1]) => !!target && can(user, action, target);
    const blocks = state.kept?.body ?? article?.body ?? [];
    const vm: EditorVM = {
      ...(article
        ? {
            article: {
              id: article.id,
              state: workflowState(article),
              stateLabel: STATE_LABELS[workflowState(article)],
              version: article.version,
              updatedAtIso: article.updatedAt.toISOString(),
              ...(article.reviewNote ? { reviewNote: article.reviewNote } : {}),
              ...(article.status === 'published' && nr.publicPath(article)
                ? { publicHref: nr.publicPath(article)! }
                : {}),
            },
          }
        : {}),
      values: state.values ?? (article ? valuesOf(article) : { language: nr.config.language }),
      errors: state.errors ?? {},
      sections: (await listSections(nr.database.db)).map((s) => ({ value: s.name, label: s.name })),
      docScript: nr.documents.scriptJson(nr.documents.toDoc(blocks)),
      bodyText: state.kept?.text ?? bodyText(blocks),
      actions: {
        submit: allowed('article.submit') && ['draft', 'sent_back', 'unpublished'].includes(workflowState(article!)),
        approve: allowed('article.approve') && workflowState(article!) === 'in_review',
        sendBack: allowed('article.sendBack') && workflowState(article!) === 'in_review',
        publish: allowed('article.publish') && article?.status !== 'published',
        schedule: allowed('article.schedule') && article?.status !== 'published' && article?.status !== 'archived',
        unpublish: allowed('article.unpublish') && (article?.status === 'published' || article?.status === 'scheduled'),
        archive: allowed('article.archive') && article?.status !== 'archived',
        note: allowed('article.correct') && !!article?.firstPublishedAt,
      },
      csrf: request.caller.csrf,
      timeZone: nr.settings.current().timeZone,
    };
    const { editorScriptHref, editorStylesheetHref } = nr.assets;
    const missing = article ? await nr.missingImages({ leadImage: article.leadImage, body: article.body }) : [];
    const flash: FlashVM[] = [
      ...(state.flash ? [{ kind: state.statusCode ? ('error' as const) : ('ok' as const), text: state.flash }] : []),
      ...missing.map((m) => ({
        kind: 'error' as const,
        text: `Readers do not see this image: ${m.message}. Upload it again.`,
      })),
    ];
    return render(nr, request, reply, renderEditor(vm), {
      title: article ? `Edit: ${article.headline}` : 'New article',
      current: article ? '/admin' : '/admin/articles/new',
      ...(editorScriptHref ? { scripts: [editorScriptHref] } : {}),
      ...(editorStylesheetHref ? { stylesheets: [editorStylesheetHref] } : {}),
      statusCode: state.statusCode ?? 200,
      ...(flash.length ? { flash } : {}),
    });
  }

  const saved = (request: FastifyRequest) => (request.query as { saved?: string }).saved;

  app.get('/articles/new', async (request, reply) => {
    authorize(signedIn(request).user, 'article.create');
    return editor(request, reply, undefined, {});
  });

  app.post<Form>('/articles', async (request, reply) => {
    const { user } = signedIn(request);
    authorize(user, 'article.create');
    const form = readArticleForm(request.body, 'draft', formContext);
    if (Object.keys(form.errors).length)
      return editor(request, reply, undefined, {
        values: request.body as Record<string, string>,
        errors: form.errors,
        kept: kept(request.body, form.input),
        statusCode: 422,
      });
    try {
      const { id } = await articles.create(form.input, { by: user.id });
      return reply.redirect(`/admin/articles/${id}?saved=created`, 303);
    } catch (err) {
      return refused(request, reply, undefined, err, form.input);
    }
  });

  app.get<Id>('/articles/:id', idParams, async (request, reply) => {
    const article = await load(request.params.id);
    authorize(signedIn(request).user, 'article.viewHistory', targetOf(article));
    const flash = { created: 'Created.', saved: 'Saved.', done: 'Done.' }[saved(request) ?? ''];
    return editor(request, reply, article, flash ? { flash } : {});
  });

  /** A save or an action the service refused: back to the editor, the writer's text kept, the reason said. */
  async function refused(
    request: FastifyRequest,
    reply: FastifyReply,
    article: Article | undefined,
    err: unknown,
    input?: ArticleInput,
  ) {
    if (!(err instanceof AppError)) throw err;
    const reasons: Partial<Record<string, string>> = {
      VERSION_CONFLICT:
        'Someone else saved this article since you opened it. Your text is below: compare it with theirs in History before saving again.',
      EMBARGOED: 'This article is under embargo: it cannot be published, or scheduled, before then.',
      INVALID_TRANSITION: 'That step is not possible for this article now: it may have moved on meanwhile.',
      INVALID_ARTICLE: `It cannot be saved like this: ${err.message}.`,
      INVALID_DOCUMENT: `The body could not be read: ${err.message}.`,
      DUPLICATE_ARTICLE: 'An article with this external id exists already.',
    };
    const reason = reasons[err.code];
    if (!reason) throw err;
    const body = request.body as Record<string, string>;
    return editor(request, reply, article, {
      ...(input ? { values: { ...body }, kept: kept(body, input) } : {}),
      statusCode: err.statusCode,
      flash: reason,
    });
  }

  app.post<Id & Form>('/articles/:id', idParams, async (request, reply) => {
    const { user } = signedIn(request);
    const article = await load(request.params.id);
    authorize(user, 'article.edit', targetOf(article));
    const form = readArticleForm(request.body, article.status, formContext);
    if (Object.keys(form.errors).length)
      return editor(request, reply, article, {
        values: request.body as Record<string, string>,
        errors: form.errors,
        kept: kept(request.body, form.input),
        statusCode: 422,
      });
    try {
      await articles.update(article.id, form.input, { expectedVersion: form.version ?? article.version, by: user.id });
      return reply.redirect(`/admin/articles/${article.id}?saved=saved`, 303);
    } catch (err) {
      return refused(request, reply, await load(article.id), err, form.input);
    }
  });

  /** The editor's autosave: JSON in, the new version out; 409 when someone else saved in between. */
  app.put<Id & { Body: { version?: number; fields?: Record<string, string | string[]>; body_doc?: unknown } }>(
    '/api/articles/:id',
    {
      schema: {
        ...idParams.schema,
        body: {
          type: 'object',
          required: ['version', 'fields'],
          properties: {
            version: { type: 'integer', minimum: 1 },
            fields: {
              type: 'object',
              additionalProperties: {
                anyOf: [
                  { type: 'string', maxLength: 100_000 },
                  { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100_000 } },
                ],
              },
            },
            body_doc: {},
          },
        },
      },
    },
    async (request, reply) => {
      const { user } = signedIn(request);
      const article = await load(request.params.id);
      authorize(user, 'article.edit', targetOf(article));
      const { version, fields = {}, body_doc } = request.body;
      const doc = typeof body_doc === 'string' ? body_doc : body_doc === undefined ? '' : JSON.stringify(body_doc);
      // A form field given twice arrives as a list: the first value, as a form post would be read.
      const flat = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const form = readArticleForm({ ...flat, body_doc: doc }, article.status, formContext);
      if (Object.keys(form.errors).length)
        throw new AppError('INVALID_ARTICLE', Object.values(form.errors).join('; '), { fields: form.errors });
      const result = await articles.update(article.id, form.input, { expectedVersion: version!, by: user.id });
      return reply
        .header('cache-control', 'private, no-store')
        .send({ version: result.version, savedAt: new Date().toISOString() });
    },
  );

  type Action = (article: Article, body: Record<string, string | undefined>, by: number) => Promise<SavedArticle>;
  const version = (body: Record<string, string | undefined>) => {
    const v = Number(body.version);
    return Number.isInteger(v) && v > 0 ? { expectedVersion: v } : {};
  };
  const actions: Record<string, [Parameters<typeof can>[1], Action]> = {
    submit: ['article.submit', (a, b, by) => articles.submit(a.id, { ...version(b), by })],
    approve: ['article.approve', (a, b, by) => articles.approve(a.id, { ...version(b), by })],
    'send-back': [
      'article.sendBack',
      (a, b, by) => articles.sendBack(a.id, { ...version(b), by, comment: b.comment ?? '' }),
    ],
    publish: ['article.publish', (a, b, by) => articles.publish(a.id, { ...version(b), by })],
    unpublish: ['article.unpublish', (a, b, by) => articles.unpublish(a.id, { ...version(b), by })],
    archive: ['article.archive', (a, b, by) => articles.archive(a.id, { ...version(b), by })],
    schedule: [
      'article.schedule',
      async (a, b, by) => {
        const at = readArticleForm({ embargo_until: b.at ?? '' }, 'draft', formContext).input.embargoUntil;
        if (!at) throw new AppError('INVALID_ARTICLE', 'give the date and time to publish at');
        return articles.schedule(a.id, at, { ...version(b), by });
      },
    ],
    notes: [
      'article.correct',
      (a, b, by) =>
        articles.addNote(
          a.id,
          { kind: b.kind === 'update' ? 'update' : 'correction', text: b.text ?? '' },
          { ...version(b), by },
        ),
    ],
  };

  app.post<{ Params: { id: number; action: string } } & Form>(
    '/articles/:id/:action',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id', 'action'],
          properties: {
            id: ID_SCHEMA,
            action: { type: 'string', enum: Object.keys(actions) },
          },
        },
      },
    },
    async (request, reply) => {
      const { user } = signedIn(request);
      const article = await load(request.params.id);
      const [permission, run] = actions[request.params.action]!;
      authorize(user, permission, targetOf(article));
      try {
        await run(article, request.body, user.id);
        return reply.redirect(`/admin/articles/${article.id}?saved=done`, 303);
      } catch (err) {
        return refused(request, reply, await load(article.id), err);
      }
    },
  );

  app.get<Id>('/articles/:id/preview', idParams, async (request, reply) => {
    const article = await load(request.params.id);
    authorize(signedIn(request).user, 'article.viewHistory', targetOf(article));
    // The reader site's page, sent as the newsroom's pages are: private, never stored, never indexed.
    return nr.pages.send(request, reply, { html: await nr.preview(article.id), statusCode: 200 });
  });

  app.get<Id & { Querystring: { from?: string; to?: string } }>(
    '/articles/:id/history',
    idParams,
    async (request, reply) => {
      const { user } = signedIn(request);
      const article = await load(request.params.id);
      authorize(user, 'article.viewHistory', targetOf(article));
      const revisions = await articles.history(article.id);
      const people = new Map((await nr.accounts.listUsers()).map((u) => [u.id, u.name]));
      const from = idFromQuery(request.query.from) ?? 0;
      const to: number | 'current' =
        request.query.to === 'current' || request.query.to === undefined
          ? 'current'
          : (idFromQuery(request.query.to) ?? 0);
      const comparing = Number.isInteger(from) && from > 0 && (to === 'current' || (Number.isInteger(to) && to > 0));
      const diff = comparing ? await articles.compare(article.id, from, to) : undefined;
      const vm = {
        articleId: article.id,
        headline: article.headline,
        version: article.version,
        rows: revisions.map((r) => ({
          id: r.id,
          version: r.version,
          saved: { iso: r.savedAt.toISOString(), text: nr.clock.format(r.savedAt) },
          savedBy: r.savedBy === undefined ? 'an import or the system' : (people.get(r.savedBy) ?? `user ${r.savedBy}`),
          stateLabel: STATE_LABELS[r.status === 'draft' ? 'draft' : r.status],
          headline: r.headline,
        })),
        ...(comparing ? { from, to, diff } : {}),
        canRestore: can(user, 'article.restoreRevision', targetOf(article)),
        csrf: request.caller.csrf,
      };
      return render(nr, request, reply, renderHistory(vm), {
        title: `History: ${article.headline}`,
        current: '/admin',
      });
    },
  );

  app.post<{ Params: { id: number; revision: number } } & Form>(
    '/articles/:id/restore/:revision',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id', 'revision'],
          properties: { id: ID_SCHEMA, revision: ID_SCHEMA },
        },
      },
    },
    async (request, reply) => {
      const { user } = signedIn(request);
      const article = await load(request.params.id);
      authorize(user, 'article.restoreRevision', targetOf(article));
      try {
        await articles.restore(article.id, request.params.revision, { ...version(request.body), by: user.id });
        return reply.redirect(`/admin/articles/${article.id}?saved=done`, 303);
      } catch (err) {
        return refused(request, reply, await load(article.id), err);
      }
    },
  );
}
