/**
 * Words too common in English news to tell articles apart. "us" is here (the
 * pronoun); the country, written "US" or "U.S.", is kept by `stemOf`.
 */
export const STOPWORDS = new Set(
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
