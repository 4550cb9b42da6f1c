/**
 * The indexes kept in step with published articles (full-text search, the
 * related-news index), written inside the transaction that saves. The
 * article service knows them only through this interface; the composition
 * root hands it the search and related indexes, so `articles/` depends on
 * neither.
 *
 * @example
 *   const search: ArticleIndex = {
 *     add: (trx, docs) => indexArticles(trx, dialect, docs.map(searchDocument)),
 *     remove: (trx, ids) => removeFromIndex(trx, dialect, ids),
 *   };
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** What an index reads of a published article: its text, labels and publication time. */
export interface IndexDocument {
  id: number;
  publishedAt: Date;
  text: ArticleText;
}

export interface ArticleText {
  headline: string;
  standfirst: string;
  /** Plain text of the body. */
  body: string;
  section?: { slug: string; name: string };
  tags?: { slug: string; name: string }[];
  /** The article's language tag (`en`, `ru`, `zh-Hans`): the indexes read its words in it. */
  language?: string;
}

export interface ArticleIndex {
  /** Adds or replaces these published articles' entries. */
  add(trx: Kysely<Schema>, docs: IndexDocument[]): Promise<void>;
  /** Removes these articles (unpublished) from the index. */
  remove(trx: Kysely<Schema>, ids: number[]): Promise<void>;
  /**
   * A bulk import may leave adding to its caller (`saveMany` with
   * `deferIndexes`), which indexes all its articles at once afterwards (the
   * related-news index: word statistics are only final then). Removals are
   * never deferred.
   */
  deferrable?: boolean;
  /**
   * What a deferred add does in the save's transaction instead, if anything:
   * the full-text index on PostgreSQL queues the ids (`search_reindex`), which
   * another connection indexes meanwhile, on the other core (`reindexQueued`).
   */
  defer?(trx: Kysely<Schema>, ids: number[]): Promise<void>;
}
