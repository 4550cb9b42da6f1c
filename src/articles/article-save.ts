/**
 * The save core: writes one article (row, section, bylines, tags) inside a
 * transaction the caller holds, and says what follows from the save (events,
 * index entries, a publication to schedule). Every command of the article
 * service — create, update, publish, unpublish, schedule, import — comes
 * through `saveOne`; only how the existing article is found differs.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { ArticleEvent, Emitted } from '../events/event-bus.js';
import { withoutControlChars } from '../lib/control-chars.js';
import { AppError } from '../lib/errors.js';
import { slugOrDerived } from '../lib/slug.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import {
  type ArticleInput,
  type ArticleStatus,
  type Block,
  bodyText,
  effectiveStatus,
  saveProblems,
  sectionSlug,
} from './article.js';
import { insertArticle, type NewArticleRow, replaceArticleLinks, updateArticle } from './article.repository.js';
import { articleSlugBase, type Batch, findTarget, flushPending, uniqueSlug, versionConflict } from './article-batch.js';
import { articleLinkRows, reserveArticleIds } from './article-batch.repository.js';
import { sanitizeInline } from './blocks.js';
import { type ArticleSnapshot, snapshotOf } from './revision.js';
import { ensureAuthors, ensureSection, ensureTags } from './taxonomy.repository.js';

type Db = Kysely<Schema>;

/** Which article a save writes to. */
export type Target =
  /** A new article. */
  | { kind: 'new' }
  /** This one, if it is still at `expectedVersion` (when given). */
  | { kind: 'id'; id: number; expectedVersion?: number }
  /** The one imported before from the same external id or source URL, else a new one. */
  | { kind: 'origin' };

export interface SavedArticle {
  id: number;
  slug: string;
  /** The version after this save. */
  version: number;
  status: ArticleStatus;
  created: boolean;
  /** Visible to readers after the save. */
  published: boolean;
}

/** A save's outcome, and what must follow it. */
export interface SaveOutcome extends SavedArticle {
  /** The article as the save left it, for its revision. */
  snapshot: ArticleSnapshot;
  events: Emitted[];
  /** The publication to schedule, when saved as scheduled. */
  scheduleAt?: Date;
  /** Index entries to remove (it is no longer published). */
  unindex: boolean;
}

