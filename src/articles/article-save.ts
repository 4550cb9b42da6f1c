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
import { slugFor, slugOrDerived } from '../lib/slug.js';
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
import {
  articleLinkRows,
  EXISTING_COLUMNS,
  type ExistingArticle,
  findArticleIdByOrigin,
  findArticlesByExternalIds,
  insertArticle,
  insertArticlesWithLinks,
  isSlugTaken,
  type NewArticleRow,
  replaceArticleLinks,
  reserveArticleIds,
  slugOwners,
  takenSourceUrls,
  updateArticle,
} from './article.repository.js';
import type { IndexDocument } from './article-index.js';
import { sanitizeInline } from './blocks.js';
import { type ArticleSnapshot, snapshotOf } from './revision.js';
import { ensureAuthors, ensureSection, ensureTags, type TaxonomyCache, taxonomyCache } from './taxonomy.repository.js';

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

/**
 * What one transaction of saves shares: the lookups done once for the whole
 * batch, and the published articles to index at the end (by id, so that an
 * article saved twice in a batch is indexed as last saved, or not at all).
 */
export interface Batch {
  byExternalId: Map<string, ExistingArticle>;
  /**
   * Original URLs of the batch's inputs that some article had when it started, and those the batch wrote: only
   * these can name an article, so only these are looked up (after the articles held back are written).
   */
  sourceUrls: { taken: Set<string>; written: Set<string> };
  slugs: SlugBook;
  taxonomy: TaxonomyCache;
  indexed: Map<number, IndexDocument>;
  now: Date;
  /** The newsroom user saving (a new article is theirs); undefined for imports. */
  actor?: number | undefined;
  /**
   * A bulk save on PostgreSQL: new articles (and their bylines and tags) are held here, with ids taken from the
   * sequence ahead, and written in multi-row inserts (`flushPending`) — before anything reads the articles
   * table again, and at the end of the batch. One insert per article was a round trip each: at a million
   * articles, most of an import's save. (SQLite has no round trips: it writes each article as it comes.)
   */
  pending?: PendingWrites | undefined;
}

interface PendingWrites {
  /** Inputs of the batch not saved yet: how many ids to take when the reserve runs out. */
  left: number;
  ids: number[];
  articles: (NewArticleRow & { id: number })[];
  links: ReturnType<typeof articleLinkRows>[];
}

/** Writes what the batch holds back (see `Batch.pending`); the caller does this before its indexes. */
export async function flushPending(trx: Db, batch: Batch): Promise<void> {
  const pending = batch.pending;
  if (!pending || pending.articles.length === 0) return;
  await insertArticlesWithLinks(trx, pending.articles, pending.links);
  pending.articles = [];
  pending.links = [];
}

export async function startBatch(
  trx: Db,
  inputs: ArticleInput[],
  options: { now?: Date; actor?: number | undefined; holdNew?: boolean } = {},
): Promise<Batch> {
  const now = options.now ?? new Date();
  const wantedSlugs = [...new Set(inputs.map((i) => articleSlugBase(i.slug, i.headline ?? '')))];
  return {
    byExternalId: await findArticlesByExternalIds(
      trx,
      inputs.flatMap((i) => (i.externalId ? [i.externalId] : [])),
    ),
    sourceUrls: {
      taken: await takenSourceUrls(
        trx,
        inputs.flatMap((i) => (i.source?.url ? [i.source.url] : [])),
      ),
      written: new Set(),
    },
    slugs: { checked: new Set(wantedSlugs), owners: await slugOwners(trx, wantedSlugs) },
    taxonomy: taxonomyCache(),
    indexed: new Map(),
    now,
    actor: options.actor,
    pending: options.holdNew ? { left: inputs.length, ids: [], articles: [], links: [] } : undefined,
  };
}

async function findTarget(trx: Db, input: ArticleInput, target: Target, batch: Batch) {
  if (target.kind === 'new') {
    await flushPending(trx, batch);
    if (input.externalId && (await findArticleIdByOrigin(trx, { externalId: input.externalId })))
      throw new AppError('DUPLICATE_ARTICLE', `an article with external id ${input.externalId} exists`);
    return undefined;
  }
  if (target.kind === 'id') {
    await flushPending(trx, batch);
    const existing = await trx
      .selectFrom('articles')
      .select([...EXISTING_COLUMNS, 'version'])
      .where('id', '=', target.id)
      .executeTakeFirst();
    if (!existing) throw new AppError('ARTICLE_NOT_FOUND', `no article ${target.id}`);
    if (target.expectedVersion !== undefined && existing.version !== target.expectedVersion)
      throw versionConflict(target.id, existing.version);
    return existing;
  }
  const known = input.externalId ? batch.byExternalId.get(input.externalId) : undefined;
  const url = input.source?.url;
  if (known || !url || !(batch.sourceUrls.taken.has(url) || batch.sourceUrls.written.has(url))) return known;
  await flushPending(trx, batch);
  return findArticleIdByOrigin(trx, { sourceUrl: url });
}

const versionConflict = (id: number, current: number) =>
  new AppError('VERSION_CONFLICT', `article ${id} was changed meanwhile (now version ${current})`, { current });

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

/** Slugs looked up in this transaction: `checked` were asked for, `owners` are taken (by that article). */
interface SlugBook {
  checked: Set<string>;
  owners: Map<string, number>;
}

/**
 * Ensures a slug no other article uses, adding -2, -3… as needed. A slug the
 * batch already checked and found free costs no query.
 */
async function uniqueSlug(db: Db, base: string, batch: Batch, exceptId?: number): Promise<string> {
  const book = batch.slugs;
  const owner = book.owners.get(base);
  if (book.checked.has(base) && (owner === undefined || owner === exceptId)) return base;
  // The articles held back take slugs too.
  await flushPending(db, batch);
  let slug = base;
  for (let n = 2; await isSlugTaken(db, slug, exceptId); n++) slug = `${base}-${n}`;
  return slug;
}

/**
 * A given slug if well formed (up to the 200 characters an address takes), else the headline's in at most 80;
 * never empty, since a headline in any script has one.
 */
const articleSlugBase = (given: string | undefined, headline: string): string =>
  (given && given.length <= 200 ? slugOrDerived(given, headline, 200) : slugOrDerived(undefined, headline)) ||
  slugFor(given ?? '') ||
  'article';

/** Stored inline HTML is always sanitized, whoever wrote it. */
function normalizeBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => {
    if (b.type === 'paragraph') return { ...b, html: sanitizeInline(b.html) };
    if (b.type === 'list') return { ...b, items: b.items.map(sanitizeInline) };
    return b;
  });
}
