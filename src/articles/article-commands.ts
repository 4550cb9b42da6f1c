/**
 * The newsroom's commands on one article, each one save through the core
 * (`article-save.ts`) in one transaction, recording a revision:
 *
 *   create → update… → submit → approve (publish or schedule) | sendBack → …
 *   publish / schedule / unpublish / archive; addNote (a correction); restore
 *
 * Who may run which command is the policy's business (`accounts/policy.ts`,
 * checked by the newsroom face); what the article's state allows, and its
 * embargo, are checked here, whoever asks.
 */
import type { Database } from '../db/connect.js';
import { AppError } from '../lib/errors.js';
import { type Article, type ArticleInput, type ArticleNote, toInput, workflowState } from './article.js';
import { findArticleById } from './article.repository.js';
import type { SavedArticle, Target } from './article-save.js';
import {
  type ArticleSnapshot,
  diffSnapshots,
  type FieldDiff,
  type RevisionSummary,
  snapshotInput,
  snapshotOf,
} from './revision.js';
import { findRevision, insertNote, listRevisions } from './revision.repository.js';

/** Who acts (a user id), and the version their change is based on (omitted: whatever is current). */
export interface CommandOptions {
  expectedVersion?: number;
  by?: number;
}

/** Saves one article through the core; `also` runs inside the same transaction. */
export type Saver = (
  input: ArticleInput,
  target: Target,
  context: {
    by?: number | undefined;
    /** What the save is, for the audit log (`article.<action>`). */
    action: string;
    also?: (trx: Parameters<typeof insertNote>[0]) => Promise<void>;
  },
) => Promise<SavedArticle>;

export interface EditingCommands {
  create(input: ArticleInput, options?: { by?: number }): Promise<SavedArticle>;
  update(id: number, input: ArticleInput, options: CommandOptions & { expectedVersion: number }): Promise<SavedArticle>;
  /** A draft goes to the editors. */
  submit(id: number, options?: CommandOptions): Promise<SavedArticle>;
  /** An editor accepts a submitted draft: publishes it now, or schedules it for `at`. */
  approve(id: number, options?: CommandOptions & { at?: Date }): Promise<SavedArticle>;
  /** An editor returns a submitted draft to its writer, saying why. */
  sendBack(id: number, options: CommandOptions & { comment: string }): Promise<SavedArticle>;
  /** Publishes now. An article published before keeps its first publication time. */
  publish(id: number, options?: CommandOptions): Promise<SavedArticle>;
  /** Takes a published (or scheduled) article off the site; it becomes a draft again. */
  unpublish(id: number, options?: CommandOptions): Promise<SavedArticle>;
  schedule(id: number, at: Date, options?: CommandOptions): Promise<SavedArticle>;
  archive(id: number, options?: CommandOptions): Promise<SavedArticle>;
  /** A dated correction or update, shown on the article page; the article's modified time moves. */
  addNote(id: number, note: Omit<ArticleNote, 'at'>, options?: CommandOptions): Promise<SavedArticle>;
  /** An article in any state (for editing and preview), or undefined. */
  get(id: number): Promise<Article | undefined>;
  history(id: number): Promise<RevisionSummary[]>;
  revision(id: number, revisionId: number): Promise<ArticleSnapshot>;
  /** What changed from one revision to another, or to the article as it is now (`'current'`). */
  compare(id: number, from: number, to: number | 'current'): Promise<FieldDiff[]>;
  /** Saves a revision's content as the article's current text; its status and times stay. */
  restore(id: number, revisionId: number, options?: CommandOptions): Promise<SavedArticle>;
}

