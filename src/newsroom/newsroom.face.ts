/**
 * The newsroom face, under `/admin`: private pages (`private, no-store`, never
 * in any cache, `noindex`), HTML errors in the newsroom's own layout and JSON
 * errors under `/admin/api/`. Every request is resolved to its session before
 * anything else is read; a route not marked public sends anyone without one to
 * the log-in page (or answers 401 under `/admin/api/`); every state-changing
 * request must carry its CSRF token.
 *
 * @example
 *   await app.register((admin) => newsroomFace(admin, { ...newsroom, web }), { prefix: '/admin' });
 */
import { existsSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaxonomyService } from '../articles/taxonomy.service.js';
import type { ContentPagesService } from '../content-pages/content-pages.service.js';
import type { UrlImportService } from '../ingest/url-import.service.js';
import { parseCookies } from '../lib/cookies.js';
import { AppError } from '../lib/errors.js';
import type { Assets, ChromeAssets } from '../web/assets.js';
import { type Classified, type ErrorPages, htmlErrors, jsonErrors, useErrors } from '../web/errors.js';
import { registerFormParser } from '../web/forms.js';
import { PRIVATE_NO_STORE, SESSION_COOKIE } from '../web/page-response.js';
import type { Web } from '../web/web.js';
import { type AdminDeps, adminRoutes } from './admin.routes.js';
import { type ArticleRoutesDeps, articleRoutes } from './article.routes.js';
import { authRoutes } from './auth.routes.js';
import { type BreakingRoutesDeps, breakingRoutes } from './breaking.routes.js';
import { type Caller, type Newsroom, type NewsroomAssets, render } from './context.js';
import { deskRoutes } from './desk.routes.js';
import { importRoutes } from './import.routes.js';
import { type LiveRoutesDeps, liveRoutes } from './live.routes.js';
import { pagesRoutes } from './pages.routes.js';
import { peopleRoutes } from './people.routes.js';
import { checkCsrf, formToken } from './session.js';
import { type SourcesDeps, sourceRoutes } from './sources.routes.js';
import { taxonomyRoutes } from './taxonomy.routes.js';
import { type UploadsDeps, uploadRoutes } from './uploads.routes.js';
import { renderAdminError } from './views/errors.view.js';
import { type WebhooksDeps, webhookRoutes } from './webhooks.routes.js';

/** Article forms carry whole bodies; uploads have their own limit. */
const FORM_LIMIT = 2 * 1024 * 1024;

export type NewsroomFaceDeps = Newsroom &
  ArticleRoutesDeps &
  UploadsDeps &
  AdminDeps &
  LiveRoutesDeps &
  BreakingRoutesDeps &
  WebhooksDeps &
  SourcesDeps & {
    taxonomy: TaxonomyService;
    contentPages: ContentPagesService;
    urlImport: UrlImportService;
    web: Web;
  };

const isApi = (request: FastifyRequest) => request.url.startsWith('/admin/api/');

export async function newsroomFace(app: FastifyInstance, nr: NewsroomFaceDeps): Promise<void> {
  const pages: ErrorPages = {
    notFound: async (request, reply) => errorPage(request, reply, { statusCode: 404, code: 'NOT_FOUND' }),
    failed: (request, reply, error) => errorPage(request, reply, error),
  };
  const errorPage = (request: FastifyRequest, reply: FastifyReply, error: Classified) => {
    // An error before the session was read (a malformed body) still gets a page, without the navigation.
    request.caller ??= { session: undefined, token: undefined, csrf: '' };
    return render(nr, request, reply, renderAdminError(error), { title: 'Error', statusCode: error.statusCode });
  };
  const html = htmlErrors(pages);
  const json = jsonErrors();
  nr.web.face('/admin', html);
  nr.web.face('/admin/api/', json);
  useErrors(app, {
    send: (request, reply, error) => (isApi(request) ? json : html).send(request, reply, error),
  });

  registerFormParser(app, FORM_LIMIT);
  await app.register(multipart, { limits: { fileSize: nr.config.uploads.maxBytes, files: 1, fields: 10 } });
  app.decorateRequest('caller', null as unknown as Caller);

  // Who is asking, before the body is even read: nobody signed out gets to make the server parse a 2 MB form.
  app.addHook('onRequest', async (request, reply) => {
    const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    const session = token ? await nr.accounts.session(token) : undefined;
    request.caller = { session, token, csrf: formToken(request, reply, nr.accounts, session, nr.secure) };
    if (session || (request.routeOptions.config as { public?: boolean } | undefined)?.public) return;
    if (isApi(request)) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    const where = (await nr.accounts.hasUsers())
      ? `/admin/login?next=${encodeURIComponent(request.url)}`
      : '/admin/setup';
    return reply.redirect(where, 303);
  });

  // Redirects and JSON too: nothing the newsroom answers is kept by any cache or indexed.
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', PRIVATE_NO_STORE);
    reply.header('x-robots-tag', 'noindex');
  });

  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (!checkCsrf(request, nr.accounts, request.caller.session))
      throw new AppError('CSRF_INVALID', 'This form has expired: reload the page and try again');
  });

  await app.register(authRoutes, nr);
  await app.register(deskRoutes, nr);
  await app.register(articleRoutes, nr);
  await app.register(uploadRoutes, nr);
  await app.register(peopleRoutes, nr);
  await app.register(taxonomyRoutes, nr);
  await app.register(pagesRoutes, nr);
  await app.register(importRoutes, nr);
  await app.register(adminRoutes, nr);
  await app.register(webhookRoutes, nr);
  await app.register(sourceRoutes, nr);
  await app.register(liveRoutes, nr);
  await app.register(breakingRoutes, nr);
}

/**
 * The newsroom's stylesheet, and the body editor's bundle where it is built
 * (`npm run build` writes it beside the compiled code; from sources, the last
 * build's is used). Without the bundle, the editor is a plain text area.
 */
export function addNewsroomAssets(assets: Assets, chrome: ChromeAssets): NewsroomAssets {
  const own = new URL('./assets/', import.meta.url);
  const stylesheetHref = assets.add(own, 'admin', 'css', 'text/css; charset=utf-8');
  const bundles = [own, new URL('../../dist/newsroom/assets/', import.meta.url)].find((dir) =>
    existsSync(new URL('editor.js', dir)),
  );
  if (!bundles) return { stylesheetHref, iconHref: chrome.iconHref };
  return {
    stylesheetHref,
    iconHref: chrome.iconHref,
    editorScriptHref: assets.add(bundles, 'editor', 'js', 'text/javascript; charset=utf-8'),
    editorStylesheetHref: assets.add(bundles, 'editor', 'css', 'text/css; charset=utf-8'),
  };
}
