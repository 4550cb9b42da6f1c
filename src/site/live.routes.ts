/**
 * The reader's live pages, a plugin of the reader face:
 * - `/live/<id>-<slug>`: the newest updates (a short shared-cache life: it
 *   changes with every entry, and every change drops it from the page cache);
 * - `/live/<id>-<slug>/older/<entry id>`: the updates before that entry, an
 *   address that never moves as entries arrive (ten minutes in shared caches).
 * Both are kept in the page cache under `live:<id>`, dropped on each change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import { liveTag } from '../live/live.effects.js';
import { type Coverage, type Entry, entryAnchor, entryText, livePath } from '../live/live.js';
import type { LiveService } from '../live/live.service.js';
import type { PageSender } from '../web/page-response.js';
import { liveBlogPosting } from './live-structured-data.js';
import { type Presenter, shareLinks } from './site.presenter.js';
import type { SiteService } from './site.service.js';
import { jsonLdScript } from './structured-data.js';
import { type LiveEntryVM, renderLiveEntry, renderLivePage } from './views/live.view.js';

export interface LiveSiteDeps {
  live: LiveService;
  site: SiteService;
  presenter: Presenter;
  pages: PageSender;
  clock: Clock;
  siteUrl: string;
  siteName: () => string;
  /** The live page's script (`assets/live.js`). */
  scriptHref?: string;
}

/** The polling fallback's time bucket, in seconds: readers in one bucket share one cached answer. */
export const POLL_SECONDS = 10;
export const pollBucket = (ms: number): number => Math.floor(ms / 1000 / POLL_SECONDS);

/** Entries on one page. */
export const LIVE_PAGE_SIZE = 20;
/**
 * Older pages change only with a correction or a deletion, which drops them from the page cache at once
 * but not from nginx's or a CDN's: ten minutes bounds how long a shared cache may show a corrected entry.
 */
const OLDER_CACHE_CONTROL = 'public, max-age=60, s-maxage=600';

const keyParam = { type: 'string', pattern: '^[1-9][0-9]{0,9}(-[a-z0-9-]{0,200})?$' } as const;
const idParam = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } as const;

type Params = { Params: { key: string; before?: string } };

/** The page that starts with an entry: stable for as long as the entry exists. */
export const entryPath = (c: Pick<Coverage, 'id' | 'slug'>, entryId: number): string =>
  `${livePath(c)}/older/${entryId + 1}#${entryAnchor(entryId)}`;

