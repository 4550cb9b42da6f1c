/**
 * Moves a whole site from one database to another (SQLite ⇄ PostgreSQL, or
 * the same dialect) with nothing lost: every table, ids preserved, in one
 * transaction on the target; then the search index is rebuilt, PostgreSQL
 * sequences are moved past the copied ids, and row counts and content
 * checksums are compared table by table before anything is committed.
 *
 * @example
 *   const [from, to] = await Promise.all([connect('sqlite:./data/dateline.db'), connect(process.env.PG_URL!)]);
 *   const report = await copySite(from, to, { onProgress: (table, n, total) => log(`${table} ${n}/${total}`) });
 */
import { type Kysely, sql } from 'kysely';
import { bodyText } from '../articles/article.js';
import type { Database, Dialect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import { indexForRelated, setStory } from '../related/related-index.repository.js';
import { indexArticle } from '../search/search.repository.js';
import { countWords } from '../search/suggest.repository.js';
import { type TableSum, tableHash, toWritable } from './checksum.js';

export interface CopyOptions {
  /** Rows read (and written) per round trip; 1000 unless told. */
  batchSize?: number;
  /** Called after each batch of a table, and once for an empty table. */
  onProgress?: (table: string, copied: number, total: number) => void;
}

export interface TableReport extends TableSum {
  name: string;
}

export interface CopyReport {
  /** One entry per copied table, in copy order; counts and checksums are the same on both sides. */
  tables: TableReport[];
  seconds: number;
}

export type CopyErrorCode = 'COPY_TARGET_NOT_EMPTY' | 'COPY_VERIFY_FAILED' | 'COPY_ROW_REFUSED';

export class CopyError extends Error {
  constructor(
    readonly code: CopyErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Row = Record<string, unknown>;
/** The copy handles every table alike, so it sees them untyped. */
type AnyDb = Kysely<Record<string, Row>>;

interface CopyTable {
  name: keyof Schema;
  /** The primary key: rows are read in this order, in pages that start after the last key seen. */
  key: readonly string[];
  /** Rows the target's migrations wrote (the starter content pages), replaced by the source's. */
  seeded?: true;
  /** Columns the database computes itself (PostgreSQL's generated ones): neither copied nor compared. */
  derived?: readonly string[];
}

/**
 * Every table of the schema, parents before children. `article_search` (with
 * `article_search_heads`), `articles_fts` and the suggestion words
 * (`search_words`) are not copied: the index is rebuilt in the target's own
 * dialect. Nor is the related-news index (`related_df`, `related_postings`,
 * `related_docs`): it is rebuilt from the copied articles, stories kept.
 * Nor is `jobs` (SQLite's job queue): scheduled articles are published on the
 * target by its own sweep, and the rest is operational state. Nor are
 * `weather_places` and `weather_searches`: the geocoder's answers, a cache the
 * target fills again on demand. Users, invitations and the audit log are
 * copied (users before articles, which name their creator); sessions, login
 * attempts and password-reset links are not: operational state, like `jobs`
 * (everyone signs in again on the new database). Webhooks are copied, their
 * deliveries are not (a log of what was sent from the old database). Nor is
 * `cache_invalidations` (SQLite's invalidation log: messages of a few minutes).
 */
export const COPY_TABLES: readonly CopyTable[] = [
  { name: 'sections', key: ['id'] },
  { name: 'authors', key: ['id'] },
  { name: 'tags', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'articles', key: ['id'], derived: ['headline_words'] },
  { name: 'article_authors', key: ['article_id', 'author_id'] },
  { name: 'old_permalinks', key: ['path'] },
  { name: 'article_tags', key: ['article_id', 'tag_id'] },
  { name: 'article_revisions', key: ['id'] },
  { name: 'article_notes', key: ['id'] },
  { name: 'settings', key: ['key'] },
  { name: 'related_articles', key: ['article_id', 'rank'] },
  // The records of uploaded images; their files are in MEDIA_DIR, copied along by the operator (docs/DEPLOY.md).
  { name: 'images', key: ['id'] },
  { name: 'invitations', key: ['id'] },
  { name: 'audit_log', key: ['id'] },
  { name: 'webhooks', key: ['id'] },
  { name: 'content_pages', key: ['id'], seeded: true },
  { name: 'live_coverages', key: ['id'] },
  { name: 'live_entries', key: ['id'] },
  // Breaking-news flags: the record of what was flagged when (one still in its time box shows on the target).
  { name: 'breaking_news', key: ['id'] },
  // Feed sources with their status, and which article each item became (so the next poll updates, not duplicates).
  { name: 'sources', key: ['id'] },
  { name: 'source_items', key: ['id'] },
];

/** Tables whose ids come from a sequence (identity column) on PostgreSQL. */
const IDENTITY_TABLES = [
  'sections',
  'authors',
  'tags',
  'users',
  'articles',
  'article_revisions',
  'article_notes',
  'images',
  'invitations',
  'audit_log',
  'webhooks',
  'content_pages',
  'live_coverages',
  'live_entries',
  'breaking_news',
  'sources',
  'source_items',
] as const;

/** Bound values per INSERT statement, well under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMETERS = 10_000;

/**
 * Copies the site in `from` into `to`, which must hold no article, section,
 * tag, author, image, user, invitation or audit entry (`COPY_TARGET_NOT_EMPTY`). The target is migrated first; the
 * copy itself is all or nothing, verification included (`COPY_VERIFY_FAILED`).
 */
export async function copySite(from: Database, to: Database, options: CopyOptions = {}): Promise<CopyReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  await migrate(to);
  // One snapshot of the source (a live site may go on writing) and one transaction on the target.
  const tables = await from.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((source) =>
      to.db.transaction().execute(async (target) => {
        await assertEmpty(target);
        const copied: TableReport[] = [];
        for (const table of COPY_TABLES) {
          const sum = await copyTable(untyped(source), untyped(target), table, batchSize, options.onProgress);
          copied.push({ name: table.name, ...sum });
        }
        await rebuildSearchIndex(target, to.dialect, batchSize);
        await rebuildRelatedIndex(source, target, batchSize);
        if (to.dialect === 'postgres') await resetSequences(target);
        return verify(target, copied, batchSize);
      }),
    );
  return { tables, seconds: (performance.now() - started) / 1000 };
}

/** Row count and checksum of every copied table, read in primary-key order; equal databases give equal lists. */
export async function checksumTables(db: Kysely<Schema>, batchSize = 1000): Promise<TableReport[]> {
  const out: TableReport[] = [];
  for (const table of COPY_TABLES) {
    const hash = tableHash();
    for await (const rows of pages(untyped(db), table, batchSize)) for (const row of rows) hash.add(row);
    out.push({ name: table.name, ...hash.digest() });
  }
  return out;
}

async function assertEmpty(target: Kysely<Schema>): Promise<void> {
  const held: string[] = [];
  const seeded = new Set<string>(COPY_TABLES.filter((t) => t.seeded).map((t) => t.name));
  for (const table of IDENTITY_TABLES) {
    if (seeded.has(table)) continue;
    if (await target.selectFrom(table).select('id').limit(1).executeTakeFirst()) held.push(table);
  }
  if (held.length > 0) {
    throw new CopyError(
      'COPY_TARGET_NOT_EMPTY',
      `the target database already holds ${held.join(', ')}; copy only into an empty database`,
      { tables: held },
    );
  }
}

/** Copies one table page by page; the checksum is taken over the rows as read from the source. */
async function copyTable(
  source: AnyDb,
  target: AnyDb,
  table: CopyTable,
  batchSize: number,
  onProgress: CopyOptions['onProgress'],
): Promise<TableSum> {
  const total = await countRows(source, table.name);
  if (table.seeded) await target.deleteFrom(table.name).execute();
  const hash = tableHash();
  let copied = 0;
  for await (const rows of pages(source, table, batchSize)) {
    for (const row of rows) hash.add(row);
    await insertRows(target, table, rows);
    copied += rows.length;
    onProgress?.(table.name, copied, total);
  }
  if (copied === 0) onProgress?.(table.name, 0, total);
  return hash.digest();
}

/** Pages of `batchSize` rows in primary-key order (keyset paging: each page starts after the last key). */
async function* pages(db: AnyDb, table: CopyTable, batchSize: number): AsyncGenerator<Row[]> {
  const key = sql.join(table.key.map((column) => sql.ref(column)));
  let after: unknown[] | undefined;
  for (;;) {
    let query = db.selectFrom(table.name).selectAll();
    if (after) query = query.where(sql<boolean>`(${key}) > (${sql.join(after)})`);
    for (const column of table.key) query = query.orderBy(column);
    const rows = await query.limit(batchSize).execute();
    if (table.derived) for (const row of rows) for (const column of table.derived) delete row[column];
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = table.key.map((column) => last[column]);
  }
}

async function insertRows(target: AnyDb, table: CopyTable, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  for (const row of rows) assertStorable(table, row);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    try {
      await target.insertInto(table.name).values(chunk.map(writable)).execute();
    } catch (err) {
      // The target refused the statement: say which rows it held, so the row can be found and mended in the source.
      const span =
        chunk.length === 1
          ? rowName(table, chunk[0]!)
          : `${rowName(table, chunk[0]!)} to ${rowName(table, chunk.at(-1)!)}`;
      throw new CopyError('COPY_ROW_REFUSED', `could not copy ${span}: ${(err as Error).message}`, {
        table: table.name,
      });
    }
  }
}

/**
 * PostgreSQL refuses a NUL character in text, which SQLite stores (an archive imported before imports stripped
 * them): name the row and the column rather than failing on a whole batch with "invalid byte sequence".
 */
function assertStorable(table: CopyTable, row: Row): void {
  for (const [column, value] of Object.entries(row)) {
    if (typeof value === 'string' && value.includes('\u0000'))
      throw new CopyError(
        'COPY_ROW_REFUSED',
        `could not copy ${rowName(table, row)}: ${column} holds a NUL character, which PostgreSQL cannot store; remove it in the source`,
        { table: table.name, column },
      );
  }
}

/** "articles row id=42" — a row named by its key. */
const rowName = (table: CopyTable, row: Row): string =>
  `${table.name} row ${table.key.map((column) => `${column}=${String(row[column])}`).join(', ')}`;

const writable = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toWritable(v)]));

