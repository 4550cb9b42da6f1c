/**
 * What every newsroom route shares: the services, the face's page sender
 * (private: never stored by any cache), and `render`, which wraps a page's
 * main content in the newsroom's layout for whoever is signed in.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../accounts/account.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import { can } from '../accounts/policy.js';
import type { Block } from '../articles/article.js';
import type { ArticleService } from '../articles/article.service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { SafeHtml } from '../lib/html.js';
import type { Clock } from '../lib/time.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { PageSender } from '../web/page-response.js';
import { type FlashVM, renderAdminPage } from './views/admin-layout.js';

export interface NewsroomAssets {
  stylesheetHref: string;
  iconHref: string;
  /** The body editor's script and stylesheet (absent where the editor is not built). */
  editorScriptHref?: string;
  editorStylesheetHref?: string;
}

/** The body editor's document format: what the editor script loads and posts. */
export interface EditorDocuments {
  toDoc(blocks: Block[]): unknown;
  /** Validated and sanitized; throws AppError('INVALID_DOCUMENT'). */
  fromDoc(json: unknown): Block[];
  /** A document as JSON safe inside a `<script>` element. */
  scriptJson(doc: unknown): string;
}

export interface NewsroomServices {
  config: Config;
  database: Database;
  accounts: AccountsService;
  articles: ArticleService;
  /** The site's settings: its name and time zone, as an admin last set them. */
  settings: SettingsService;
}

export interface Newsroom extends NewsroomServices {
  documents: EditorDocuments;
  pages: PageSender;
  assets: NewsroomAssets;
  clock: Clock;
  /** The site is served over https: cookies are Secure. */
  secure: boolean;
}

/** What the face's hook found out about a request. */
export interface Caller {
  session: Session | undefined;
  /** The session cookie's token, as sent (to log it out). */
  token: string | undefined;
  /** The token this request's forms must carry. */
  csrf: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** Open to people not signed in (log in, set up, accept an invitation, reset a password). */
    public?: boolean;
  }
}

export const NAV = [
  { href: '/admin', label: 'Articles', needs: 'article.create' },
  { href: '/admin/articles/new', label: 'New article', needs: 'article.create' },
  { href: '/admin/uploads', label: 'Upload an image', needs: 'article.create' },
  { href: '/admin/import', label: 'Import a page', needs: 'article.create' },
  { href: '/admin/live', label: 'Live coverage', needs: 'live.post' },
  { href: '/admin/breaking', label: 'Breaking news', needs: 'breaking.flag' },
  { href: '/admin/sections', label: 'Sections and tags', needs: 'taxonomy.manage' },
  { href: '/admin/pages', label: 'Pages', needs: 'pages.manage' },
  { href: '/admin/users', label: 'People', needs: 'users.manage' },
  { href: '/admin/settings', label: 'Settings', needs: 'settings.manage' },
  { href: '/admin/webhooks', label: 'Webhooks', needs: 'webhooks.manage' },
  { href: '/admin/sources', label: 'Feed sources', needs: 'sources.manage' },
  { href: '/admin/audit', label: 'Audit log', needs: 'audit.view' },
  { href: '/admin/account', label: 'Your account', needs: undefined },
] as const;

export interface RenderOptions {
  title: string;
  /** The nav item this page belongs to. */
  current?: string;
  flash?: FlashVM[];
  statusCode?: number;
  scripts?: string[];
  stylesheets?: string[];
}

export function render(
  nr: Newsroom,
  request: FastifyRequest,
  reply: FastifyReply,
  main: SafeHtml,
  options: RenderOptions,
): FastifyReply {
  const { session, csrf } = request.caller;
  const user = session?.user;
  const html = renderAdminPage(
    {
      siteName: nr.settings.current().siteName,
      title: options.title,
      language: nr.config.language,
      stylesheetHref: nr.assets.stylesheetHref,
      iconHref: nr.assets.iconHref,
      ...(options.scripts ? { scripts: options.scripts } : {}),
      ...(options.stylesheets ? { stylesheets: options.stylesheets } : {}),
      ...(user ? { user: { name: user.name, role: user.role } } : {}),
      csrf,
      nav: NAV.filter((item) => item.needs === undefined || can(user, item.needs)).map(({ href, label }) => ({
        href,
        label,
      })),
      ...(options.current ? { current: options.current } : {}),
      ...(options.flash ? { flash: options.flash } : {}),
    },
    main,
  );
  return nr.pages.send(request, reply, { html, statusCode: options.statusCode ?? 200 });
}

/** The signed-in session; the face's hook has already sent anyone else to the log-in page. */
export function signedIn(request: FastifyRequest): Session {
  const session = request.caller.session;
  if (!session) throw new Error('a newsroom route ran without a session');
  return session;
}

/** The client's address for the audit log and the login limits (behind a proxy: the one TRUST_PROXY allows). */
export const ipOf = (request: FastifyRequest) => ({ ip: request.ip });

/** The largest row id (PostgreSQL `integer`): a larger number in an address names nothing. */
export const ID_MAX = 2_147_483_647;
export const ID_SCHEMA = { type: 'integer', minimum: 1, maximum: ID_MAX } as const;

/** A route whose path has one `:id`. */
export const idParams = {
  schema: { params: { type: 'object', required: ['id'], properties: { id: ID_SCHEMA } } },
} as const;

/** A row id from a query parameter, or undefined when it is not one. */
export function idFromQuery(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= ID_MAX ? n : undefined;
}
