/** The package ships JavaScript only (a Babel build of jssnowball, CommonJS): the part of its API used here. */
declare module 'snowball-stemmers' {
  const snowball: {
    /** A stemmer of one algorithm: `russian`, `german`, … (`algorithms()` lists them). */
    newStemmer(algorithm: string): { stem(word: string): string };
    algorithms(): string[];
  };
  export = snowball;
}
