/**
 * What one transaction of saves shares (`Batch`): the lookups done once for
 * the whole batch, the slugs it took, and — for a bulk save on PostgreSQL —
 * the new articles it holds back to write a thousand at a time; how a save
 * finds the article it writes to, and a free slug.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import { slugFor, slugOrDerived } from '../lib/slug.js';
import type { ArticleInput } from './article.js';
import {
  EXISTING_COLUMNS,
  type ExistingArticle,
  findArticleIdByOrigin,
  findArticlesByExternalIds,
  isSlugTaken,
  type NewArticleRow,
  slugOwners,
} from './article.repository.js';
import { type articleLinkRows, insertArticlesWithLinks, takenSourceUrls } from './article-batch.repository.js';
import type { IndexDocument } from './article-index.js';
import type { Target } from './article-save.js';
import { type TaxonomyCache, taxonomyCache } from './taxonomy.repository.js';

type Db = Kysely<Schema>;

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

export interface PendingWrites {
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

export async function findTarget(trx: Db, input: ArticleInput, target: Target, batch: Batch) {
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

export const versionConflict = (id: number, current: number) =>
  new AppError('VERSION_CONFLICT', `article ${id} was changed meanwhile (now version ${current})`, { current });

/** Slugs looked up in this transaction: `checked` were asked for, `owners` are taken (by that article). */
interface SlugBook {
  checked: Set<string>;
  owners: Map<string, number>;
}

/**
 * Ensures a slug no other article uses, adding -2, -3… as needed. A slug the
 * batch already checked and found free costs no query.
 */
export async function uniqueSlug(db: Db, base: string, batch: Batch, exceptId?: number): Promise<string> {
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
export const articleSlugBase = (given: string | undefined, headline: string): string =>
  (given && given.length <= 200 ? slugOrDerived(given, headline, 200) : slugOrDerived(undefined, headline)) ||
  slugFor(given ?? '') ||
  'article';
