/**
 * Live coverage's one door: coverages and their entries, for the newsroom
 * and for readers. Every change is one transaction with its audit entry and a
 * `live.changed` event (the page cache and the streams of every instance
 * follow it, see `live.effects.ts`). Entries are independent rows, so editors
 * posting at once never conflict. Who may do what is `accounts/policy.ts`'s
 * answer: a contributor's entry waits for review; an ended coverage is locked.
 *
 * @example
 *   const live = createLiveService({ database, events, audit, articles });
 *   const c = await live.createCoverage({ headline: 'Storm makes landfall' }, editor);
 *   const e = await live.post(c.id, { body: [{ type: 'paragraph', html: 'Winds at 200 km/h.' }] }, editor);
 *   await live.pin(e.id, true, editor);
 *   await live.setStatus(c.id, 'ended', editor); // locked from now on
 */
import type { Kysely } from 'kysely';
import type { PolicyUser } from '../accounts/policy.js';
import { authorize, can } from '../accounts/policy.js';
import type { Block } from '../articles/article.js';
import type { ArticleService } from '../articles/article.service.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import { type Invalidator, untilInvalidated } from '../instances/invalidation.js';
import { AppError } from '../lib/errors.js';
import { escapeHtml } from '../lib/html.js';
import { slugify } from '../lib/slug.js';
import {
  boundedText,
  COVERAGE_STATES,
  type Coverage,
  type CoverageInput,
  type CoverageStatus,
  type Entry,
  entryAnchor,
  entryBody,
  entryText,
  LIMITS,
  livePath,
} from './live.js';
import * as repo from './live.repository.js';

/** Who acts: a newsroom user (the policy decides) with the name shown on their entries. */
export type LiveActor = PolicyUser & { name: string };

export interface EntryPage {
  /** Newest first. */
  entries: Entry[];
  /** The id to pass as `before` for older updates; undefined on the last page. */
  older?: number;
}

export interface LiveService {
  createCoverage(input: CoverageInput, actor: LiveActor): Promise<Coverage>;
  /** live ↔ paused, or ended (final): LIVE_ENDED once ended. */
  setStatus(id: number, status: CoverageStatus, actor: LiveActor): Promise<Coverage>;
  coverage(id: number): Promise<Coverage | undefined>;
  coverages(options?: { status?: CoverageStatus; limit?: number }): Promise<Coverage[]>;
  /** The coverage, still live, of one of these articles' story: their pages link to it. */
  liveFor(articleIds: number[]): Promise<Coverage | undefined>;
  /** Posts an entry: published, or in review for a contributor. */
  post(coverageId: number, input: { body: Block[]; authors?: string[] }, actor: LiveActor): Promise<Entry>;
  approve(entryId: number, actor: LiveActor): Promise<Entry>;
  /** Pins an entry (unpinning the coverage's other one), or unpins it. */
  pin(entryId: number, pinned: boolean, actor: LiveActor): Promise<Entry>;
  /** Marks a key event with a short label, or unmarks it (null). */
  keyEvent(entryId: number, label: string | null, actor: LiveActor): Promise<Entry>;
  /** Replaces the body and shows the note beside it. */
  correct(entryId: number, input: { body: Block[]; note: string }, actor: LiveActor): Promise<Entry>;
  /** Takes an entry off the page; the audit log keeps what it said. */
  remove(entryId: number, actor: LiveActor): Promise<void>;
  /** A draft article from an entry, linking back to it; the entry links to the article. */
  breakOut(entryId: number, input: { headline: string; section: string }, actor: LiveActor): Promise<number>;
  entry(id: number): Promise<Entry | undefined>;
  /** Readers' entries, newest first, `limit` at a time, older ones by `before`. */
  page(coverageId: number, options?: { before?: number; limit?: number }): Promise<EntryPage>;
  /** Readers' entries after `after`, oldest first (a stream's resume). */
  since(coverageId: number, after: number, limit?: number): Promise<Entry[]>;
  pinned(coverageId: number): Promise<Entry | undefined>;
  keyEvents(coverageId: number): Promise<Entry[]>;
  /** Every entry but deleted ones, review included, newest first (the newsroom). */
  desk(coverageId: number, limit?: number): Promise<Entry[]>;
}

/** Live coverages held in memory for `liveFor`; with more live at once, it asks the database. */
const LIVE_HELD = 100;

const articleOf = (c: { articleId?: number }) => (c.articleId ? { articleId: c.articleId } : {});

/** What a stream reads (`live-hub.ts`), on the reader connection alone: a process serving only streams needs no more. */
export type LiveReads = Pick<LiveService, 'coverage' | 'since' | 'page'>;

