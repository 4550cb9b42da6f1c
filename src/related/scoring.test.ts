import { describe, expect, it } from 'vitest';
import { extractFeatures } from './features.js';
import type { IndexedDoc } from './related-index.repository.js';
import {
  clearsFloor,
  NO_FLOOR,
  nearDuplicates,
  neighbourFactor,
  pairWeight,
  RANKING,
  rankRelated,
  type SiteFloor,
  STORY,
  scoreCandidates,
  shownFloor,
  storyLink,
  timeFactor,
} from './scoring.js';
import { buildVector, cosine, simhash, termHash, toMap } from './vector.js';

const HOUR = 3_600_000;

/** A small corpus indexed in memory, as the index would: the same features, hashes and weights. */
function corpus(
  texts: { id: number; headline: string; body?: string; hour: number; story?: number; tags?: string[] }[],
): IndexedDoc[] {
  const feats = texts.map((t) =>
    extractFeatures({
      headline: t.headline,
      standfirst: '',
      body: t.body ?? '',
      tags: (t.tags ?? []).map((name) => ({ slug: name.toLowerCase(), name })),
    }),
  );
  const counts = feats.map((f) => {
    const m = new Map<number, number>();
    for (const [k, w] of f.terms) m.set(termHash(k), (m.get(termHash(k)) ?? 0) + w);
    return m;
  });
  const df = new Map<number, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  // A larger background corpus, so words in every test article are not all equally rare.
  const documents = 1000;
  return texts.map((t, i) => ({
    id: t.id,
    publishedMs: Date.UTC(2024, 0, 1) + t.hour * HOUR,
    words: feats[i]?.words.length ?? 0,
    vector: buildVector(counts[i] as Map<number, number>, (h) => df.get(h) ?? 0, documents),
    simhash: simhash(feats[i]?.words ?? []),
    storyId: t.story ?? null,
  }));
}

const wire =
  'Rescue teams searched through the night for survivors after a magnitude 6.8 earthquake struck the coastal city of Valmora early on Tuesday, flattening dozens of buildings near the harbour. Officials said at least 40 people had died and hundreds were injured as hospitals struggled to cope.';

