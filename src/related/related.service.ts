/**
 * Related news and same-story clustering. When an article is published or
 * updated its index entry is written in the same transaction (see
 * `related-index.repository.ts`); then `refresh` puts it in a story (the
 * story of its strongest near-in-time link, or a new one), computes its
 * related list from the index and stores it, so page views only read.
 *
 * Candidates come from the postings of the article's strongest features
 * (nearest in time first), are scored by text similarity weighed by time
 * (`scoring.ts`), then the query is expanded with its three best matches and
 * scored again, which finds coverage that shares the story but not the words.
 */
import type { ArticleSummary } from '../articles/article.js';
import { publishedTexts, toIndexDocument } from '../articles/article-text.repository.js';
import type { Database } from '../db/connect.js';
import { refreshStatistics } from '../db/maintenance.js';
import { explainRelated } from './explain.js';
import {
  forgetRelated,
  readRelatedSummaries,
  readStoryAndRelated,
  readStorySummaries,
  type StoryAndRelated,
  storeRelated,
} from './related.repository.js';
import { type BulkPhase, bulkIndex, bulkStoriesAndLists, defaultThreads } from './related-bulk.js';
import { indexedAmong } from './related-bulk.repository.js';
import { type BulkPool, createPool } from './related-bulk-pool.js';
import {
  bestCandidates,
  clearRelatedIndex,
  dayOf,
  type IndexedDoc,
  indexForRelated,
  latestIds,
  publishedBefore,
  readDf,
  readDoc,
  readDocs,
  setStory,
  storyMemberIds,
} from './related-index.repository.js';
import {
  type CandidateSource,
  firstCandidates,
  judgeItems,
  type NearestMemo,
  PER_TERM,
  relatedList,
  STORED,
  STORY_MEMBERS_READ,
  siteFloor,
  storyLinkOf,
} from './related-list.js';
import { RANKING, type Ranked, type SiteFloor, textShare } from './scoring.js';
import { DOCUMENT_COUNT_TERM, toMap } from './vector.js';

/** Articles indexed or refreshed per transaction in a rebuild. */
const REBUILD_BATCH = 500;
const DAY_MS = 86_400_000;
/** The site's floor is measured again once its size moved by more than 1 ÷ this. */
const FLOOR_DRIFT = 50;

export interface RelatedService {
  /** Clusters (if not yet) and recomputes and stores the list for one article; returns the related ids, best first. */
  refresh(articleId: number): Promise<number[]>;
  /**
   * Refreshes an article's list and the lists of the articles it is related
   * to and of its story, so older coverage links forward to a follow-up.
   * Returns the ids of every article whose list was recomputed.
   */
  refreshAround(articleId: number): Promise<number[]>;
  /**
   * After a bulk import: re-weighs the given articles' vectors with the final
   * word statistics, clusters them in publication order, then computes their
   * lists, telling `progress` how far each phase is. Many articles at once
   * (`bulkFrom`) go through the bulk pass (`related-bulk.ts`): the same
   * stories and lists, computed in memory on worker threads.
   */
  refreshMany(articleIds: number[], progress?: RelatedProgress): Promise<void>;
  /** Rebuilds the whole index, the stories and every list; `progress(phase, done, total)`. */
  rebuild(progress?: RelatedProgress): Promise<number>;
  /** The stored list, as published summaries. */
  read(articleId: number): Promise<ArticleSummary[]>;
  /** The other published articles of the article's story, oldest first. */
  story(articleId: number): Promise<ArticleSummary[]>;
  /** Both at once, in one statement: what an article page shows around the article. */
  storyAndRelated(articleId: number): Promise<StoryAndRelated>;
  /** Why each stored related article is there (for the API and the debug view). */
  explain(articleId: number): Promise<RelatedExplanation[]>;
  /** Drops an unpublished article from every stored list. */
  forget(articleId: number): Promise<void>;
}

export type RebuildPhase = BulkPhase;
export type RelatedProgress = (phase: RebuildPhase, done: number, total: number) => void;

export interface RelatedServiceDeps {
  database: Database;
  /** Stored per article. */
  limit?: number;
  /** From this many articles, `refreshMany` and `rebuild` use the bulk pass (default 200). */
  bulkFrom?: number;
  /** The bulk pass's worker threads (default: one per core, at most 4; 0: none). */
  threads?: number;
  /** Counted features the bulk pass keeps in memory between its two indexing passes (default 512 MB). */
  bulkKeepBytes?: number;
}

/** Below this, reading the whole index into memory costs more than refreshing one article at a time. */
const BULK_FROM = 200;

