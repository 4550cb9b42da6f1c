/**
 * Errors, per face: HTML pages get HTML error pages, `/api/` gets
 * `{ error: { code, message } }`; stable codes in both, and nothing of a
 * 5xx's cause outside the log. A face installs its responder with
 * `useErrors`; errors raised before any route is found (a malformed URL, an
 * over-long path segment) reach the responder of the face whose prefix the URL
 * falls under, through `frameworkErrors` (see `web.ts`), so they too carry the
 * security headers and never echo the request.
 *
 * @example
 *   await app.register(async (api) => useErrors(api, jsonErrors()), { prefix: '/api' });
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../lib/errors.js';
import { NO_STORE } from './page-response.js';

export interface Classified {
  statusCode: number;
  code: ErrorCode | string;
}

/** The status and stable code of anything thrown while handling a request. */
export function classify(error: FastifyError | AppError): Classified {
  if (error instanceof AppError) return { statusCode: error.statusCode, code: error.code };
  if ((error as FastifyError).validation) {
    // A path that does not fit a route's pattern is simply not a page here.
    const where = (error as FastifyError).validationContext;
    return where === 'params' ? { statusCode: 404, code: 'NOT_FOUND' } : { statusCode: 400, code: 'BAD_QUERY' };
  }
  const fastifyCode = (error as FastifyError).code;
  // Router errors: a malformed percent-encoding, a path segment longer than any slug.
  if (fastifyCode === 'FST_ERR_BAD_URL') return { statusCode: 400, code: 'BAD_URL' };
  if (fastifyCode === 'FST_ERR_MAX_PARAM_LENGTH') return { statusCode: 404, code: 'NOT_FOUND' };
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return { statusCode: status, code: fastifyCode ?? 'BAD_REQUEST' };
  return { statusCode: 500, code: 'INTERNAL' };
}

/** How one face answers a failed request. */
export interface ErrorResponder {
  send(request: FastifyRequest, reply: FastifyReply, error: Classified): Promise<FastifyReply> | FastifyReply;
}

const MESSAGES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  409: 'Conflict',
  500: 'Internal error',
};

/** `{ error: { code, message } }`, never stored by any cache. */
export function jsonErrors(): ErrorResponder {
  return {
    send(_request, reply, { statusCode, code }) {
      const message = MESSAGES[statusCode] ?? (statusCode >= 500 ? 'Internal error' : 'Bad request');
      return reply.code(statusCode).header('cache-control', NO_STORE).send({ error: { code, message } });
    },
  };
}

/**
 * An HTML face's error pages: `notFound` may read content (the latest news);
 * `failed` must not touch the database (the error may be the database).
 */
export interface ErrorPages {
  notFound(request: FastifyRequest, reply: FastifyReply, code: string): Promise<FastifyReply>;
  failed(request: FastifyRequest, reply: FastifyReply, error: Classified): Promise<FastifyReply> | FastifyReply;
}

export function htmlErrors(pages: ErrorPages): ErrorResponder {
  return {
    async send(request, reply, error) {
      if (error.statusCode !== 404) return pages.failed(request, reply, error);
      try {
        return await pages.notFound(request, reply, error.code);
      } catch (err) {
        request.log.error({ err }, 'not-found page failed');
        return pages.failed(request, reply, { statusCode: 500, code: 'INTERNAL' });
      }
    },
  };
}

/**
 * Installs a face's responder for its errors and (unless `notFound: false`,
 * for a face that shares its prefix with another) for unknown URLs under its
 * prefix.
 */
export function useErrors(
  face: FastifyInstance,
  responder: ErrorResponder,
  options: { notFound?: boolean } = {},
): void {
  if (options.notFound ?? true)
    face.setNotFoundHandler((request, reply) => responder.send(request, reply, { statusCode: 404, code: 'NOT_FOUND' }));
  face.setErrorHandler((error: FastifyError, request, reply) => {
    const classified = classify(error);
    logError(request, error, classified);
    return responder.send(request, reply, classified);
  });
}

export function logError(request: FastifyRequest, error: unknown, { statusCode, code }: Classified): void {
  if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ code, msg: (error as Error).message }, 'request rejected');
}
