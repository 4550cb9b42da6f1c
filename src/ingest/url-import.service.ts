/**
 * Importing one article from a web page's URL: fetched through the outbound
 * HTTP module (its timeouts, size limit, redirect checks, user agent and
 * private-address guard), extracted (`src/extract/`), mapped to an
 * `ArticleInput` and saved through the article service, so an import is an
 * article like any other. The page's canonical URL is its identity: the same
 * page imported again, by the same or another address, updates its article.
 * A page with no article is refused (NO_ARTICLE_FOUND) and nothing is stored.
 */
import type { Article, ArticleInput } from '../articles/article.js';
import { findArticleIdByOrigin } from '../articles/article.repository.js';
import type { ArticleService, SavedArticle } from '../articles/article.service.js';
import type { Database } from '../db/connect.js';
import type { ExtractedArticle } from '../extract/extract.js';
import { AppError, type ErrorCode } from '../lib/errors.js';
import { type HttpClient, HttpError, type HttpErrorCode } from '../net/http-client.js';

export type ImportMode = 'draft' | 'publish';

export interface UrlImportRequest {
  url: string;
  /** Section name; default 'News'. */
  section?: string;
  /** 'draft' (default) for review, or 'publish' at once. */
  mode?: ImportMode;
  /** The newsroom user importing: a new article is theirs (they may edit it), and the save is audited. */
  by?: number;
  /**
   * Whether the caller may overwrite the article this page was imported as
   * before; refused with FORBIDDEN, before anything is saved, when not.
   * Left out (the CLI, the operator): always.
   */
  mayUpdate?: (existing: Article) => boolean;
}

export interface UrlImportResult extends SavedArticle {
  /** Where the page was fetched from, after redirects. */
  fetchedUrl: string;
  headline: string;
}

export interface UrlImportDeps {
  http: HttpClient;
  database: Database;
  articles: ArticleService;
  /** Largest page accepted; default 5 MiB (news pages with inline scripts run to 2 MB). */
  maxBytes?: number;
  /** Time budget for the fetch, redirects included; default 15 s. */
  timeoutMs?: number;
}

export interface UrlImportService {
  importUrl(request: UrlImportRequest): Promise<UrlImportResult>;
}

const HTTP_CODES: Record<HttpErrorCode, ErrorCode> = {
  HTTP_TIMEOUT: 'URL_TIMEOUT',
  HTTP_TOO_LARGE: 'URL_TOO_LARGE',
  HTTP_BLOCKED_ADDRESS: 'URL_BLOCKED',
  HTTP_NETWORK: 'URL_FETCH_FAILED',
  HTTP_BAD_URL: 'BAD_URL',
  HTTP_TOO_MANY_REDIRECTS: 'URL_FETCH_FAILED',
  HTTP_ABORTED: 'URL_FETCH_FAILED',
};

/**
 * The URL importer.
 *
 * @example
 *   const importer = createUrlImportService({ http, articles });
 *   const saved = await importer.importUrl({ url: 'https://news.example/world/talks', section: 'World', mode: 'draft' });
 *   saved.id; saved.created; // true the first time, false when the page was imported before
 */
export function createUrlImportService(deps: UrlImportDeps): UrlImportService {
  return {
    async importUrl(request) {
      const url = checkUrl(request.url);
      const page = await fetchPage(deps, url);
      // Readability and linkedom load on the first import from a URL, not in every web process.
      const { extractArticle } = await import('../extract/extract.js');
      const extracted = extractArticle(page.body, page.url);
      if (!extracted) throw new AppError('NO_ARTICLE_FOUND', `no article found at ${page.url}`);
      const input = toArticleInput(extracted, page.url, request);
      if (request.mayUpdate) {
        const found = await findArticleIdByOrigin(deps.database.db, { externalId: input.externalId as string });
        const existing = found && (await deps.articles.get(found.id));
        if (existing && !request.mayUpdate(existing))
          throw new AppError('FORBIDDEN', 'This page was imported before as an article you may not change');
      }
      const saved = await deps.articles.save(input, request.by === undefined ? {} : { by: request.by });
      return { ...saved, fetchedUrl: page.url, headline: extracted.headline };
    },
  };
}

function checkUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below, the same way as a non-http scheme
  }
  throw new AppError('BAD_URL', 'give an http:// or https:// address');
}

async function fetchPage(deps: UrlImportDeps, url: string): Promise<{ body: string; url: string }> {
  let res: Awaited<ReturnType<HttpClient['get']>>;
  try {
    res = await deps.http.get(url, {
      headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
      maxBytes: deps.maxBytes ?? 5 * 1024 * 1024,
      timeoutMs: deps.timeoutMs ?? 15_000,
    });
  } catch (err) {
    if (err instanceof HttpError) throw new AppError(HTTP_CODES[err.code], err.message, { reason: err.code });
    throw err;
  }
  if (res.status < 200 || res.status > 299)
    throw new AppError('URL_FETCH_FAILED', `the page answered ${res.status}`, { status: res.status });
  const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // No type at all is common on small servers; sniff then, else trust the header.
  const html = type ? /^(text\/html|application\/xhtml\+xml)$/.test(type) : /^\s*</.test(res.body);
  if (!html) throw new AppError('URL_NOT_HTML', `the page is ${type || 'not HTML'}, not an HTML page`, { type });
  return { body: res.body, url: res.url };
}

/**
 * The article to save: identified by the page's canonical URL (else the
 * fetched one), its original link as the source, licence unknown (none set).
 */
export function toArticleInput(a: ExtractedArticle, fetchedUrl: string, request: UrlImportRequest): ArticleInput {
  const link = a.canonicalUrl ?? fetchedUrl;
  return {
    externalId: `url:${link}`,
    headline: a.headline,
    ...(a.standfirst ? { standfirst: a.standfirst } : {}),
    body: a.body,
    ...(a.leadImage ? { leadImage: a.leadImage } : {}),
    authors: a.authors.map((name) => ({ name })),
    section: { name: request.section?.trim() || 'News' },
    tags: [],
    status: request.mode === 'publish' ? 'published' : 'draft',
    ...(a.language ? { language: a.language } : {}),
    ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}),
    ...(a.publishedDayOnly ? { publishedDayOnly: true } : {}),
    source: { name: a.siteName ?? new URL(link).hostname.replace(/^www\./, ''), url: link },
  };
}