export async function liveSiteRoutes(app: FastifyInstance, deps: LiveSiteDeps): Promise<void> {
  const { live, presenter: p, pages, clock } = deps;
  const absolute = (path: string) => `${deps.siteUrl}${path}`;

  /** An entry as views show it; `hrefOf` says where the entry is (on this page, or the older page holding it). */
  const toEntryVM =
    (coverage: Coverage, hrefOf: (e: Entry) => string) =>
    (e: Entry): LiveEntryVM => {
      const permalink = absolute(entryPath(coverage, e.id));
      return {
        id: e.id,
        anchor: entryAnchor(e.id),
        href: hrefOf(e),
        time: { iso: e.postedAt.toISOString(), text: clock.format(e.postedAt) },
        authors: e.authors.join(', '),
        ...(e.keyEvent ? { keyEvent: e.keyEvent } : {}),
        ...(e.correction ? { correction: e.correction } : {}),
        body: p.blocks(e.body),
        share: shareLinks(permalink, `${coverage.headline}: ${entryText(e.body, 100)}`),
      };
    };

  async function show(request: FastifyRequest<Params>, reply: FastifyReply, before: number | undefined) {
    const id = Number.parseInt(request.params.key, 10);
    const coverage = id <= 2 ** 31 - 1 ? await live.coverage(id) : undefined;
    if (!coverage) throw new AppError('LIVE_COVERAGE_NOT_FOUND', 'no such live coverage');
    const base = livePath(coverage);
    const path = before !== undefined ? `${base}/older/${before}` : base;
    if (request.url.split('?')[0] !== path) return reply.redirect(path, 301);

    const [page, pinned, keyEvents, sections] = await Promise.all([
      live.page(coverage.id, { limit: LIVE_PAGE_SIZE, ...(before !== undefined ? { before } : {}) }),
      before === undefined ? live.pinned(coverage.id) : undefined,
      live.keyEvents(coverage.id),
      deps.site.sections(),
    ]);
    if (before !== undefined && page.entries.length === 0) throw new AppError('PAGE_OUT_OF_RANGE', 'no older updates');
    const onPage = new Set(page.entries.map((e) => e.id));
    const hrefOf = (e: Entry) => (onPage.has(e.id) ? `#${entryAnchor(e.id)}` : entryPath(coverage, e.id));
    const entryVM = toEntryVM(coverage, hrefOf);
    const layout = p.layout(
      {
        title: before !== undefined ? `${coverage.headline} (older updates)` : coverage.headline,
        description: coverage.standfirst || coverage.headline,
        path,
      },
      sections,
    );
    if (deps.scriptHref && before === undefined && coverage.status === 'live')
      layout.scripts = [...(layout.scripts ?? []), deps.scriptHref];
    const jsonLd = jsonLdScript([
      liveBlogPosting(coverage, page.entries, {
        siteUrl: deps.siteUrl,
        siteName: deps.siteName(),
        logoUrl: p.logoUrl(),
        canonicalUrl: absolute(path),
        permalink: (e) => absolute(entryPath(coverage, e.id)),
      }),
    ]);
    const html = renderLivePage({
      layout,
      coverageId: coverage.id,
      headline: coverage.headline,
      standfirst: coverage.standfirst,
      status: coverage.status,
      started: { iso: coverage.startedAt.toISOString(), text: clock.format(coverage.startedAt) },
      ...(pinned ? { pinned: entryVM(pinned) } : {}),
      keyEvents: keyEvents.map((e) => ({ label: e.keyEvent ?? '', href: hrefOf(e) })),
      entries: page.entries.map(entryVM),
      ...(before === undefined && page.entries[0] ? { newestId: page.entries[0].id } : {}),
      ...(page.older ? { older: `${base}/older/${page.older}` } : {}),
      ...(before !== undefined ? { newer: base } : {}),
      jsonLd,
    });
    return pages.send(request, reply, {
      html,
      tags: [liveTag(coverage.id)],
      ...(before !== undefined ? { cacheControl: OLDER_CACHE_CONTROL } : {}),
    });
  }

  app.get<Params>(
    '/live/:key',
    { schema: { params: { type: 'object', properties: { key: keyParam } } } },
    (request, reply) => show(request, reply, undefined),
  );
  /**
   * The polling fallback and the script's source of new entries: the newest
   * entries as HTML fragments, at an address named by a ten-second bucket of
   * the reader's clock, so that every reader in that bucket asks for the same
   * URL and nginx or a CDN answers all but the first. A bucket too far from
   * the server's clock redirects to the current one.
   */
  app.get<{ Params: { key: string; bucket: string } }>(
    '/live/:key/updates/:bucket',
    { schema: { params: { type: 'object', properties: { key: idParam, bucket: idParam } } } },
    async (request, reply) => {
      const id = Number(request.params.key);
      const coverage = id <= 2 ** 31 - 1 ? await live.coverage(id) : undefined;
      if (!coverage) throw new AppError('LIVE_COVERAGE_NOT_FOUND', 'no such live coverage');
      const current = pollBucket(Date.now());
      const bucket = Number(request.params.bucket);
      if (bucket < current - 6 || bucket > current + 1) {
        return reply.header('cache-control', 'public, max-age=5').redirect(`/live/${id}/updates/${current}`, 302);
      }
      const page = await live.page(id, { limit: LIVE_PAGE_SIZE });
      const entryVM = toEntryVM(coverage, (e) => `#${entryAnchor(e.id)}`);
      const body = {
        status: coverage.status,
        entries: page.entries.map((e) => ({ id: e.id, html: String(renderLiveEntry(entryVM(e))) })),
      };
      return pages.send(request, reply, {
        html: JSON.stringify(body),
        contentType: 'application/json; charset=utf-8',
        cacheControl: `public, max-age=${POLL_SECONDS}, s-maxage=${POLL_SECONDS}`,
        tags: [liveTag(coverage.id)],
      });
    },
  );

  app.get<Params>(
    '/live/:key/older/:before',
    { schema: { params: { type: 'object', properties: { key: keyParam, before: idParam } } } },
    (request, reply) => show(request, reply, Number(request.params.before)),
  );
}
