/**
 * The related-news index: document frequencies, postings and per-article
 * vectors (tables from migration 0003). Indexing happens in the transaction
 * that publishes or saves an article; candidates are read by feature, nearest
 * in time first, so a lookup costs the same at ten thousand articles as at a
 * million.
 *
 * Document frequencies count articles when they are first indexed; an edit
 * or an unpublication does not uncount them (the statistic drifts by a few
 * edits, never by articles). `dateline related rebuild` recounts from scratch.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../db/connect.js';
import type { RelatedDocsTable, Schema } from '../db/schema.js';
import { extractFeatures, type TextParts } from './features.js';
import {
  buildVector,
  DOCUMENT_COUNT_TERM,
  POSTED_TERMS,
  packVector,
  type SparseVector,
  simhash,
  termHash,
  unpackVector,
} from './vector.js';

type Db = Kysely<Schema>;

const DAY_MS = 86_400_000;
/** Rows per multi-row statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 2000;

export interface IndexedDoc {
  id: number;
  publishedMs: number;
  words: number;
  vector: SparseVector;
  simhash: string;
  storyId: number | null;
}

export interface IndexInput {
  id: number;
  publishedAt: Date;
  text: TextParts;
}

export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Document frequencies of `terms` (0 for unseen ones). */
export async function readDf(db: Db, terms: Iterable<number>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const part of chunks([...new Set(terms)], 500)) {
    const rows = await db.selectFrom('related_df').select(['term', 'df']).where('term', 'in', part).execute();
    for (const r of rows) out.set(Number(r.term), Number(r.df));
  }
  return out;
}

/** Adds to document frequencies (term → how many more articles carry it). */
export async function addDf(db: Db, deltas: Map<number, number>): Promise<void> {
  for (const part of chunks([...deltas], 1000)) {
    await db
      .insertInto('related_df')
      .values(part.map(([term, df]) => ({ term, df })))
      .onConflict((oc) =>
        oc.column('term').doUpdateSet({ df: (eb) => eb('related_df.df', '+', eb.ref('excluded.df')) }),
      )
      .execute();
  }
}

const DOC_COLUMNS = ['article_id', 'published_ms', 'words', 'vector', 'simhash', 'story_id'] as const;

function toDoc(r: RelatedDocsTable): IndexedDoc {
  return {
    id: Number(r.article_id),
    publishedMs: Number(r.published_ms),
    words: Number(r.words),
    vector: unpackVector(r.vector),
    simhash: r.simhash,
    storyId: r.story_id === null ? null : Number(r.story_id),
  };
}

export async function readDocs(db: Db, ids: number[]): Promise<IndexedDoc[]> {
  const out: IndexedDoc[] = [];
  for (const part of chunks([...new Set(ids)], 500)) {
    if (part.length === 0) continue;
    const rows = await db.selectFrom('related_docs').select(DOC_COLUMNS).where('article_id', 'in', part).execute();
    out.push(...rows.map(toDoc));
  }
  return out;
}

export async function readDoc(db: Db, id: number): Promise<IndexedDoc | undefined> {
  const row = await db.selectFrom('related_docs').select(DOC_COLUMNS).where('article_id', '=', id).executeTakeFirst();
  return row ? toDoc(row) : undefined;
}

/** Removes the postings of these articles' vectors as indexed. */
export async function deletePostings(db: Db, docs: { id: number; publishedMs: number; vector: SparseVector }[]) {
  for (const d of docs) {
    const terms = [...d.vector.terms.slice(0, POSTED_TERMS)];
    if (terms.length === 0) continue;
    await db
      .deleteFrom('related_postings')
      .where('term', 'in', terms)
      .where('day', '=', dayOf(d.publishedMs))
      .where('article_id', '=', d.id)
      .execute();
  }
}

/**
 * Indexes published articles (new or edited) in one go: features, document
 * frequencies (counted once per article), vectors, postings. Call inside the
 * transaction that saves them. A re-indexed article keeps its story.
 */