describe('rankRelated', () => {
  it('keeps one copy of a wire story carried by two sources, and never a copy of the article itself', async () => {
    const [article, copyA, copyB, other] = corpus([
      { id: 1, headline: 'Valmora earthquake kills dozens', body: wire, hour: 0 },
      { id: 2, headline: 'Valmora earthquake kills dozens', body: `${wire} (Agency)`, hour: 1 },
      { id: 3, headline: 'Quake in Valmora: dozens dead', body: `${wire} Reporting by staff.`, hour: 2 },
      {
        id: 4,
        headline: 'Valmora earthquake: aid arrives at harbour',
        body: 'Aid convoys reached the harbour of Valmora on Wednesday, a day after the earthquake, with tents and water for families whose buildings collapsed.',
        hour: 20,
      },
    ]) as IndexedDoc[];
    const ranked = (await rankRelated(article as IndexedDoc, article!.vector, [copyA!, copyB!, other!], 5)).map(
      (r) => r.id,
    );
    expect(ranked).toEqual([4]);
  });

  it('lists a follow-up published later, closest in time first at equal text', async () => {
    const docs = corpus([
      { id: 1, headline: 'Volcano erupts near Grindavik, lava reaches road', hour: 100 },
      { id: 2, headline: 'Grindavik volcano eruption: lava reaches road', hour: 130 },
      { id: 3, headline: 'Grindavik volcano eruption: lava reaches road', hour: 103 },
    ]);
    const [article, later, sooner] = docs as [IndexedDoc, IndexedDoc, IndexedDoc];
    // Same text, different times: without the SimHash rule the two would be one near-duplicate group.
    const ranked = await rankRelated(article, article.vector, [later, { ...sooner, simhash: '0000000000000001' }], 5);
    expect(ranked.map((r) => r.id)).toEqual([3, 2]);
    expect(sooner.publishedMs).toBeGreaterThan(article.publishedMs);
  });

  it('leaves out an unrelated article below the minimum similarity rather than fill the list', async () => {
    const [article, unrelated] = corpus([
      { id: 1, headline: 'Central bank raises interest rates to fight inflation', hour: 0 },
      { id: 2, headline: 'Chess champion retains title after tiebreak final', hour: 1 },
    ]) as [IndexedDoc, IndexedDoc];
    expect(await rankRelated(article, article.vector, [unrelated], 5)).toEqual([]);
  });

  it('ranks the article’s story first at equal similarity', async () => {
    const docs = corpus([
      { id: 1, headline: 'Storm Ciara floods towns across Wales', hour: 0, story: 1 },
      { id: 2, headline: 'Storm Ciara floods towns across Wales and England', hour: 2, story: 9 },
      { id: 3, headline: 'Storm Ciara floods towns across Wales and England', hour: 2, story: 1 },
    ]);
    const [article, other, mate] = docs as [IndexedDoc, IndexedDoc, IndexedDoc];
    const ranked = await rankRelated(article, article.vector, [other, { ...mate, simhash: 'ffffffffffffffff' }], 5);
    expect(ranked.map((r) => r.id)).toEqual([3, 2]);
    expect(ranked[0]?.sameStory).toBe(true);
  });

  it("judges an item beyond the story against the site's typical best match, less so as the archive grows", async () => {
    const [article, other] = corpus([
      { id: 1, headline: 'Airline strike grounds flights at Valmora airport', hour: 0 },
      { id: 2, headline: 'Valmora airport flights resume after strike', hour: 30 },
    ]) as [IndexedDoc, IndexedDoc];
    const [r] = scoreCandidates(article, article.vector, [other]);
    const similarity = r?.similarity ?? 0;
    expect(similarity).toBeGreaterThan(RANKING.shownFloor);
    const list = async (site: SiteFloor) =>
      (await rankRelated(article, article.vector, [other], 5, site)).map((x) => x.id);
    // A young site whose articles typically find closer matches than this one: left out.
    expect(await list({ documents: 200, typical: similarity * 1.5 })).toEqual([]);
    // One whose articles typically find weaker ones: shown.
    expect(await list({ documents: 200, typical: similarity * 0.9 })).toEqual([2]);
    // The same site grown 25-fold: the floor has faded.
    expect(await list({ documents: 5000, typical: similarity * 1.5 })).toEqual([2]);
    expect(await list(NO_FLOOR)).toEqual([2]);
  });

  it('asks at least the fixed minimum where matches are typically weak, less of broad agreement', () => {
    const weak = { documents: 100, typical: 0.05 };
    expect(shownFloor(weak)).toBeCloseTo(RANKING.shownFloor);
    const site = { documents: 100, typical: 0.3 };
    expect(shownFloor(site)).toBeCloseTo(0.3);
    expect(clearsFloor(0.2, false, site)).toBe(false);
    expect(clearsFloor(0.2, true, site)).toBe(true);
    expect(clearsFloor(0.1, true, site)).toBe(false);
    expect(shownFloor({ documents: 1_000_000, typical: 0.9 })).toBe(RANKING.minSimilarity);
  });

  it('asks more of an item that shares none of the article’s neighbourhood, less of one that shares most', () => {
    const near = (shared: number, mutual = true) => ({ shared, mutual });
    // None shared: twice the floor (`sure`); about three: the floor itself.
    expect(neighbourFactor(near(0), 400)).toBe(RANKING.sure);
    expect(neighbourFactor(near(1), 400)).toBeGreaterThan(1);
    expect(neighbourFactor(near(3), 400)).toBeLessThan(1);
    expect(neighbourFactor(near(3), 400)).toBeGreaterThan(0.8);
    // Most shared, between long texts: a fraction of the floor; between headlines, nearly the floor.
    expect(neighbourFactor(near(8), 400)).toBeLessThan(0.5);
    expect(neighbourFactor(near(8), 10)).toBeGreaterThan(0.95);
    expect(neighbourFactor(near(8), 10)).toBeLessThan(1);
    // An item that does not count the article among the closer half of its own nearest: no less than the floor.
    expect(neighbourFactor(near(8, false), 400)).toBe(1);
    expect(neighbourFactor(near(0, false), 400)).toBe(RANKING.sure);
    const site = { documents: 200, typical: 0.2, neighbourhood: true };
    expect(clearsFloor(0.15, false, site)).toBe(false);
    expect(clearsFloor(0.15, false, site, { ...near(6), words: 400 })).toBe(true);
    expect(clearsFloor(0.15, false, site, { ...near(6, false), words: 400 })).toBe(false);
    expect(clearsFloor(0.25, false, site, { ...near(0), words: 400 })).toBe(false);
    expect(clearsFloor(0.4, false, site, { ...near(0), words: 400 })).toBe(true);
  });

  it('asks an item’s neighbourhood where the floor asks it and the answer can decide, and follows it', async () => {
    const docs = corpus([
      { id: 1, headline: 'Airline strike grounds flights at Valmora airport', hour: 0 },
      { id: 2, headline: 'Valmora airport flights resume after strike', hour: 30 },
      { id: 3, headline: 'Chess champion retains title after tiebreak final', hour: 5 },
    ]).map((d) => ({ ...d, words: 400 }));
    const [article, other, unrelated] = docs as [IndexedDoc, IndexedDoc, IndexedDoc];
    const similarity = scoreCandidates(article, article.vector, [other])[0]?.similarity ?? 0;
    // A site whose floor is a little above the item: shown only with a neighbourhood in common.
    const site = { documents: 200, typical: similarity * 1.2, neighbourhood: true };
    const asked: number[] = [];
    const list = async (shared: number, floor: SiteFloor = site) =>
      (
        await rankRelated(article, article.vector, [other, unrelated], 5, floor, (c) => {
          asked.push(c.id);
          return { shared, mutual: true };
        })
      ).map((r) => ({ id: r.id, needed: r.needed, shared: r.sharedNeighbours, mutual: r.mutual }));
    expect(await list(0)).toEqual([]);
    const [shown] = await list(8);
    expect(shown).toEqual({ id: 2, needed: expect.any(Number), shared: 8, mutual: true });
    expect(shown?.needed).toBeLessThan(similarity);
    // The chess result is below what even a full neighbourhood would need: never asked.
    expect(asked).toEqual([2, 2]);
    // A site whose floor does not ask (no measured floor), and a match far above the floor: not asked.
    asked.length = 0;
    expect((await list(0, { documents: 200, typical: similarity * 1.2 })).map((r) => r.id)).toEqual([]);
    expect((await list(0, { documents: 200, typical: similarity / 3, neighbourhood: true })).map((r) => r.id)).toEqual([
      2,
    ]);
    expect(asked).toEqual([]);
  });
});

