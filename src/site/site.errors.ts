/**
 * One error handler for the whole app: HTML for readers, JSON for APIs,
 * stable codes in both, and nothing of a 5xx's cause outside the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../lib/errors.js';
import { NO_STORE, type PageSender } from './page-response.js';
import type { Presenter } from './site.presenter.js';
import type { SiteService } from './site.service.js';
import { renderErrorPage, renderNotFoundPage } from './views/errors.view.js';

interface Deps {
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
}

interface Classified {
  statusCode: number;
  code: ErrorCode | string;
}

export function classify(error: FastifyError | AppError): Classified {
  if (error instanceof AppError) return { statusCode: error.statusCode, code: error.code };
  if ((error as FastifyError).validation) {
    // A path that does not fit a route's pattern is simply not a page here.
    const where = (error as FastifyError).validationContext;
    return where === 'params' ? { statusCode: 404, code: 'NOT_FOUND' } : { statusCode: 400, code: 'BAD_QUERY' };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500)
    return { statusCode: status, code: (error as FastifyError).code ?? 'BAD_REQUEST' };
  return { statusCode: 500, code: 'INTERNAL' };
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/healthz') || request.url.startsWith('/readyz');
}

export function registerErrorHandlers(app: FastifyInstance, deps: Deps): void {
  const { site, presenter: p, pages } = deps;

  async function notFound(request: FastifyRequest, reply: FastifyReply, code: string) {
    if (wantsJson(request))
      return reply
        .code(404)
        .header('cache-control', NO_STORE)
        .send({ error: { code, message: 'Not found' } });
    const data = await site.notFoundPage();
    const html = renderNotFoundPage({
      layout: p.layout({ title: 'Page not found', noindex: true }, data.sections),
      latest: data.latest.map(p.card),
    });
    return pages.send(request, reply, { html, statusCode: 404 });
  }

  async function plainError(request: FastifyRequest, reply: FastifyReply, statusCode: number, code: string) {
    if (wantsJson(request)) {
      const message = statusCode >= 500 ? 'Internal error' : 'Bad request';
      return reply.code(statusCode).header('cache-control', NO_STORE).send({ error: { code, message } });
    }
    // No database work here: the error may be the database itself.
    const html = renderErrorPage({
      layout: p.layout({ title: statusCode >= 500 ? 'Error' : 'Bad request', noindex: true }, []),
      status: statusCode,
    });
    return pages.send(request, reply, { html, statusCode, cacheControl: NO_STORE });
  }

  app.setNotFoundHandler((request, reply) => notFound(request, reply, 'NOT_FOUND'));

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { statusCode, code } = classify(error);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code, msg: error.message }, 'request rejected');
    if (statusCode === 404) {
      try {
        return await notFound(request, reply, code);
      } catch (err) {
        request.log.error({ err }, 'not-found page failed');
        return plainError(request, reply, 500, 'INTERNAL');
      }
    }
    return plainError(request, reply, statusCode, code);
  });
}