export async function indexForRelated(db: Db, batch: IndexInput[]): Promise<void> {
  // An article saved twice in one batch is indexed as last saved.
  const items = [...new Map(batch.map((i) => [i.id, i])).values()];
  if (items.length === 0) return;
  const previous = new Map(
    (
      await readDocs(
        db,
        items.map((i) => i.id),
      )
    ).map((d) => [d.id, d]),
  );
  await deletePostings(db, [...previous.values()]);

  const prepared = items.map((item) => ({ item, ...featureCounts(item.text) }));
  const deltas = new Map<number, number>();
  let added = 0;
  for (const p of prepared) {
    if (previous.has(p.item.id)) continue;
    added++;
    for (const h of p.counts.keys()) deltas.set(h, (deltas.get(h) ?? 0) + 1);
  }
  if (added > 0) deltas.set(DOCUMENT_COUNT_TERM, added);
  await addDf(db, deltas);

  const df = await readDf(db, [DOCUMENT_COUNT_TERM, ...prepared.flatMap((p) => [...p.counts.keys()])]);
  const documents = df.get(DOCUMENT_COUNT_TERM) ?? 0;
  const docs = prepared.map((p) => ({
    article_id: p.item.id,
    published_ms: p.item.publishedAt.getTime(),
    words: p.words.length,
    vector: buildVector(p.counts, (t) => df.get(t) ?? 0, documents),
    simhash: simhash(p.words),
  }));
  await storeVectors(db, docs);
}

/** An article's features as hashed terms with their field-weighted counts, and its words. */
export function featureCounts(text: TextParts): { counts: Map<number, number>; words: string[] } {
  const f = extractFeatures(text);
  const counts = new Map<number, number>();
  for (const [term, weight] of f.terms) {
    const h = termHash(term);
    counts.set(h, (counts.get(h) ?? 0) + weight);
  }
  return { counts, words: f.words };
}

export interface VectorRow {
  article_id: number;
  published_ms: number;
  words: number;
  vector: SparseVector;
  simhash: string;
}

/** A vector row with its vector as stored (`packVector`). */
export type PackedVectorRow = Omit<VectorRow, 'vector'> & { vector: Uint8Array };

/** Writes articles' vectors (a re-indexed article keeps its story) and posts their strongest features. */
export async function storeVectors(db: Db, docs: VectorRow[]): Promise<void> {
  await storePackedVectors(
    db,
    docs.map((d) => ({ ...d, vector: packVector(d.vector) })),
  );
  const postings = docs.flatMap((d) =>
    [...d.vector.terms.slice(0, POSTED_TERMS)].map((term, i) => ({
      term,
      day: dayOf(d.published_ms),
      article_id: d.article_id,
      weight: d.vector.weights[i] as number,
    })),
  );
  for (const part of chunks(postings)) await db.insertInto('related_postings').values(part).execute();
}

/** Writes articles' vectors, packed, without posting them (a bulk pass posts everything at the end, in key order). */
export async function storePackedVectors(db: Db, rows: PackedVectorRow[]): Promise<void> {
  for (const part of chunks(rows, 500)) {
    await db
      .insertInto('related_docs')
      .values(part.map((d) => ({ ...d, story_id: null })))
      .onConflict((oc) =>
        oc.column('article_id').doUpdateSet((eb) => ({
          published_ms: eb.ref('excluded.published_ms'),
          words: eb.ref('excluded.words'),
          vector: eb.ref('excluded.vector'),
          simhash: eb.ref('excluded.simhash'),
        })),
      )
      .execute();
  }
}

/** Takes an article out of the index (unpublished). Its story label stays on the others. */
export async function removeFromRelatedIndex(db: Db, id: number): Promise<void> {
  const doc = await readDoc(db, id);
  if (!doc) return;
  await deletePostings(db, [doc]);
  await db.deleteFrom('related_docs').where('article_id', '=', id).execute();
}

export interface Posting {
  term: number;
  day: number;
  articleId: number;
  weight: number;
}

/** PostgreSQL: for each row of `q(term)`, `p` = its `half` postings on or before `day` and `half` after. */
function nearestPostings(day: number, half: number): RawBuilder<unknown> {
  const side = (cond: RawBuilder<unknown>, order: RawBuilder<unknown>) =>
    sql`(select day, article_id, weight from related_postings
      where term = q.term and ${cond} order by ${order} limit ${half})`;
  return sql`cross join lateral (${side(sql`day <= ${day}`, sql`day desc`)} union all ${side(sql`day > ${day}`, sql`day asc`)}) as p`;
}

/**
 * For each term, up to `perTerm` postings nearest in time to `day` (half on
 * or before it, half after), in one statement. PostgreSQL takes the terms as
 * one array through a lateral join (one small plan, whatever the number of
 * terms); SQLite, which has no lateral join, a `union all` of index reads.
 */
