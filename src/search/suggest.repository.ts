/**
 * The words spelling suggestions choose from (`search_words`, migration
 * 0031): each word of a published headline or standfirst with the number of
 * articles saved with it. Counted up as articles are saved, in the save's
 * transaction; never counted down (an edit or a withdrawal leaves the word):
 * the count is a weight among neighbours, and a suggestion is shown only when
 * it finds articles. Same SQL on both databases.
 */
import type { Kysely } from 'kysely';
import type { ArticleIndex } from '../articles/article-index.js';
import type { Schema } from '../db/schema.js';
import { indexWords } from './suggest.js';

type Db = Kysely<Schema>;

/** How many articles used each of these words (absent: none). */
export async function wordCounts(db: Db, words: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(words)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .selectFrom('search_words')
      .select(['word', 'articles'])
      .where('word', 'in', unique.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.word, Number(r.articles));
  }
  return out;
}

/** Counts the words of these texts, one more article each. In word order, so concurrent saves lock rows alike. */
export async function countWords(db: Db, texts: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of indexWords(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([word, articles]) => ({ word, articles }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('search_words')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc
          .column('word')
          .doUpdateSet({ articles: (eb) => eb('search_words.articles', '+', eb.ref('excluded.articles')) }),
      )
      .execute();
  }
}

/**
 * The suggestion words as the article service writes them, in the save's transaction.
 *
 * @example
 *   createArticleService({ …, indexes: [searchIndex(dialect), suggestionWords()] });
 */
export function suggestionWords(): ArticleIndex {
  return {
    add: (trx, docs) =>
      countWords(
        trx,
        docs.map((d) => `${d.text.headline} ${d.text.standfirst}`),
      ),
    remove: async () => {},
  };
}
