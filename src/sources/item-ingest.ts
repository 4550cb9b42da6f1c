/**
 * One feed item → one article, in one transaction (the article, its
 * indexes, its revision and the item's row commit together or not at all):
 * - an item never seen becomes a new article, a draft or published per its source;
 * - an item seen before (same GUID in its source, or same URL or canonical
 *   URL) whose text changed updates its article — unless someone in the
 *   newsroom edited the article since the feed last wrote it: then the
 *   article stays as they left it and the feed's new version is kept as a
 *   revision they can compare with (`articles.compare`);
 * - an item unchanged since the last poll costs one lookup.
 *
 * @example
 *   const { outcome, articleId, changes } = await ingestItem({ database, articles }, source, item, new Date());
 *   outcome; // 'created' | 'updated' | 'unchanged' | 'kept'
 *   changes; // [{ event: 'article.published', article: { id, sectionId, … } }] for a published article
 */
import { type Article, type ArticleInput, type Block, stripTags } from '../articles/article.js';
import { findArticleById } from '../articles/article.repository.js';
import type { ArticleService } from '../articles/article.service.js';
import { plainTextToBlocks } from '../articles/blocks.js';
import { snapshotOf } from '../articles/revision.js';
import { recordRevision } from '../articles/revision.repository.js';
import type { Database } from '../db/connect.js';
import type { ArticleChange } from '../events/event-bus.js';
import { htmlToBlocks } from '../extract/html-to-blocks.js';
import { AppError } from '../lib/errors.js';
import { type FeedItem, hashOf } from './feed-parse.js';
import type { Source } from './source.js';
import { findItem, type ItemWrite, upsertItem } from './source.repository.js';

export type ItemOutcome = 'created' | 'updated' | 'unchanged' | 'kept';

/** What became of an item, the article it is, and the article's change as readers see it (none for a draft). */
export interface ItemResult {
  outcome: ItemOutcome;
  articleId: number;
  changes: ArticleChange[];
}

export interface IngestDeps {
  database: Database;
  articles: Pick<ArticleService, 'saveFromSource'>;
}

const HEADLINE_MAX = 300;
const STANDFIRST_MAX = 1000;

export async function ingestItem(deps: IngestDeps, source: Source, item: FeedItem, now: Date): Promise<ItemResult> {
  const { db } = deps.database;
  const itemHash = hashOf(JSON.stringify(item));
  const urls = [item.url, item.canonicalUrl].filter((u): u is string => !!u);
  const existing = await findItem(db, source.id, { guid: item.guid, urls });
  if (existing && existing.item_hash === itemHash)
    return { outcome: 'unchanged', articleId: existing.article_id, changes: [] };
  const input = articleInputOf(source, item, now);
  const write = (articleId: number, writtenHash: string) => ({
    sourceId: source.id,
    guid: item.guid,
    url: item.url ?? null,
    canonicalUrl: item.canonicalUrl ?? null,
    articleId,
    itemHash,
    writtenHash,
    at: now,
  });
  const article = existing && (await findArticleById(db, existing.article_id));
  if (!existing || !article) {
    const saved = await deps.articles.saveFromSource(input, { kind: 'new' }, async (trx, saved) => {
      await upsertItem(trx, write(saved.id, textHash(await findArticleById(trx, saved.id))));
    });
    return { outcome: 'created', articleId: saved.id, changes: saved.changes };
  }
  if (textHash(article) === existing.written_hash) {
    try {
      const saved = await deps.articles.saveFromSource(
        updateOf(article, input),
        { kind: 'id', id: article.id, expectedVersion: article.version },
        async (trx, saved) => upsertItem(trx, write(saved.id, textHash(await findArticleById(trx, saved.id)))),
      );
      return { outcome: 'updated', articleId: article.id, changes: saved.changes };
    } catch (err) {
      // Someone in the newsroom saved it between our read and our write: their edit stands.
      if (!(err instanceof AppError && err.code === 'VERSION_CONFLICT')) throw err;
    }
  }
  await keepAsRevision(deps.database, article, input, write(article.id, existing.written_hash), now);
  return { outcome: 'kept', articleId: article.id, changes: [] };
}

/** The feed's version beside the newsroom's: a revision by nobody, the article itself untouched. */
async function keepAsRevision(
  database: Database,
  article: Article,
  input: ArticleInput,
  row: ItemWrite,
  now: Date,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await recordRevision(trx, {
      articleId: article.id,
      version: article.version,
      savedAt: now,
      snapshot: snapshotOf(input, input.body, article.status),
    });
    await upsertItem(trx, row);
  });
}

/** The feed's text over the article as it stands: its status, times and workflow stay the newsroom's. */
function updateOf(article: Article, input: ArticleInput): ArticleInput {
  const { status: _s, publishedAt: _p, ...text } = input;
  return {
    ...text,
    status: article.status,
    ...(article.publishedAt ? { publishedAt: article.publishedAt } : {}),
    ...(article.publishedDayOnly ? { publishedDayOnly: true } : {}),
    tags: article.tags.map(({ name, slug }) => ({ name, slug })),
    section: { name: article.section.name, slug: article.section.slug },
  };
}

/** What an editor would change: the text. */
function textHash(a: Article | undefined): string {
  return a ? hashOf(JSON.stringify([a.headline, a.standfirst, a.body])) : '';
}

export function articleInputOf(source: Source, item: FeedItem, now: Date): ArticleInput {
  const body = bodyOf(item);
  const headline = clip(item.title || item.summary || firstText(body) || 'Untitled', HEADLINE_MAX);
  const url = item.canonicalUrl ?? item.url;
  return {
    headline,
    standfirst: clip(item.summary === headline ? '' : item.summary, STANDFIRST_MAX),
    body,
    authors: item.authors.map((name) => ({ name: clip(name, 200) })),
    section: { name: source.section },
    tags: [],
    status: source.mode === 'publish' ? 'published' : 'draft',
    ...(source.mode === 'publish' ? { publishedAt: item.publishedAt ?? now } : {}),
    ...(item.updatedAt && source.mode === 'publish' ? { updatedAt: maxDate(item.updatedAt, item.publishedAt) } : {}),
    source: {
      name: source.attribution ?? source.name,
      ...(url ? { url } : {}),
      ...(source.licence ? { licence: source.licence } : {}),
    },
  };
}

function bodyOf(item: FeedItem): Block[] {
  if (item.html) return htmlToBlocks(item.html, item.url ?? item.canonicalUrl ?? 'http://invalid/');
  return item.text ? plainTextToBlocks(item.text) : [];
}

function firstText(body: Block[]): string {
  const first = body.find((b) => b.type === 'paragraph');
  return first?.type === 'paragraph' ? stripTags(first.html) : '';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function maxDate(a: Date, b: Date | undefined): Date {
  return b && b > a ? b : a;
}
