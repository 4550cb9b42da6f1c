/** The package ships JavaScript only (a Babel build of jssnowball, CommonJS): the part of its API used here. */
declare module 'snowball-stemmers' {
  /** A stemmer of one algorithm: `russian`, `german`, … (`algorithms()` lists them). */
  export function newStemmer(algorithm: string): { stem(word: string): string };
  export function algorithms(): string[];
}