async function countRows(db: AnyDb, table: string): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Published articles only, with the same document the article service indexes. */
async function rebuildSearchIndex(target: Kysely<Schema>, dialect: Dialect, batchSize: number): Promise<void> {
  for await (const rows of publishedPages(target, batchSize)) {
    for (const r of rows) {
      await indexArticle(target, dialect, { ...r, body: bodyText(JSON.parse(r.body)) });
    }
    await countWords(
      target,
      rows.map((r) => `${r.headline} ${r.standfirst}`),
    );
  }
}

async function* publishedPages(target: Kysely<Schema>, batchSize: number) {
  let after = 0;
  for (;;) {
    const rows = await target
      .selectFrom('articles')
      .select(['id', 'headline', 'standfirst', 'body', 'published_at', 'language'])
      .where('status', '=', 'published')
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The related-news index is rebuilt too (twice: the first pass counts words,
 * the second weighs every article with the final counts), and each article
 * keeps the story it had on the source.
 */
async function rebuildRelatedIndex(source: Kysely<Schema>, target: Kysely<Schema>, batchSize: number): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    for await (const rows of publishedPages(target, batchSize)) {
      await indexForRelated(
        target,
        rows.map((r) => ({
          id: r.id,
          publishedAt: toDate(r.published_at as string),
          text: {
            headline: r.headline,
            standfirst: r.standfirst,
            body: bodyText(JSON.parse(r.body)),
            language: r.language,
          },
        })),
      );
    }
  }
  const stories = await source.selectFrom('related_docs').select(['article_id', 'story_id']).execute();
  const byStory = new Map<number, number[]>();
  for (const r of stories) {
    if (r.story_id === null) continue;
    const ids = byStory.get(Number(r.story_id)) ?? [];
    ids.push(Number(r.article_id));
    byStory.set(Number(r.story_id), ids);
  }
  for (const [story, ids] of byStory) await setStory(target, ids, story);
}

/** Copied rows carry their ids, so each sequence must move past them before the site inserts again. */
async function resetSequences(target: Kysely<Schema>): Promise<void> {
  for (const table of IDENTITY_TABLES) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false)
      from ${sql.table(table)}`.execute(target);
  }
}

/** Reads the target back inside the copy's transaction: a mismatch rolls the whole copy back. */
async function verify(target: Kysely<Schema>, source: TableReport[], batchSize: number): Promise<TableReport[]> {
  const copied = await checksumTables(target, batchSize);
  const mismatches = copied.flatMap((t, i) => {
    const s = source[i]!;
    if (t.rows !== s.rows) return [`${t.name} (${s.rows} rows in the source, ${t.rows} in the target)`];
    return t.checksum === s.checksum ? [] : [`${t.name} (checksums differ)`];
  });
  if (mismatches.length > 0) {
    throw new CopyError('COPY_VERIFY_FAILED', `the copy does not match the source: ${mismatches.join('; ')}`, {
      source,
      target: copied,
    });
  }
  return copied;
}

const untyped = (db: Kysely<Schema>): AnyDb => db as unknown as AnyDb;
