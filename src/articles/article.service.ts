/**
 * Writing articles: one call saves an article with its section, bylines,
 * tags and search entry in one transaction, then emits events. Used alike by
 * the importer, wire feeds and (later) the newsroom. Scheduled articles are
 * published by `publish` (the scheduled-publishing job) or `publishDue` (its
 * safety-net sweep).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import type { ArticleEvent, EventBus, EventName } from '../events/event-bus.js';
import { AppError } from '../lib/errors.js';
import { slugify } from '../lib/slug.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import { publishedTexts, toIndexInput } from '../related/related.repository.js';
import { type IndexInput, indexForRelated, removeFromRelatedIndex } from '../related/related-index.repository.js';
import { indexArticles, removeFromIndex } from '../search/search.repository.js';
import { type ArticleInput, type ArticleStatus, type Block, bodyText, sectionSlug } from './article.js';
import {
  type ExistingArticle,
  findArticleIdByOrigin,
  findArticlesByExternalIds,
  insertArticle,
  isSlugTaken,
  listDueScheduledIds,
  markScheduledPublished,
  type NewArticleRow,
  replaceArticleLinks,
  setLinksPublishedAt,
  slugOwners,
  updateArticle,
} from './article.repository.js';
import { sanitizeInline } from './blocks.js';
import { ensureAuthors, ensureSection, ensureTags, type TaxonomyCache, taxonomyCache } from './taxonomy.repository.js';

export interface SaveResult {
  id: number;
  slug: string;
  created: boolean;
  /** Visible to readers after the save. */
  published: boolean;
}

interface Saved extends SaveResult {
  events: { name: EventName; payload: ArticleEvent }[];
}

export interface ArticleService {
  /** Creates or updates (matched by external id, then source URL) one article. */
  save(input: ArticleInput): Promise<SaveResult>;
  /**
   * Saves many articles in one transaction; all or nothing. With `bulk`, the
   * events say so, and the caller takes over work such as related lists.
   */
  saveMany(inputs: ArticleInput[], options?: { bulk?: boolean }): Promise<SaveResult[]>;
  /**
   * Publishes a scheduled article, keeping its scheduled time as its
   * publication time, and emits `article.published`. Does nothing (false)
   * unless the article is still scheduled, and, with `scheduledFor`, still
   * for that time (a job sent for an earlier schedule). Safe to call twice,
   * or from two places at once: one of them publishes.
   */
  publish(id: number, options?: { scheduledFor?: Date }): Promise<boolean>;
  /** Publishes every scheduled article whose time has come; returns how many. */
  publishDue(now?: Date): Promise<number>;
}

export function createArticleService(deps: { database: Database; events: EventBus }): ArticleService {
  const { database, events } = deps;

  async function saveAll(inputs: ArticleInput[], options: { bulk?: boolean } = {}): Promise<SaveResult[]> {
    const saved = await database.db.transaction().execute(async (trx) => {
      const batch = await startBatch(trx, inputs);
      const out: Saved[] = [];
      for (const input of inputs) out.push(await saveOne(trx, database.dialect, input, batch));
      // Both indexes take the batch at once: multi-row inserts, one frequency update.
      await indexArticles(trx, database.dialect, [...batch.indexed.values()].map(searchDocument));
      await indexForRelated(trx, [...batch.indexed.values()]);
      return out;
    });
    for (const s of saved) {
      for (const e of s.events) await events.emit(e.name, options.bulk ? { ...e.payload, bulk: true } : e.payload);
    }
    return saved.map(({ id, slug, created, published }) => ({ id, slug, created, published }));
  }

  async function publish(id: number, options: { scheduledFor?: Date } = {}): Promise<boolean> {
    const payload = await database.db.transaction().execute(async (trx) => {
      const row = await markScheduledPublished(trx, id, options.scheduledFor);
      if (!row) return undefined;
      const links = await setLinksPublishedAt(trx, id, toDate(row.published_at!).toISOString());
      const indexed = (await publishedTexts(trx, [id])).map(toIndexInput);
      await indexArticles(trx, database.dialect, indexed.map(searchDocument));
      await indexForRelated(trx, indexed);
      return { id, sectionId: row.section_id, ...links };
    });
    if (payload) await events.emit('article.published', payload);
    return payload !== undefined;
  }

  return {
    save: async (input) => (await saveAll([input]))[0]!,
    saveMany: saveAll,
    publish,
    async publishDue(now = new Date()) {
      let published = 0;
      for (const id of await listDueScheduledIds(database.db, now)) if (await publish(id)) published++;
      return published;
    },
  };
}

/**
 * What one transaction of saves shares: the lookups done once for the whole
 * batch, and the published articles to index at the end (by id, so that an
 * article saved twice in a batch is indexed as last saved, or not at all).
 */
interface Batch {
  byExternalId: Map<string, ExistingArticle>;
  slugs: SlugBook;
  taxonomy: TaxonomyCache;
  indexed: Map<number, IndexInput>;
}

async function startBatch(trx: Kysely<Schema>, inputs: ArticleInput[]): Promise<Batch> {
  const wantedSlugs = [...new Set(inputs.map((i) => slugify(i.slug ?? i.headline ?? '') || 'article'))];
  return {
    byExternalId: await findArticlesByExternalIds(
      trx,
      inputs.flatMap((i) => (i.externalId ? [i.externalId] : [])),
    ),
    slugs: { checked: new Set(wantedSlugs), owners: await slugOwners(trx, wantedSlugs) },
    taxonomy: taxonomyCache(),
    indexed: new Map(),
  };
}

