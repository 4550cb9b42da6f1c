/**
 * The site's own pages, for readers and for the newsroom. The footer's links
 * are kept in memory on every instance (every page shows them) and read again
 * when any instance changes a page; a change is one transaction with its
 * audit entry and a `taxonomy.changed` event, which drops every page on every
 * instance (the footer is on all of them).
 *
 * @example
 *   const pages = await createContentPagesService({ database, events, invalidator, audit, log });
 *   pages.footer(); // [{ slug: 'about', title: 'About us' }, …] from memory
 *   await pages.save({ title: 'Ethics', body: blocks, position: 4 }, { by: editor.id });
 */
import type { AuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import type { EventBus } from '../events/event-bus.js';
import { EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import { AppError } from '../lib/errors.js';
import { type ContentPage, type ContentPageInput, type ContentPageLink, pageAddress } from './content-page.js';
import { deletePage, findPage, insertPage, listPages, sectionHasSlug, updatePage } from './content-pages.repository.js';

export interface ContentPagesService {
  /** The footer's links, in order, from memory. */
  footer(): ContentPageLink[];
  /** Every page, in footer order (pages kept out of the footer last). */
  list(): Promise<ContentPage[]>;
  /** A page for readers, by its address. */
  bySlug(slug: string): Promise<ContentPage | undefined>;
  byId(id: number): Promise<ContentPage | undefined>;
  /** Creates (no id) or updates a page: INVALID_PAGE, PAGE_SLUG_TAKEN, CONTENT_PAGE_NOT_FOUND. */
  save(input: ContentPageInput, options?: { by?: number }): Promise<ContentPage>;
  remove(id: number, options?: { by?: number }): Promise<void>;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export async function createContentPagesService(deps: {
  database: Database;
  events: EventBus;
  invalidator: Invalidator;
  audit: AuditLog;
  log: Logger;
}): Promise<ContentPagesService> {
  const { database, events, audit } = deps;
  const footerOf = (pages: ContentPage[]) =>
    pages.filter((p) => p.position > 0).map((p) => ({ slug: p.slug, title: p.title }));
  let footer = footerOf(await listPages(database.db));
  const reload = async () => {
    footer = footerOf(await listPages(database.db));
  };
  deps.invalidator.subscribe((tags) => {
    if (tags.includes(EVERYTHING)) reload().catch((err: unknown) => deps.log.warn({ err }, 'could not read the pages'));
  });

  async function changed(
    id: number,
    action: string,
    by: number | undefined,
    work: (db: Database['db']) => Promise<void>,
  ) {
    const change = [{ name: 'taxonomy.changed' as const, payload: { kind: 'page' as const, id } }];
    await database.db.transaction().execute(async (trx) => {
      await work(trx);
      await audit.record(trx, { ...(by ? { actorId: by } : {}), action, subject: `page:${id}` });
      await events.record(trx, change);
    });
    await reload();
    events.committed(change);
  }

  return {
    footer: () => footer,
    list: () => listPages(database.db),
    bySlug: (slug) => findPage(database.reader, { slug }),
    byId: (id) => findPage(database.db, { id }),

    async save(input, options = {}) {
      const { title, slug } = pageAddress(input);
      const existing = input.id !== undefined ? await findPage(database.db, { id: input.id }) : undefined;
      if (input.id !== undefined && !existing) throw new AppError('CONTENT_PAGE_NOT_FOUND', `no page ${input.id}`);
      const other = await findPage(database.db, { slug });
      if (other && other.id !== input.id) throw new AppError('PAGE_SLUG_TAKEN', `another page is at /${slug}`);
      if (await sectionHasSlug(database.db, slug))
        throw new AppError('PAGE_SLUG_TAKEN', `the section /${slug} is there`);
      const row = {
        slug,
        title,
        body: input.body,
        position: Math.max(0, Math.min(1000, Math.trunc(input.position ?? existing?.position ?? 0))),
        updatedAt: new Date(),
        updatedBy: options.by ?? null,
      };
      let id = input.id ?? 0;
      await changed(id, existing ? 'page.updated' : 'page.created', options.by, async (trx) => {
        if (existing) await updatePage(trx, existing.id, row);
        else id = await insertPage(trx, row);
      }).catch((err: unknown) => {
        throw uniqueViolation(err) ? new AppError('PAGE_SLUG_TAKEN', `another page is at /${slug}`) : err;
      });
      return { id, ...row, updatedAt: row.updatedAt };
    },

    async remove(id, options = {}) {
      let found = false;
      await changed(id, 'page.removed', options.by, async (trx) => {
        found = await deletePage(trx, id);
        if (!found) throw new AppError('CONTENT_PAGE_NOT_FOUND', `no page ${id}`);
      });
    },
  };
}

/** Two editors taking one address at once: the database's unique key decides. */
function uniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