describe('storyLink', () => {
  const docs = corpus([
    { id: 1, headline: 'Malaysia Airlines flight MH370 missing over South China Sea', hour: 0 },
    { id: 2, headline: 'Search for missing Malaysia Airlines flight MH370 widens', hour: 3 },
    { id: 3, headline: 'Malaysia Airlines flight MH370: families wait for news', hour: 60 },
    { id: 4, headline: 'Apple unveils new iPhone at California event', hour: 2 },
  ]);
  const [first, second, weekLater, apple] = docs as [IndexedDoc, IndexedDoc, IndexedDoc, IndexedDoc];

  /** The articles published before `doc`, nearest first (publication order of this little corpus). */
  const earlier = (doc: IndexedDoc) =>
    docs
      .filter((d) => d.publishedMs < doc.publishedMs)
      .sort((a, b) => b.publishedMs - a.publishedMs)
      .map((d) => d.id);

  it('links coverage of one event within hours to the earlier article', () => {
    expect(storyLink(second, [first, apple, weekLater], earlier(second))?.id).toBe(1);
  });

  it('never links forward in time, to an unrelated article, or across more than the story window', () => {
    expect(storyLink(first, [second, apple], earlier(first))).toBeUndefined();
    expect(storyLink(apple, [first], earlier(apple))).toBeUndefined();
    expect(weekLater.publishedMs - first.publishedMs).toBeGreaterThan(STORY.windowMs);
    expect(storyLink(weekLater, [first], earlier(weekLater))).toBeUndefined();
  });

  it('counts articles published in between as well as hours: a busy stream or one without dates links only near ones', () => {
    // The same two articles at the same time, with 5 or 40 others published between them.
    const same = { ...second, publishedMs: first.publishedMs };
    const others = (n: number) => Array.from({ length: n }, (_, i) => 1000 + i);
    expect(storyLink(same, [first], [...others(5), first.id])?.id).toBe(1);
    expect(storyLink(same, [first], [...others(40), first.id])).toBeUndefined();
    // Beyond the window of articles read, no link at all.
    expect(storyLink(same, [first], others(STORY.windowArticles))).toBeUndefined();
  });
});

