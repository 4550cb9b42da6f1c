/**
 * Writing articles. Every command saves through one core (`article-save.ts`)
 * in one transaction that also writes the search and related indexes, the
 * revision (for the newsroom's commands), queues the jobs of what must follow
 * (related lists, stories, cache invalidation on every instance; see
 * `events/`) and, for a scheduled article, the job that publishes it. A call
 * returns as soon as that transaction commits.
 *
 * - Editing (`article-commands.ts`): create, update at an expected version (a
 *   stale one is refused with 409 VERSION_CONFLICT), submit, approve, send
 *   back, publish, unpublish, schedule, archive, notes, history, restore.
 * - Importing: `save` / `saveMany` find the article by external id, then
 *   source URL, and update it (or create it); `bulk` batches record one event
 *   for the batch instead of one per article. Imports record no revision.
 * - Scheduling: `publishScheduled` (the job at the article's time) and
 *   `publishDue` (its safety-net sweep).
 *
 * @example
 *   const draft = await articles.create({ headline: 'Talks resume', status: 'draft', … }, { by: userId });
 *   const edited = await articles.update(draft.id, { …, standfirst: 'After a week' }, { expectedVersion: draft.version });
 *   await articles.publish(edited.id, { expectedVersion: edited.version });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import type { ArticleChange, Emitted, EventBus } from '../events/event-bus.js';
import type { JobData, JobQueue } from '../jobs/jobs.js';
import { AppError } from '../lib/errors.js';
import { type ArticleInput, toInput } from './article.js';
import { findArticleById, listDueScheduledIds } from './article.repository.js';
import { flushPending, startBatch } from './article-batch.js';
import { type EditingCommands, editingCommands } from './article-commands.js';
import type { ArticleIndex } from './article-index.js';
import { type SavedArticle, type SaveOutcome, saveOne, type Target } from './article-save.js';
import { recordRevision } from './revision.repository.js';

export type { CommandOptions } from './article-commands.js';
export type { SavedArticle, Target };

/** The job that publishes a scheduled article at its time (handled in `publishing/`). */
export const PUBLISH_SCHEDULED_JOB = 'publish-article';

export interface PublishScheduledData extends JobData {
  articleId: number;
  /** The schedule this job was sent for (ISO time). */
  publishAt: string;
}

export interface ArticleService extends EditingCommands {
  /**
   * Creates or updates (matched by external id, then source URL) one article.
   * With `by` (a newsroom user importing a page), a new article is theirs, and
   * the save is a revision and an audit entry (`article.import`) like an edit.
   */
  save(input: ArticleInput, options?: { by?: number }): Promise<SavedArticle>;
  /**
   * Saves many articles in one transaction; all or nothing. With `bulk`, one
   * `content.bulkChanged` event stands for the batch, and the caller takes
   * over related lists (`RelatedService.refreshMany`). With `deferIndexes`
   * too, the deferrable indexes (related news) are not written either: the
   * caller's `refreshMany` indexes the published articles in bulk.
   */
  saveMany(inputs: ArticleInput[], options?: { bulk?: boolean; deferIndexes?: boolean }): Promise<SavedArticle[]>;
  /**
   * Publishes a scheduled article, keeping its scheduled time as its
   * publication time. Does nothing (false) unless the article is still
   * scheduled, and, with `scheduledFor`, still for that time (a job sent for
   * an earlier schedule). Safe to call twice, or from two places at once: one
   * of them publishes.
   */
  publishScheduled(id: number, options?: { scheduledFor?: Date }): Promise<boolean>;
  /** Publishes every scheduled article whose time has come; returns how many. */
  publishDue(now?: Date): Promise<number>;
  /**
   * Saves one article from a feed source at an explicit target (a new one, or
   * this id at this version: 409 VERSION_CONFLICT if someone saved it since),
   * with a revision by nobody, and runs `after` in the same transaction with
   * the outcome: the item's bookkeeping commits with the article or not at all.
   * Records no events: the caller computes related lists and emits one
   * `content.bulkChanged` for its poll (as a JSON Lines import does per batch),
   * or fifty items would drop the site's pages fifty times.
   */
  saveFromSource(
    input: ArticleInput,
    target: Target,
    after: (trx: Kysely<Schema>, saved: SavedArticle) => Promise<void>,
  ): Promise<SavedArticle & { changes: ArticleChange[] }>;
}

export interface ArticleServiceDeps {
  database: Database;
  events: EventBus;
  jobs: JobQueue;
  /** Written in the save's transaction: the search index, the related-news index. */
  indexes: ArticleIndex[];
  /** The audit log, written in the save's transaction for the newsroom's commands. */
  audit?: { record(trx: Kysely<Schema>, entry: { actorId?: number; action: string; subject?: string }): Promise<void> };
}

interface SaveContext {
  bulk?: boolean;
  deferIndexes?: boolean;
  /** Record a revision of each save, by this user (the newsroom's commands), and what the save was. */
  revision?: { by?: number | undefined; action?: string };
  /** More work inside the same transaction (a note added with its save). */
  also?: ((trx: Kysely<Schema>) => Promise<void>) | undefined;
  /** Record no events: the caller emits one `content.bulkChanged` for many saves (a feed's poll). */
  quiet?: boolean;
  /** More work inside the same transaction, told what was saved (a feed item's bookkeeping). */
  after?: ((trx: Kysely<Schema>, saved: SaveOutcome[]) => Promise<void>) | undefined;
}