export function liveReads(database: Pick<Database, 'reader'>): LiveReads {
  const reader = () => database.reader;
  return {
    coverage: (id) => repo.findCoverage(reader(), id),
    async page(coverageId, options = {}) {
      const limit = options.limit ?? 20;
      const rows = await repo.listEntries(reader(), coverageId, {
        states: ['published'],
        ...(options.before !== undefined ? { before: options.before } : {}),
        limit: limit + 1,
      });
      const entries = rows.slice(0, limit);
      return rows.length > limit ? { entries, older: entries[entries.length - 1]!.id } : { entries };
    },
    since: (coverageId, after, limit = 100) =>
      repo.listEntries(reader(), coverageId, { states: ['published'], after, limit }),
  };
}

export function createLiveService(deps: {
  database: Database;
  events: EventBus;
  audit: AuditLog;
  articles: Pick<ArticleService, 'create'>;
  /** With it, the coverages live now are kept in memory until the next invalidation (`liveFor`, every article page). */
  invalidator?: Pick<Invalidator, 'subscribe'>;
  now?: () => Date;
}): LiveService {
  const { database, events, audit } = deps;
  const now = deps.now ?? (() => new Date());

  /** One change: the work, its audit entry and the event commit together; listeners hear it after. */
  async function change(
    coverageId: number,
    action: string,
    subject: string,
    actor: LiveActor,
    work: (trx: Kysely<Schema>) => Promise<void>,
    detail?: Record<string, unknown>,
    articleId?: number,
  ) {
    const emitted = [{ name: 'live.changed' as const, payload: { coverageId, ...(articleId ? { articleId } : {}) } }];
    await database.db.transaction().execute(async (trx) => {
      await work(trx);
      await audit.record(trx, { actorId: actor.id, action, subject, ...(detail ? { detail } : {}) });
      await events.record(trx, emitted);
    });
    events.committed(emitted);
  }

  async function open(coverageId: number): Promise<Coverage> {
    const c = await repo.findCoverage(database.db, coverageId);
    if (!c) throw new AppError('LIVE_COVERAGE_NOT_FOUND', `no live coverage ${coverageId}`);
    if (c.status === 'ended') throw new AppError('LIVE_ENDED', 'this live coverage has ended');
    return c;
  }

  /** An entry of an open coverage, for the desk. */
  async function editable(entryId: number, actor: LiveActor): Promise<Entry> {
    authorize(actor, 'live.manage');
    const e = await repo.findEntry(database.db, entryId);
    if (!e || e.state === 'deleted') throw new AppError('LIVE_ENTRY_NOT_FOUND', `no entry ${entryId}`);
    await open(e.coverageId);
    return e;
  }

  async function entryChange(
    entryId: number,
    actor: LiveActor,
    action: string,
    work: (trx: Kysely<Schema>, e: Entry) => Promise<void>,
  ): Promise<Entry> {
    const e = await editable(entryId, actor);
    await change(e.coverageId, action, `liveEntry:${e.id}`, actor, (trx) => work(trx, e));
    return (await repo.findEntry(database.db, entryId))!;
  }

  const reader = () => database.reader;
  // Every article page asks whether its story has a live coverage: the coverages live now are few, and change only
  // with a `live.changed` event (which invalidates), so they are read once per change rather than once per page.
  const liveNow = deps.invalidator
    ? untilInvalidated(deps.invalidator, () => repo.listCoverages(reader(), { status: 'live', limit: LIVE_HELD + 1 }))
    : undefined;
  const reads = liveReads(database);

  return {
    async createCoverage(input, actor) {
      authorize(actor, 'live.manage');
      const headline = boundedText(input.headline, 'headline', LIMITS.headline, true);
      const standfirst = boundedText(input.standfirst, 'standfirst', LIMITS.standfirst);
      const at = now();
      const c = {
        slug: slugify(headline) || 'live',
        headline,
        standfirst,
        status: 'live' as const,
        ...(input.articleId ? { articleId: input.articleId } : {}),
        startedAt: at,
        updatedAt: at,
      };
      let id = 0;
      await database.db.transaction().execute(async (trx) => {
        id = await repo.insertCoverage(trx, { ...c, createdBy: actor.id });
        await audit.record(trx, { actorId: actor.id, action: 'live.created', subject: `live:${id}` });
        await events.record(trx, [{ name: 'live.changed', payload: { coverageId: id, ...articleOf(c) } }]);
      });
      events.committed([{ name: 'live.changed', payload: { coverageId: id, ...articleOf(c) } }]);
      return { id, ...c };
    },

    async setStatus(id, status, actor) {
      authorize(actor, 'live.manage');
      if (!COVERAGE_STATES.includes(status)) throw new AppError('INVALID_LIVE', `no status ${String(status)}`);
      const c = await open(id);
      const at = now();
      await change(
        id,
        `live.${status}`,
        `live:${id}`,
        actor,
        (trx) => repo.updateCoverage(trx, id, { status, at, ...(status === 'ended' ? { endedAt: at } : {}) }),
        undefined,
        c.articleId,
      );
      return { ...c, status, updatedAt: at, ...(status === 'ended' ? { endedAt: at } : {}) };
    },

    coverage: reads.coverage,
    async liveFor(articleIds) {
      const live = await liveNow?.();
      if (!live || live.length > LIVE_HELD) return repo.findLiveFor(reader(), articleIds);
      // Newest first, as `findLiveFor` orders them.
      const wanted = new Set(articleIds);
      return live.find((c) => c.articleId !== undefined && wanted.has(c.articleId));
    },
    coverages: (options = {}) => repo.listCoverages(reader(), { ...options, limit: options.limit ?? 50 }),

    async post(coverageId, input, actor) {
      authorize(actor, 'live.post');
      await open(coverageId);
      const body = entryBody(input.body);
      const authors = (input.authors?.length ? input.authors : [actor.name])
        .map((a) => boundedText(a, 'author', LIMITS.label))
        .filter(Boolean);
      const state = can(actor, 'live.publish') ? 'published' : 'in_review';
      let id = 0;
      await change(
        coverageId,
        state === 'published' ? 'liveEntry.posted' : 'liveEntry.submitted',
        `live:${coverageId}`,
        actor,
        async (trx) => {
          id = await repo.insertEntry(trx, { coverageId, body, authors, state, createdBy: actor.id, at: now() });
        },
      );
      return (await repo.findEntry(database.db, id))!;
    },

    approve: (entryId, actor) =>
      entryChange(entryId, actor, 'liveEntry.approved', (trx) =>
        repo.updateEntry(trx, entryId, { state: 'published', at: now() }),
      ),

    pin: (entryId, pinned, actor) =>
      entryChange(entryId, actor, pinned ? 'liveEntry.pinned' : 'liveEntry.unpinned', async (trx, e) => {
        if (pinned) await repo.unpinAll(trx, e.coverageId);
        await repo.updateEntry(trx, entryId, { pinned, at: now() });
      }),

    async keyEvent(entryId, label, actor) {
      const text = label === null ? null : boundedText(label, 'label', LIMITS.label, true);
      return entryChange(entryId, actor, text ? 'liveEntry.keyEvent' : 'liveEntry.notKeyEvent', (trx) =>
        repo.updateEntry(trx, entryId, { keyEvent: text, at: now() }),
      );
    },

    async correct(entryId, input, actor) {
      const note = boundedText(input.note, 'note', LIMITS.note, true);
      const body = entryBody(input.body);
      return entryChange(entryId, actor, 'liveEntry.corrected', (trx) =>
        repo.updateEntry(trx, entryId, { body, correction: note, at: now() }),
      );
    },

    async remove(entryId, actor) {
      const e = await editable(entryId, actor);
      // What the entry said stays in the audit log: a deletion is never silent.
      await change(
        e.coverageId,
        'liveEntry.deleted',
        `liveEntry:${e.id}`,
        actor,
        (trx) => repo.updateEntry(trx, entryId, { state: 'deleted', pinned: false, keyEvent: null, at: now() }),
        { text: entryText(e.body, 1000), authors: e.authors },
      );
    },

    async breakOut(entryId, input, actor) {
      const e = await editable(entryId, actor);
      authorize(actor, 'article.create');
      const c = (await repo.findCoverage(database.db, e.coverageId))!;
      const headline = boundedText(input.headline, 'headline', LIMITS.headline, true);
      const section = boundedText(input.section, 'section', LIMITS.label, true);
      const back = `${livePath(c)}#${entryAnchor(e.id)}`;
      const saved = await deps.articles.create(
        {
          headline,
          body: [
            ...e.body,
            {
              type: 'paragraph',
              html: `From our live coverage: <a href="${escapeHtml(back)}">${escapeHtml(c.headline)}</a>`,
            },
          ],
          authors: e.authors.map((name) => ({ name })),
          section: { name: section },
          tags: [],
          status: 'draft',
        },
        { by: actor.id },
      );
      await change(e.coverageId, 'liveEntry.brokenOut', `liveEntry:${e.id}`, actor, (trx) =>
        repo.updateEntry(trx, entryId, { articleId: saved.id, at: now() }),
      );
      return saved.id;
    },

    entry: (id) => repo.findEntry(reader(), id),

    page: reads.page,
    since: reads.since,
    pinned: async (coverageId) =>
      (await repo.listEntries(reader(), coverageId, { states: ['published'], pinned: true, limit: 1 }))[0],
    keyEvents: (coverageId) =>
      repo.listEntries(reader(), coverageId, { states: ['published'], keyEvents: true, limit: 50 }),
    desk: (coverageId, limit = 100) =>
      repo.listEntries(database.db, coverageId, { states: ['published', 'in_review'], limit }),
  };
}
