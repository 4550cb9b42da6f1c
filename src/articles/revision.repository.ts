/**
 * Stored revisions and notes of articles. A writer's saves within a few
 * minutes of each other (autosave every few seconds) make one revision, the
 * latest state kept: the history shows what an editor would call versions,
 * not every keystroke. A change of status always starts a new revision.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ArticleNote } from './article.js';
import type { ArticleSnapshot, RevisionSummary } from './revision.js';

type Db = Kysely<Schema>;

/** Saves by the same person this close together are one revision. */
export const REVISION_COALESCE_MS = 10 * 60_000;

export interface NewRevision {
  articleId: number;
  version: number;
  savedAt: Date;
  savedBy?: number | undefined;
  snapshot: ArticleSnapshot;
}

/** Adds a revision, or folds the save into the latest one (same person, same status, within minutes). */
export async function recordRevision(db: Db, r: NewRevision): Promise<void> {
  const latest = await db
    .selectFrom('article_revisions')
    .select(['id', 'saved_by', 'saved_at', 'snapshot'])
    .where('article_id', '=', r.articleId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    version: r.version,
    saved_at: r.savedAt.toISOString(),
    saved_by: r.savedBy ?? null,
    snapshot: JSON.stringify(r.snapshot),
  };
  const fold =
    latest &&
    latest.saved_by === row.saved_by &&
    r.savedAt.getTime() - toDate(latest.saved_at).getTime() < REVISION_COALESCE_MS &&
    (JSON.parse(latest.snapshot) as ArticleSnapshot).status === r.snapshot.status;
  if (fold) await db.updateTable('article_revisions').set(row).where('id', '=', latest.id).execute();
  else
    await db
      .insertInto('article_revisions')
      .values({ article_id: r.articleId, ...row })
      .execute();
}

/** An article's revisions, newest first. */
export async function listRevisions(db: Db, articleId: number, limit = 200): Promise<RevisionSummary[]> {
  const rows = await db
    .selectFrom('article_revisions')
    .select(['id', 'version', 'saved_at', 'saved_by', 'snapshot'])
    .where('article_id', '=', articleId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const s = JSON.parse(r.snapshot) as ArticleSnapshot;
    return {
      id: Number(r.id),
      version: Number(r.version),
      savedAt: toDate(r.saved_at),
      ...(r.saved_by !== null ? { savedBy: Number(r.saved_by) } : {}),
      status: s.status,
      headline: s.headline,
    };
  });
}

/** One revision's snapshot, if it belongs to this article. */
export async function findRevision(
  db: Db,
  articleId: number,
  revisionId: number,
): Promise<ArticleSnapshot | undefined> {
  const row = await db
    .selectFrom('article_revisions')
    .select('snapshot')
    .where('id', '=', revisionId)
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return row && (JSON.parse(row.snapshot) as ArticleSnapshot);
}

export async function insertNote(
  db: Db,
  articleId: number,
  note: ArticleNote & { by?: number | undefined },
): Promise<void> {
  await db
    .insertInto('article_notes')
    .values({
      article_id: articleId,
      kind: note.kind,
      text: note.text,
      noted_at: note.at.toISOString(),
      noted_by: note.by ?? null,
    })
    .execute();
}