export function createArticleService(deps: ArticleServiceDeps): ArticleService {
  const { database, events, jobs, indexes } = deps;

  /** Saves inputs in one transaction and does, inside it, everything that must follow. */
  async function transact(items: { input: ArticleInput; target: Target }[], context: SaveContext = {}) {
    const { outcomes, emitted } = await database.db.transaction().execute(async (trx) => {
      const batch = await startBatch(
        trx,
        items.map((i) => i.input),
        // Round trips are PostgreSQL's cost: there a bulk save writes its new articles a thousand at a time.
        { actor: context.revision?.by, holdNew: context.bulk === true && database.dialect === 'postgres' },
      );
      const outcomes: SaveOutcome[] = [];
      for (const { input, target } of items) outcomes.push(await saveOne(trx, input, target, batch));
      await flushPending(trx, batch);
      const docs = [...batch.indexed.values()];
      const gone = outcomes.filter((o) => o.unindex && !batch.indexed.has(o.id)).map((o) => o.id);
      for (const index of indexes) {
        // Indexes take the batch at once: multi-row inserts, one frequency update.
        if (docs.length) {
          if (context.deferIndexes && index.deferrable) await index.defer?.(trx, [...batch.indexed.keys()]);
          else await index.add(trx, docs);
        }
        if (gone.length) await index.remove(trx, gone);
      }
      for (const o of outcomes) if (o.scheduleAt) await schedulePublication(trx, o.id, o.scheduleAt);
      if (context.revision) {
        for (const o of outcomes) {
          const { by, action } = context.revision;
          await recordRevision(trx, {
            articleId: o.id,
            version: o.version,
            savedAt: batch.now,
            savedBy: by,
            snapshot: o.snapshot,
          });
          if (action && deps.audit)
            await deps.audit.record(trx, {
              ...(by !== undefined ? { actorId: by } : {}),
              action: `article.${action}`,
              subject: `article:${o.id}`,
            });
        }
      }
      await context.also?.(trx);
      await context.after?.(trx, outcomes);
      const emitted: Emitted[] = context.quiet
        ? []
        : context.bulk
          ? [{ name: 'content.bulkChanged', payload: { articles: outcomes.length } }]
          : outcomes.flatMap((o) => o.events);
      await events.record(trx, emitted);
      return { outcomes, emitted };
    });
    events.committed(emitted);
    if (outcomes.some((o) => o.scheduleAt)) jobs.wake();
    return outcomes.map(({ id, slug, version, status, created, published }) => ({
      id,
      slug,
      version,
      status,
      created,
      published,
    }));
  }

  const schedulePublication = (trx: Kysely<Schema>, id: number, at: Date) =>
    jobs.sendWithin(
      trx,
      PUBLISH_SCHEDULED_JOB,
      { articleId: id, publishAt: at.toISOString() } satisfies PublishScheduledData,
      // One job per article and time: saving again changes nothing; a new time gets its own job, and the
      // job for the old time finds the article no longer scheduled for it.
      { startAfter: at, singletonKey: `article:${id}@${at.toISOString()}` },
    );

  const commands = editingCommands({
    database,
    save: async (input, target, { by, action, also }) =>
      (await transact([{ input, target }], { revision: { by, action }, also }))[0]!,
  });

  async function publishScheduled(id: number, options: { scheduledFor?: Date } = {}): Promise<boolean> {
    const article = await findArticleById(database.db, id);
    if (article?.status !== 'scheduled' || !article.publishedAt) return false;
    if (options.scheduledFor && article.publishedAt.getTime() !== options.scheduledFor.getTime()) return false;
    try {
      await transact(
        [
          {
            input: { ...toInput(article), status: 'published', updatedAt: article.publishedAt },
            target: { kind: 'id', id, expectedVersion: article.version },
          },
        ],
        { revision: {} },
      );
      return true;
    } catch (err) {
      // Another caller published (or an editor changed) it between our read and our write.
      if (err instanceof AppError && err.code === 'VERSION_CONFLICT') return false;
      throw err;
    }
  }

  return {
    ...commands,
    save: async (input, options = {}) =>
      (
        await transact(
          [{ input, target: { kind: 'origin' } }],
          options.by === undefined ? {} : { revision: { by: options.by, action: 'import' } },
        )
      )[0]!,
    saveMany: (inputs, options = {}) =>
      transact(
        inputs.map((input) => ({ input, target: { kind: 'origin' } as const })),
        options,
      ),
    saveFromSource: async (input, target, after) => {
      let changes: ArticleChange[] = [];
      const [saved] = await transact([{ input, target }], {
        revision: {},
        quiet: true,
        after: (trx, [outcome]) => {
          // What this save would have told, for the caller's one event of its poll.
          changes = outcome!.events.flatMap((e) =>
            e.name === 'article.published' || e.name === 'article.updated' || e.name === 'article.unpublished'
              ? [{ event: e.name, article: e.payload }]
              : [],
          );
          return after(trx, outcome!);
        },
      });
      return { ...saved!, changes };
    },
    publishScheduled,
    async publishDue(now = new Date()) {
      let published = 0;
      for (const id of await listDueScheduledIds(database.db, now)) if (await publishScheduled(id)) published++;
      return published;
    },
  };
}
