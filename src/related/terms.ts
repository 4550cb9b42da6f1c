/**
 * Words worth matching on: lowercase tokens without stopwords, numbers or
 * one-letter fragments. Used to build "more like this" queries.
 *
 * @example
 *   distinctiveTerms('The US and Russia urge a peaceful solution', 5); // ['us', 'russia', 'urge', 'peaceful', 'solution']
 */

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers herself
  him himself his how i if in into is it its itself just let me more most my myself no nor not now of off on once only
  or other our ours ourselves out over own per said same says she should so some such than that the their theirs them
  themselves then there these they this those through to too under until up upon us very was we were what when where
  which while who whom why will with would you your yours yourself yourselves mr mrs ms new one two year years
  told say week according may might must shall get got including since among yet still well back via`
    .split(/\s+/)
    .filter(Boolean),
);

// "us" is a stopword but also the country; keep it when written "US"/"U.S.". (UK, EU and UN
// pass the word filter on their own; matching them here too would count every mention twice.)
const KEEP_UPPER = /\bU\.?S\.?\b/g;

export function tokenize(text: string): string[] {
  const upper = (text.match(KEEP_UPPER) ?? []).map((t) => t.replace(/\./g, '').toLowerCase());
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
  return [...upper, ...words];
}

/** The `limit` most frequent distinct terms, earlier first on ties; headline words count double. */
export function distinctiveTerms(text: string, limit: number, boosted = ''): string[] {
  const counts = new Map<string, number>();
  for (const w of tokenize(boosted)) counts.set(w, (counts.get(w) ?? 0) + 2);
  for (const w of tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([w]) => w);
}
