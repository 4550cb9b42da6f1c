import { describe, expect, it } from 'vitest';
import type { IndexedDoc } from './related-index.repository.js';
import { type CandidateSource, siteFloor, TYPICAL_SAMPLE } from './related-list.js';
import type { SparseVector } from './vector.js';

/** A site of `n` articles in pairs: each pair shares its words, no two pairs share any. */
function pairedSite(n: number, documents = n): CandidateSource {
  const vector = (pair: number): SparseVector => ({
    terms: Int32Array.from([pair * 8 + 2, pair * 8 + 4, pair * 8 + 6]),
    weights: Float32Array.from([0.6, 0.6, Math.sqrt(1 - 0.72)]),
  });
  const docs: IndexedDoc[] = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    publishedMs: Date.UTC(2024, 0, 1) + i * 86_400_000,
    words: 200,
    vector: vector(Math.floor(i / 2)),
    // The two of a pair are not copies of one text (64 bits apart).
    simhash: i % 2 === 0 ? '0000000000000000' : 'ffffffffffffffff',
    storyId: null,
  }));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const shares = (a: IndexedDoc, b: IndexedDoc) => a.vector.terms[0] === b.vector.terms[0];
  return {
    candidateIds: (doc, _query, _terms, limit, skip) =>
      docs
        .filter((d) => !skip.has(d.id) && shares(d, doc))
        .map((d) => d.id)
        .slice(0, limit),
    readDocs: (ids) => ids.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.id - b.id),
    storyMemberIds: () => [],
    publishedBefore: () => [],
    documents: () => documents,
    latest: (limit) =>
      docs
        .map((d) => d.id)
        .reverse()
        .slice(0, limit),
  };
}

describe('siteFloor', () => {
  it("measures the site's typical best match over its latest articles", async () => {
    const site = await siteFloor(pairedSite(2 * TYPICAL_SAMPLE));
    expect(site.documents).toBe(2 * TYPICAL_SAMPLE);
    // Every article's best match shares all its words.
    expect(site.typical).toBeGreaterThan(0.9);
  });

  it('leaves a site of a handful of articles, or a large archive, to the fixed minimum', async () => {
    expect((await siteFloor(pairedSite(TYPICAL_SAMPLE - 2))).typical).toBe(0);
    expect((await siteFloor(pairedSite(2 * TYPICAL_SAMPLE, 100_000))).typical).toBe(0);
  });
});