export async function saveOne(trx: Db, given: ArticleInput, target: Target, batch: Batch): Promise<SaveOutcome> {
  // PostgreSQL refuses NUL that SQLite stores: control characters go, whichever way the article came in.
  const input = withoutControlChars(given);
  const status = effectiveStatus(input, batch.now);
  const problems = saveProblems(input, status, batch.now);
  if (problems.length) throw new AppError('INVALID_ARTICLE', problems.join('; '), problems);

  if (batch.pending) batch.pending.left--;
  const existing = await findTarget(trx, input, target, batch);
  const previousStatus = existing?.status as ArticleStatus | undefined;
  const embargo =
    input.embargoUntil === undefined ? toDateOrUndefined(existing?.embargo_until) : (input.embargoUntil ?? undefined);

  const sectionName = input.section.name.trim();
  const section = await ensureSection(
    trx,
    sectionSlug(slugOrDerived(input.section.slug, sectionName)),
    sectionName,
    batch.taxonomy,
  );
  const authors = await ensureAuthors(trx, named(input.authors), batch.taxonomy);
  const tags = await ensureTags(trx, named(input.tags), batch.taxonomy);

  const slug = await uniqueSlug(
    trx,
    input.slug === undefined && existing ? existing.slug : articleSlugBase(input.slug, input.headline),
    batch,
    existing?.id,
  );
  const { now } = batch;
  // An article keeps its first publication time unless the input names another.
  const publishedAt =
    input.publishedAt ?? toDateOrUndefined(existing?.published_at) ?? (status === 'published' ? now : undefined);
  // Publishing happens now; a schedule happens at its time.
  assertEmbargo(status, previousStatus, status === 'scheduled' ? (publishedAt ?? now) : now, embargo);
  const live = status === 'published' || status === 'scheduled' || status === 'archived';
  const review = live ? null : input.review === undefined ? (existing?.review ?? null) : input.review;
  const body = normalizeBlocks(input.body);
  const row: NewArticleRow = {
    external_id: input.externalId ?? null,
    slug,
    headline: input.headline.trim(),
    standfirst: (input.standfirst ?? '').trim(),
    body: JSON.stringify(body),
    lead_image: input.leadImage ? JSON.stringify(input.leadImage) : null,
    section_id: section.id,
    dateline_place: input.datelinePlace ?? null,
    status,
    language: input.language ?? 'en',
    published_at: publishedAt?.toISOString() ?? null,
    // A new time is a time of day unless the input says it is a date; a kept one keeps what it was.
    published_day_only: input.publishedAt ? (input.publishedDayOnly ? 1 : 0) : (existing?.published_day_only ?? 0),
    updated_at: (input.updatedAt ?? publishedAt ?? now).toISOString(),
    created_at: now.toISOString(),
    source_name: input.source?.name ?? null,
    source_url: input.source?.url ?? null,
    source_licence: input.source?.licence ?? null,
    source_licence_url: input.source?.licenceUrl ?? null,
    review,
    review_note:
      review === null
        ? null
        : input.reviewNote === undefined
          ? (existing?.review_note ?? null)
          : (input.reviewNote ?? null),
    embargo_until: embargo?.toISOString() ?? null,
    first_published_at:
      toDateOrUndefined(existing?.first_published_at)?.toISOString() ??
      (status === 'published' ? (publishedAt ?? now).toISOString() : null),
  };

  let id: number;
  let version = 1;
  const hold = batch.pending && !existing ? batch.pending : undefined;
  if (existing) {
    // The article may be one this batch holds back: written before it is changed.
    await flushPending(trx, batch);
    id = existing.id;
    const { created_at: _keep, ...changes } = row;
    const expected = target.kind === 'id' ? target.expectedVersion : undefined;
    const updated = await updateArticle(trx, id, changes, expected);
    // Another transaction saved it between our read and our write (PostgreSQL re-checks the version on update).
    if (updated === undefined) throw versionConflict(id, expected ?? 0);
    version = updated;
  } else if (hold) {
    if (hold.ids.length === 0) hold.ids = await reserveArticleIds(trx, hold.left + 1);
    id = hold.ids.shift()!;
    hold.articles.push({ ...row, id, created_by: batch.actor ?? null });
  } else {
    id = await insertArticle(trx, { ...row, created_by: batch.actor ?? null });
  }
  batch.slugs.owners.set(slug, id);
  if (row.source_url) batch.sourceUrls.written.add(row.source_url);
  if (input.externalId)
    batch.byExternalId.set(input.externalId, {
      id,
      slug,
      status,
      published_at: row.published_at ?? null,
      published_day_only: row.published_day_only ?? 0,
      review: row.review ?? null,
      review_note: row.review_note ?? null,
      embargo_until: row.embargo_until ?? null,
      first_published_at: row.first_published_at ?? null,
    });
  const published = status === 'published';
  const links = {
    authorIds: authors.map((a) => a.id),
    tagIds: tags.map((t) => t.id),
    publishedAt: published ? row.published_at! : null,
  };
  if (hold) hold.links.push(articleLinkRows(id, links));
  else await replaceArticleLinks(trx, id, links, { isNew: !existing });
  if (published) {
    const text = {
      headline: row.headline,
      standfirst: row.standfirst,
      body: bodyText(body),
      section: { slug: section.slug, name: section.name },
      tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
      language: row.language,
    };
    batch.indexed.set(id, { id, publishedAt: toDate(row.published_at!), text });
  } else {
    batch.indexed.delete(id);
  }

  const payload: ArticleEvent = {
    id,
    sectionId: section.id,
    tagIds: tags.map((t) => t.id),
    authorIds: authors.map((a) => a.id),
  };
  return {
    id,
    slug,
    version,
    status,
    created: !existing,
    published,
    snapshot: snapshotOf(
      {
        ...input,
        section: { name: section.name, slug: section.slug },
        ...(publishedAt ? { publishedAt } : {}),
        embargoUntil: embargo ?? null,
      },
      body,
      status,
    ),
    events: eventsFor(previousStatus, status).map((name) => ({ name, payload })),
    ...(status === 'scheduled' && publishedAt ? { scheduleAt: publishedAt } : {}),
    unindex: !published && previousStatus === 'published',
  };
}

/** Nobody publishes an embargoed article before its embargo; a schedule must fall after it. */
function assertEmbargo(status: ArticleStatus, before: ArticleStatus | undefined, at: Date, embargo: Date | undefined) {
  if (!embargo || before === 'published' || (status !== 'published' && status !== 'scheduled')) return;
  if (at.getTime() < embargo.getTime())
    throw new AppError('EMBARGOED', `embargoed until ${embargo.toISOString()}`, { embargoUntil: embargo });
}

function eventsFor(
  before: ArticleStatus | undefined,
  after: ArticleStatus,
): ('article.published' | 'article.updated' | 'article.unpublished')[] {
  const wasLive = before === 'published';
  if (after === 'published') return [wasLive ? 'article.updated' : 'article.published'];
  return wasLive ? ['article.unpublished'] : [];
}

function named(items: { name: string; slug?: string }[]): { slug: string; name: string }[] {
  return items
    .map((i) => ({ name: i.name.trim(), slug: slugOrDerived(i.slug, i.name) }))
    .filter((i) => i.name !== '' && i.slug !== '');
}

/** Stored inline HTML is always sanitized, whoever wrote it. */
function normalizeBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => {
    if (b.type === 'paragraph') return { ...b, html: sanitizeInline(b.html) };
    if (b.type === 'list') return { ...b, items: b.items.map(sanitizeInline) };
    return b;
  });
}
