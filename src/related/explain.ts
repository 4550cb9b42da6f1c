/**
 * Why a related article is related: the words and entities the two share
 * (strongest first), how far apart in time they are, their text similarity
 * and whether they belong to one story. Computed on request from the
 * articles' text, so the stored lists stay small.
 *
 * @example
 *   const why = await explainRelated(database, 12);
 *   why[0]; // { id: 40, rank: 0, score: 0.61, similarity: 0.58, sameStory: true, hoursApart: 5.5, sharedTerms: ['eruption', …], sharedEntities: ['Grindavik'], sharedLabels: ['#Iceland'] }
 */

import { articleText, publishedTexts } from '../articles/article-text.repository.js';
import type { Database } from '../db/connect.js';
import { extractFeatures, type Features } from './features.js';
import { readRelatedRows } from './related.repository.js';
import type { RelatedExplanation } from './related.service.js';
import { readDocs } from './related-index.repository.js';
import { cosine } from './vector.js';

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

export async function explainRelated(database: Database, articleId: number): Promise<RelatedExplanation[]> {
  const { db } = database;
  const rows = await readRelatedRows(db, articleId);
  const ids = [articleId, ...rows.map((r) => r.id)];
  const [docs, texts] = await Promise.all([readDocs(db, ids), publishedTexts(db, ids)]);
  const doc = new Map(docs.map((d) => [d.id, d]));
  const features = new Map(texts.map((t) => [t.id, extractFeatures(articleText(t))]));
  const own = doc.get(articleId);
  const ownFeatures = features.get(articleId);
  if (!own || !ownFeatures) return [];
  const story = own.storyId ?? own.id;
  return rows.flatMap((r, rank) => {
    const other = doc.get(r.id);
    const otherFeatures = features.get(r.id);
    if (!other || !otherFeatures) return [];
    const shared = sharedFeatures(ownFeatures, otherFeatures);
    return [
      {
        id: r.id,
        rank,
        score: r.score,
        similarity: cosine(own.vector, other.vector),
        sameStory: (other.storyId ?? other.id) === story,
        hoursApart: Math.round(((other.publishedMs - own.publishedMs) / 3_600_000) * 10) / 10,
        sharedTerms: shared.terms,
        sharedEntities: shared.entities,
        sharedLabels: shared.labels,
      },
    ];
  });
}