describe('timeFactor and nearDuplicates', () => {
  it('weighs time heavily for a headline-only brief and lightly for a long article', () => {
    expect(timeFactor(0, 10)).toBeCloseTo(1);
    expect(timeFactor(48 * HOUR, 10)).toBeLessThan(0.1);
    expect(timeFactor(48 * HOUR, 600)).toBeGreaterThan(0.8);
    expect(timeFactor(-5 * HOUR, 50)).toBeCloseTo(timeFactor(5 * HOUR, 50));
    expect(RANKING.minSimilarity).toBeGreaterThan(0);
  });

  it('treats a long text with a changed word as a copy, and different short texts as different', () => {
    const words = wire.toLowerCase().split(/\s+/);
    const edited = [...words];
    edited[10] = 'tuesday';
    const long = { words: words.length, simhash: simhash(words) };
    expect(nearDuplicates(long, { words: edited.length, simhash: simhash(edited) })).toBe(true);
    const a = 'quake hits city'.split(' ');
    const b = 'quake hits town'.split(' ');
    expect(nearDuplicates({ words: 3, simhash: simhash(a) }, { words: 3, simhash: simhash(b) })).toBe(false);
  });
});

describe('headline word pairs in ranking', () => {
  const body =
    'The central bank lifted its main rate by a quarter point on Thursday, the third rise this year, saying inflation had stayed above its target for too long and wages were still climbing fast.';

  it('count in full for an article with a body, a quarter for a headline-only one', () => {
    expect(pairWeight(RANKING.headlineWords + 1)).toBe(1);
    expect(pairWeight(RANKING.headlineWords)).toBe(RANKING.pairWeight);
    const [long, short, samePhrase] = corpus([
      { id: 1, headline: 'Central bank raises interest rates', body, hour: 0 },
      { id: 2, headline: 'Central bank raises interest rates', hour: 0 },
      { id: 3, headline: 'Interest rates: central bank raises them again', body, hour: 30 },
    ]) as IndexedDoc[];
    const similarity = (article: IndexedDoc) => scoreCandidates(article, article.vector, [samePhrase!])[0]?.similarity;
    const plain = (article: IndexedDoc) => cosine(samePhrase!.vector, toMap(article.vector));
    expect(long!.words).toBeGreaterThan(RANKING.headlineWords);
    expect(similarity(long!)).toBeCloseTo(plain(long!), 5);
    // Scaled: the short headline's pairs that the candidate lacks weigh less, so it comes out closer.
    expect(Math.abs(similarity(short!)! - plain(short!))).toBeGreaterThan(0.01);
  });
});

describe('tags in ranking', () => {
  it("put a candidate sharing the article's tag ahead of one with the same words and time", () => {
    const [article, untagged, tagged] = corpus([
      { id: 1, headline: 'Harbour crane collapses during storm', hour: 0, tags: ['Port of Valmora'] },
      { id: 2, headline: 'Storm damage at the harbour', hour: 5 },
      { id: 3, headline: 'Storm damage at the harbour', hour: 5, tags: ['Port of Valmora'] },
    ]) as IndexedDoc[];
    const ranked = scoreCandidates(article!, article!.vector, [untagged!, tagged!]);
    expect(ranked.map((r) => r.id)).toEqual([3, 2]);
    // A weak signal: the words still carry most of the similarity.
    expect(ranked[1]!.similarity).toBeGreaterThan(ranked[0]!.similarity / 3);
  });
});
