/**
 * The reader face's error pages: a 404 with the latest news, and a plain
 * page for anything else that says what went wrong in a reader's words —
 * with the site's navigation for a reader's mistake (4xx), without any
 * database work for a failure of ours (5xx: the database may be the cause).
 * An address with a trailing slash is not an error: it redirects (301) to
 * the canonical address without it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorPages } from '../web/errors.js';
import { NO_STORE, type PageSender } from '../web/page-response.js';
import type { Presenter } from './site.presenter.js';
import type { SiteService } from './site.service.js';
import { renderErrorPage, renderNotFoundPage } from './views/errors.view.js';

/**
 * The address without its trailing slashes, as a path of this site; undefined
 * when there is none to drop. Leading slashes collapse to one, so that
 * `//evil.example/` can never become a redirect to another host.
 *
 * @example
 *   withoutTrailingSlash('/world/?page=2'); // '/world?page=2'
 *   withoutTrailingSlash('/'); // undefined
 */
export function withoutTrailingSlash(url: string): string | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.length < 2 || !path.endsWith('/')) return undefined;
  const trimmed = `/${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  return `${trimmed}${q === -1 ? '' : url.slice(q)}`;
}

export function siteErrorPages(deps: {
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
  /** The new address of an imported article's old one (`src/archive/`). */
  oldPermalinks?: (url: string) => Promise<string | undefined>;
}): ErrorPages {
  const { site, presenter: p, pages } = deps;
  return {
    async notFound(request: FastifyRequest, reply: FastifyReply) {
      const read = request.method === 'GET' || request.method === 'HEAD';
      // An old permalink first: one hop to the article, not one to drop its trailing slash and a second.
      const moved = read ? await deps.oldPermalinks?.(request.url) : undefined;
      if (moved) return reply.redirect(moved, 301);
      const canonical = read ? withoutTrailingSlash(request.url) : undefined;
      if (canonical) return reply.redirect(canonical, 301);
      const data = await site.notFoundPage();
      const html = renderNotFoundPage({
        layout: p.layout({ title: 'Page not found', noindex: true }, data.sections),
        latest: data.latest.map(p.card),
      });
      return pages.send(request, reply, { html, statusCode: 404 });
    },

    async failed(request, reply, { statusCode, code }) {
      const ours = statusCode >= 500;
      const sections = ours ? [] : await site.sections().catch(() => []);
      const html = renderErrorPage({
        layout: p.layout({ title: ours ? 'Error' : 'Bad request', noindex: true }, sections),
        status: statusCode,
        code,
      });
      return pages.send(request, reply, { html, statusCode, cacheControl: NO_STORE });
    },
  };
}
