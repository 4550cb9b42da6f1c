/**
 * Why a related article is related: the words and entities the two share
 * (strongest first), how far apart in time they are, whether they belong to
 * one story, and as the engine judges it today (`judge`: `judgeItems`) their
 * text similarity, the similarity the item needs to be shown and, where that
 * was asked, how many nearest neighbours the two share. Computed on request
 * from the articles' text and the index, so the stored lists stay small.
 *
 * @example
 *   const why = await explainRelated(database, 12, judge);
 *   why[0]; // { id: 40, rank: 0, score: 0.61, similarity: 0.58, needed: 0.17, sharedNeighbours: null, sameStory: true, hoursApart: 5.5, sharedTerms: ['eruption', …], sharedEntities: ['Grindavik'], sharedLabels: ['#Iceland'] }
 */

import { articleText, publishedTexts } from '../articles/article-text.repository.js';
import type { Database } from '../db/connect.js';
import { extractFeatures, type Features } from './features.js';
import { readRelatedRows } from './related.repository.js';
import type { RelatedExplanation } from './related.service.js';
import { type IndexedDoc, readDocs } from './related-index.repository.js';
import type { Judged } from './related-list.js';

const SHOWN = 6;

const isLabel = (key: string) => key.startsWith('#') || key.startsWith('§');

/** Features both articles have, strongest (product of weights) first, as written in the article. */
export function sharedFeatures(a: Features, b: Features): { terms: string[]; entities: string[]; labels: string[] } {
  const shared = [...a.terms]
    .filter(([k]) => b.terms.has(k) && !k.includes('+'))
    .map(([k, w]) => ({ k, w: w * (b.terms.get(k) ?? 0) }))
    .sort((x, y) => y.w - x.w);
  const pick = (keep: (key: string) => boolean) =>
    shared
      .filter((s) => keep(s.k))
      .slice(0, SHOWN)
      .map((s) => a.surface.get(s.k) ?? s.k);
  return {
    terms: pick((k) => !k.startsWith('@') && !isLabel(k)),
    entities: pick((k) => k.startsWith('@')),
    labels: pick(isLabel),
  };
}

/** The stored items `ids` of the article `doc` judged by today's engine (`related-list.ts: judgeItems`). */
export type JudgeItems = (doc: IndexedDoc, ids: number[]) => Promise<Map<number, Judged>>;

export async function explainRelated(
  database: Database,
  articleId: number,
  judge: JudgeItems,
): Promise<RelatedExplanation[]> {
  const { db } = database;
  const rows = await readRelatedRows(db, articleId);
  const ids = [articleId, ...rows.map((r) => r.id)];
  const [docs, texts] = await Promise.all([readDocs(db, ids), publishedTexts(db, ids)]);
  const doc = new Map(docs.map((d) => [d.id, d]));
  const features = new Map(texts.map((t) => [t.id, extractFeatures(articleText(t))]));
  const own = doc.get(articleId);
  const ownFeatures = features.get(articleId);
  if (!own || !ownFeatures) return [];
  const judged = await judge(
    own,
    rows.map((r) => r.id),
  );
  return rows.flatMap((r, rank) => {
    const other = doc.get(r.id);
    const otherFeatures = features.get(r.id);
    const why = judged.get(r.id);
    if (!other || !otherFeatures || !why) return [];
    const shared = sharedFeatures(ownFeatures, otherFeatures);
    return [
      {
        id: r.id,
        rank,
        score: r.score,
        ...why,
        hoursApart: Math.round(((other.publishedMs - own.publishedMs) / 3_600_000) * 10) / 10,
        sharedTerms: shared.terms,
        sharedEntities: shared.entities,
        sharedLabels: shared.labels,
      },
    ];
  });
}