const searchDocument = ({ id, text }: IndexInput) => ({
  id,
  headline: text.headline,
  standfirst: text.standfirst,
  body: text.body,
});

async function saveOne(
  trx: Kysely<Schema>,
  dialect: Database['dialect'],
  input: ArticleInput,
  batch: Batch,
): Promise<Saved> {
  assertValid(input);
  const existing =
    (input.externalId ? batch.byExternalId.get(input.externalId) : undefined) ??
    (input.source?.url ? await findArticleIdByOrigin(trx, { sourceUrl: input.source.url }) : undefined);
  const previousStatus = existing?.status as ArticleStatus | undefined;

  const sectionName = input.section.name.trim();
  const section = await ensureSection(
    trx,
    sectionSlug(input.section.slug ?? slugify(sectionName)),
    sectionName,
    batch.taxonomy,
  );
  const authors = await ensureAuthors(trx, named(input.authors), batch.taxonomy);
  const tags = await ensureTags(trx, named(input.tags), batch.taxonomy);

  const slug = await uniqueSlug(
    trx,
    input.slug ?? existing?.slug ?? slugify(input.headline),
    batch.slugs,
    existing?.id,
  );
  const now = new Date();
  // An article keeps its first publication time unless the input names another.
  const publishedAt =
    input.publishedAt ?? toDateOrUndefined(existing?.published_at) ?? (input.status === 'published' ? now : undefined);
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
    status: input.status,
    language: input.language ?? 'en',
    published_at: publishedAt?.toISOString() ?? null,
    updated_at: (input.updatedAt ?? publishedAt ?? now).toISOString(),
    created_at: now.toISOString(),
    source_name: input.source?.name ?? null,
    source_url: input.source?.url ?? null,
    source_licence: input.source?.licence ?? null,
    source_licence_url: input.source?.licenceUrl ?? null,
  };

  let id: number;
  if (existing) {
    id = existing.id;
    const { created_at: _keep, ...changes } = row;
    await updateArticle(trx, id, changes);
  } else {
    id = await insertArticle(trx, row);
  }
  batch.slugs.owners.set(slug, id);
  if (input.externalId)
    batch.byExternalId.set(input.externalId, { id, slug, status: row.status, published_at: row.published_at ?? null });
  const published = input.status === 'published';
  await replaceArticleLinks(
    trx,
    id,
    {
      authorIds: authors.map((a) => a.id),
      tagIds: tags.map((t) => t.id),
      publishedAt: published ? row.published_at! : null,
    },
    { isNew: !existing },
  );
  if (published) {
    const text = {
      headline: row.headline,
      standfirst: row.standfirst,
      body: bodyText(body),
      section: { slug: section.slug, name: section.name },
      tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
    };
    batch.indexed.set(id, { id, publishedAt: toDate(row.published_at!), text });
  } else if (previousStatus) {
    batch.indexed.delete(id);
    await removeFromIndex(trx, dialect, id);
    await removeFromRelatedIndex(trx, id);
  }

  const payload = { id, sectionId: section.id, tagIds: tags.map((t) => t.id), authorIds: authors.map((a) => a.id) };
  const events = eventsFor(previousStatus, input.status).map((name) => ({
    name,
    payload: name === 'article.scheduled' && publishedAt ? { ...payload, publishAt: publishedAt } : payload,
  }));
  return { id, slug, created: !existing, published, events };
}

function eventsFor(before: ArticleStatus | undefined, after: ArticleStatus): EventName[] {
  const wasLive = before === 'published';
  if (after === 'published') return [wasLive ? 'article.updated' : 'article.published'];
  const names: EventName[] = wasLive ? ['article.unpublished'] : [];
  if (after === 'scheduled') names.push('article.scheduled');
  return names;
}

function named(items: { name: string; slug?: string }[]): { slug: string; name: string }[] {
  return items
    .map((i) => ({ name: i.name.trim(), slug: i.slug ?? slugify(i.name) }))
    .filter((i) => i.name !== '' && i.slug !== '');
}

function assertValid(input: ArticleInput): void {
  const problems: string[] = [];
  if (!input.headline?.trim()) problems.push('headline is empty');
  if (!input.section?.name?.trim()) problems.push('section is empty');
  if (!slugify(input.slug ?? input.headline ?? '')) problems.push('no usable slug');
  if (input.status === 'scheduled' && !input.publishedAt) problems.push('a scheduled article needs a publication time');
  if (problems.length) throw new AppError('INVALID_ARTICLE', problems.join('; '), problems);
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
async function uniqueSlug(db: Kysely<Schema>, wanted: string, book: SlugBook, exceptId?: number): Promise<string> {
  const base = slugify(wanted) || 'article';
  const owner = book.owners.get(base);
  if (book.checked.has(base) && (owner === undefined || owner === exceptId)) return base;
  let slug = base;
  for (let n = 2; await isSlugTaken(db, slug, exceptId); n++) slug = `${base}-${n}`;
  return slug;
}

/** Stored inline HTML is always sanitized, whoever wrote it. */
function normalizeBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => {
    if (b.type === 'paragraph') return { ...b, html: sanitizeInline(b.html) };
    if (b.type === 'list') return { ...b, items: b.items.map(sanitizeInline) };
    return b;
  });
}