export function editingCommands(deps: { database: Database; save: Saver }): EditingCommands {
  const { database, save } = deps;
  const get = (id: number) => findArticleById(database.db, id);

  async function load(id: number): Promise<Article> {
    const article = await get(id);
    if (!article) throw new AppError('ARTICLE_NOT_FOUND', `no article ${id}`);
    return article;
  }

  /** A change of the article as it is: checked against its state, saved at the expected (or current) version. */
  async function change(
    action: string,
    id: number,
    options: CommandOptions,
    allowed: readonly ReturnType<typeof workflowState>[],
    changed: (article: Article, now: Date) => ArticleInput,
    also?: Parameters<Saver>[2]['also'],
  ): Promise<SavedArticle> {
    const article = await load(id);
    const state = workflowState(article);
    if (!allowed.includes(state)) throw new AppError('INVALID_TRANSITION', `not possible for an article ${state}`);
    const target: Target = { kind: 'id', id, expectedVersion: options.expectedVersion ?? article.version };
    return save(changed(article, new Date()), target, { by: options.by, action, ...(also ? { also } : {}) });
  }

  /** The time a publication now shows: its first one, if it was published before. */
  const publicationTime = (a: Article, now: Date) =>
    a.firstPublishedAt && a.status !== 'scheduled' ? a.firstPublishedAt : now;

  const beforePublication = ['draft', 'in_review', 'sent_back', 'scheduled', 'unpublished', 'archived'] as const;

  async function snapshotAt(id: number, revisionId: number): Promise<ArticleSnapshot> {
    const snapshot = await findRevision(database.db, id, revisionId);
    if (!snapshot) throw new AppError('REVISION_NOT_FOUND', `no revision ${revisionId} of article ${id}`);
    return snapshot;
  }

  return {
    create: (input, options = {}) => save(input, { kind: 'new' }, { by: options.by, action: 'created' }),
    update: (id, input, options) =>
      save(
        { ...input, updatedAt: input.updatedAt ?? new Date() },
        { kind: 'id', id, expectedVersion: options.expectedVersion },
        { by: options.by, action: 'saved' },
      ),
    submit: (id, options = {}) =>
      change('submitted', id, options, ['draft', 'sent_back', 'unpublished'], (a) => ({
        ...toInput(a),
        review: 'submitted',
        reviewNote: null,
      })),
    approve: (id, options = {}) =>
      change('approved', id, options, ['in_review'], (a, now) =>
        options.at && options.at.getTime() > now.getTime()
          ? { ...toInput(a), status: 'scheduled', publishedAt: options.at, review: null }
          : { ...toInput(a), status: 'published', publishedAt: publicationTime(a, now), updatedAt: now, review: null },
      ),
    sendBack: async (id, options) => {
      const comment = options.comment.trim();
      if (!comment) throw new AppError('INVALID_ARTICLE', 'say what should change');
      return change('sentBack', id, options, ['in_review'], (a) => ({
        ...toInput(a),
        review: 'returned',
        reviewNote: comment,
      }));
    },
    publish: (id, options = {}) =>
      change('published', id, options, beforePublication, (a, now) => ({
        ...toInput(a),
        status: 'published',
        publishedAt: publicationTime(a, now),
        updatedAt: now,
      })),
    unpublish: (id, options = {}) =>
      change('unpublished', id, options, ['published', 'scheduled'], (a) => ({ ...toInput(a), status: 'draft' })),
    schedule: (id, at, options = {}) =>
      change('scheduled', id, options, ['draft', 'in_review', 'sent_back', 'scheduled', 'unpublished'], (a, now) => {
        if (at.getTime() <= now.getTime()) throw new AppError('INVALID_ARTICLE', 'schedule a time in the future');
        return { ...toInput(a), status: 'scheduled', publishedAt: at };
      }),
    archive: (id, options = {}) =>
      change(
        'archived',
        id,
        options,
        ['draft', 'in_review', 'sent_back', 'scheduled', 'published', 'unpublished'],
        (a) => ({
          ...toInput(a),
          status: 'archived',
        }),
      ),
    addNote: async (id, note, options = {}) => {
      const text = note.text.trim();
      if (!text) throw new AppError('INVALID_ARTICLE', 'a note needs its text');
      const at = new Date();
      return change(
        note.kind === 'correction' ? 'corrected' : 'updated',
        id,
        options,
        ['published', 'unpublished', 'archived'],
        (a) => ({ ...toInput(a), updatedAt: at }),
        (trx) => insertNote(trx, id, { kind: note.kind, text, at, by: options.by }),
      );
    },
    get,
    history: (id) => listRevisions(database.db, id),
    revision: snapshotAt,
    async compare(id, from, to) {
      const older = await snapshotAt(id, from);
      if (to !== 'current') return diffSnapshots(older, await snapshotAt(id, to));
      const a = await load(id);
      return diffSnapshots(older, snapshotOf(toInput(a), a.body, a.status));
    },
    async restore(id, revisionId, options = {}) {
      const snapshot = await snapshotAt(id, revisionId);
      return change('restored', id, options, [...beforePublication, 'published'], (a, now) => ({
        ...toInput(a),
        ...snapshotInput(snapshot),
        updatedAt: now,
      }));
    },
  };
}