export interface RelatedExplanation extends Ranked {
  rank: number;
  /** Hours from the article to the related one (negative: published before it). */
  hoursApart: number;
  sharedTerms: string[];
  sharedEntities: string[];
  /** Tags (`#Name`) and section (`§Name`) both are filed under. */
  sharedLabels: string[];
}

export function createRelatedService(deps: RelatedServiceDeps): RelatedService {
  const { db } = deps.database;

  /** The database index as the list's source: candidates from the postings, nearest in time. */
  const source: CandidateSource = {
    candidateIds(doc, query, terms, limit, skip) {
      const weight = toMap(query);
      return bestCandidates(
        db,
        deps.database.dialect,
        { terms, weights: terms.map((t) => weight.get(t) ?? 0) },
        {
          day: dayOf(doc.publishedMs),
          perTerm: PER_TERM,
          floor: textShare(doc.words),
          perDay: DAY_MS / RANKING.timeScaleMs,
        },
        limit,
        skip,
      );
    },
    // In id order whatever the database's plan, so the bulk engine (same order) gives the same ties.
    readDocs: async (ids) => (await readDocs(db, ids)).sort((a, b) => a.id - b.id),
    storyMemberIds: (storyId, limit) => storyMemberIds(db, storyId, limit),
    publishedBefore: (doc, limit) => publishedBefore(db, doc.publishedMs, doc.id, limit),
    documents: async () => (await readDf(db, [DOCUMENT_COUNT_TERM])).get(DOCUMENT_COUNT_TERM) ?? 0,
    latest: (limit) => latestIds(db, limit),
  };

  /**
   * The site's floor (`siteFloor`), kept while the site's size moves by less
   * than a fiftieth: a young site's typical best match costs a few dozen
   * lists to measure, and one article more hardly moves it. A fresh service
   * measures it on the index as it is, as the bulk pass does.
   */
  let floor: SiteFloor | undefined;
  async function currentFloor(): Promise<SiteFloor> {
    const documents = await source.documents();
    if (!floor || Math.abs(documents - floor.documents) > floor.documents / FLOOR_DRIFT)
      floor = await siteFloor(source);
    return floor;
  }

  /** Puts an article into a story: that of its strongest link, or its own. Returns the story id. */
  async function cluster(doc: IndexedDoc, candidates: IndexedDoc[]): Promise<number> {
    if (doc.storyId !== null) return doc.storyId;
    const link = await storyLinkOf(source, doc, candidates);
    const story = link ? (link.storyId ?? link.id) : doc.id;
    // An earlier article not clustered yet (indexed before stories existed, or by a bulk import) starts its own.
    if (link && link.storyId === null) await setStory(db, [link.id], story);
    await setStory(db, [doc.id], story);
    doc.storyId = story;
    return story;
  }

  /** `memo`: articles' nearest, shared by lists computed on one index (stories settled). */
  const compute = async (doc: IndexedDoc, first: IndexedDoc[], memo: NearestMemo = new Map()) =>
    relatedList(source, doc, first, deps.limit ?? STORED, await currentFloor(), memo);

  async function refreshDoc(doc: IndexedDoc, memo?: NearestMemo): Promise<number[]> {
    const first = await firstCandidates(source, doc);
    const clustered = doc.storyId !== null;
    await cluster(doc, first);
    // A story settled now changes the neighbourhoods of its members: what was remembered is stale.
    if (!clustered) memo?.clear();
    const ranked = await compute(doc, first, memo);
    await storeRelated(db, doc.id, ranked);
    return ranked.map((r) => r.id);
  }

  async function refreshId(articleId: number, memo?: NearestMemo): Promise<number[]> {
    const doc = await readDoc(db, articleId);
    if (!doc) {
      await storeRelated(db, articleId, []);
      return [];
    }
    return refreshDoc(doc, memo);
  }

  /** Re-indexes articles from their stored text (after the word statistics changed). */
  async function reindex(ids: number[], progress?: (done: number) => void): Promise<void> {
    for (let i = 0; i < ids.length; i += REBUILD_BATCH) {
      const texts = await publishedTexts(db, ids.slice(i, i + REBUILD_BATCH));
      await db.transaction().execute((trx) => indexForRelated(trx, texts.map(toIndexDocument)));
      progress?.(Math.min(ids.length, i + REBUILD_BATCH));
    }
  }

  async function inPublicationOrder(ids: number[]): Promise<IndexedDoc[]> {
    return (await readDocs(db, ids)).sort((a, b) => a.publishedMs - b.publishedMs || a.id - b.id);
  }

  async function clusterAndList(ids: number[], report: RelatedProgress) {
    const docs = await inPublicationOrder(ids);
    // Stories first, all of them, so every list below sees its final story.
    let done = 0;
    for (const doc of docs) {
      await cluster(doc, await firstCandidates(source, doc));
      if (++done % 100 === 0 || done === docs.length) report('stories', done, docs.length);
    }
    done = 0;
    const memo: NearestMemo = new Map();
    for (const doc of docs) {
      const ranked = await compute(doc, await firstCandidates(source, doc), memo);
      await storeRelated(db, doc.id, ranked);
      if (++done % 100 === 0 || done === docs.length) report('lists', done, docs.length);
    }
  }

  /** Worker threads for one bulk pass, stopped after it. */
  async function inBulk(run: (pool: BulkPool) => Promise<void>): Promise<void> {
    const pool = createPool(deps.threads ?? defaultThreads());
    try {
      await run(pool);
    } finally {
      await pool.close();
    }
  }

  const service: RelatedService = {
    refresh: (articleId) => refreshId(articleId),
    async refreshAround(articleId) {
      // One index for the article and those around it: each article's nearest is computed once.
      const memo: NearestMemo = new Map();
      const neighbours = await refreshId(articleId, memo);
      const doc = await readDoc(db, articleId);
      const members = doc?.storyId == null ? [] : await storyMemberIds(db, doc.storyId, STORY_MEMBERS_READ);
      const around = [...new Set([...neighbours.slice(0, 5), ...members])].filter((id) => id !== articleId);
      for (const id of around) await refreshId(id, memo);
      return [articleId, ...around];
    },
    async refreshMany(articleIds, progress) {
      if (articleIds.length === 0) return;
      if (articleIds.length >= (deps.bulkFrom ?? BULK_FROM)) {
        await inBulk(async (pool) => {
          const post = await bulkIndex(deps.database, pool, articleIds, progress, deps.bulkKeepBytes);
          await bulkStoriesAndLists(deps.database, pool, articleIds, { limit: deps.limit ?? STORED, progress, post });
          await refreshStatistics(deps.database);
        });
        return;
      }
      // Fewer than BULK_FROM articles (a feed poll's few items, a small import): no planner statistics here.
      // They change nothing a plan depends on, autovacuum counts them in, and refreshing them per poll
      // (`vacuum (analyze)` of the postings) cost more than the items themselves on a large archive.
      // An import may have left its articles unindexed (`deferIndexes`): a first pass counts their words,
      // then every article is weighed with the final counts.
      const known = await indexedAmong(db, articleIds);
      await reindex(articleIds.filter((id) => !known.has(id)));
      await reindex(articleIds, (done) => progress?.('weigh', done, articleIds.length));
      await clusterAndList(articleIds, (phase, done, total) => progress?.(phase, done, total));
    },
    async rebuild(progress) {
      const ids = (
        await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id').execute()
      ).map((r) => Number(r.id));
      const total = ids.length;
      await clearRelatedIndex(db);
      await db.deleteFrom('related_articles').execute();
      if (total >= (deps.bulkFrom ?? BULK_FROM)) {
        await inBulk(async (pool) => {
          const post = await bulkIndex(deps.database, pool, ids, progress, deps.bulkKeepBytes);
          await bulkStoriesAndLists(deps.database, pool, undefined, { limit: deps.limit ?? STORED, progress, post });
          await refreshStatistics(deps.database);
        });
        return total;
      }
      // Twice: the first pass counts the words, the second weighs every article with the final counts.
      for (const phase of ['index', 'weigh'] as const) {
        for (let i = 0; i < total; i += REBUILD_BATCH) {
          await reindex(ids.slice(i, i + REBUILD_BATCH));
          progress?.(phase, Math.min(total, i + REBUILD_BATCH), total);
        }
        await refreshStatistics(deps.database);
      }
      await clusterAndList(ids, (phase, done, all) => progress?.(phase, done, all));
      return total;
    },
    read: (articleId) => readRelatedSummaries(deps.database.reader, articleId),
    story: (articleId) => readStorySummaries(deps.database.reader, articleId),
    storyAndRelated: (articleId) => readStoryAndRelated(deps.database.reader, articleId),
    explain: (articleId) =>
      explainRelated(deps.database, articleId, async (doc, ids) => judgeItems(source, doc, ids, await currentFloor())),
    forget: (articleId) => forgetRelated(db, articleId),
  };
  return service;
}