export async function postingsNear(
  db: Db,
  dialect: Dialect,
  terms: number[],
  day: number,
  perTerm: number,
): Promise<Posting[]> {
  if (terms.length === 0) return [];
  const half = Math.max(1, Math.floor(perTerm / 2));
  type Row = { term: number; day: number; article_id: number; weight: number };
  let query: RawBuilder<Row>;
  if (dialect === 'postgres') {
    query = sql<Row>`select q.term, p.day, p.article_id, p.weight
      from unnest(${sql.val(terms)}::int[]) as q(term) ${nearestPostings(day, half)}`;
  } else {
    const parts = terms.flatMap((t) => [
      sql`select * from (select term, day, article_id, weight from related_postings where term = ${t} and day <= ${day} order by day desc limit ${half}) as b`,
      sql`select * from (select term, day, article_id, weight from related_postings where term = ${t} and day > ${day} order by day asc limit ${half}) as a`,
    ]);
    query = sql<Row>`${sql.join(parts, sql` union all `)}`;
  }
  const { rows } = await query.execute(db);
  return rows.map((r) => ({
    term: Number(r.term),
    day: Number(r.day),
    articleId: Number(r.article_id),
    weight: Number(r.weight),
  }));
}

/**
 * The best `limit` candidates by partial score: for each query term, its
 * postings nearest in time (`perTerm`, as `postingsNear`), each worth
 * query weight × posting weight × `timeWeight(days apart)`, summed per
 * article; articles in `skip` left out. `timeWeight(d) = floor + (1 − floor)
 * · exp(−|d| · perDay)`. On PostgreSQL the sum is done in SQL, so a couple of
 * hundred rows come back instead of every posting (at a million articles,
 * moving and parsing ~14,000 posting rows was most of a computation).
 */
export async function bestCandidates(
  db: Db,
  dialect: Dialect,
  query: { terms: number[]; weights: number[] },
  near: { day: number; perTerm: number; floor: number; perDay: number },
  limit: number,
  skip: Set<number>,
): Promise<number[]> {
  if (query.terms.length === 0) return [];
  const { day, perTerm, floor, perDay } = near;
  if (dialect === 'postgres') {
    const half = Math.max(1, Math.floor(perTerm / 2));
    const { rows } = await sql<{ article_id: number }>`select p.article_id
      from unnest(${sql.val(query.terms)}::int[], ${sql.val(query.weights)}::float8[]) as q(term, w)
      ${nearestPostings(day, half)}
      where not (p.article_id = any(${sql.val([...skip])}::int[]))
      group by p.article_id
      order by sum(q.w * p.weight * (${floor}::float8 + ${1 - floor}::float8 * exp(greatest(-700, -abs(p.day - ${day}) * ${perDay}::float8)))) desc,
        p.article_id desc
      limit ${limit}`.execute(db);
    return rows.map((r) => Number(r.article_id));
  }
  const weight = new Map(query.terms.map((t, i) => [t, query.weights[i] as number]));
  const partial = new Map<number, number>();
  for (const p of await postingsNear(db, dialect, query.terms, day, perTerm)) {
    if (skip.has(p.articleId)) continue;
    const w = (weight.get(p.term) ?? 0) * p.weight * (floor + (1 - floor) * Math.exp(-Math.abs(p.day - day) * perDay));
    partial.set(p.articleId, (partial.get(p.articleId) ?? 0) + w);
  }
  return [...partial]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, limit)
    .map(([id]) => id);
}

export async function setStory(db: Db, ids: number[], storyId: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('related_docs').set({ story_id: storyId }).where('article_id', 'in', ids).execute();
}

/**
 * The `limit` indexed articles published just before one (at `publishedMs`,
 * id breaking ties), nearest first: how many articles apart two are, in
 * publication order.
 */
/** The latest `limit` indexed articles, newest first (publication order, as `publishedBefore`). */
export async function latestIds(db: Db, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('related_docs')
    .select('article_id')
    .orderBy('published_ms', 'desc')
    .orderBy('article_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.article_id));
}

export async function publishedBefore(db: Db, publishedMs: number, id: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('related_docs')
    .select('article_id')
    .where((eb) =>
      eb.or([
        eb('published_ms', '<', publishedMs),
        eb.and([eb('published_ms', '=', publishedMs), eb('article_id', '<', id)]),
      ]),
    )
    .orderBy('published_ms', 'desc')
    .orderBy('article_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.article_id));
}

/** Ids of the articles of a story, oldest first. */
export async function storyMemberIds(db: Db, storyId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('related_docs')
    .select('article_id')
    .where('story_id', '=', storyId)
    .orderBy('published_ms')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.article_id));
}

/** Empties the index (before a full rebuild). */
export async function clearRelatedIndex(db: Db): Promise<void> {
  await db.deleteFrom('related_postings').execute();
  await db.deleteFrom('related_docs').execute();
  await db.deleteFrom('related_df').execute();
}
