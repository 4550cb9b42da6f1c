/**
 * A batch of an import saved so that one bad input cannot sink the rest,
 * without giving up the batch's one transaction for it: inputs the article
 * rules refuse are set aside before the transaction (they would roll it back),
 * and only when the transaction still fails (a database error) is each input
 * saved alone.
 *
 * An archive's bad records are common (the Reuters file has one in ten
 * without a body), so the rules are checked first: before, nearly every batch
 * of 500 failed once and was saved again one article per transaction, a
 * commit and its flush per article.
 */
import { withoutControlChars } from '../lib/control-chars.js';
import { AppError } from '../lib/errors.js';
import { type ArticleInput, effectiveStatus, saveProblems } from './article.js';
import type { ArticleService, SavedArticle } from './article.service.js';

export type BatchOutcome = { saved: SavedArticle } | { reason: string };

/**
 * One outcome per input, in input order.
 *
 * @example
 *   const outcomes = await saveBatch(services.articles, inputs, { bulk: true, deferIndexes: true });
 *   outcomes.forEach((o, i) => 'reason' in o && report(lines[i], o.reason));
 */
export async function saveBatch(
  articles: ArticleService,
  inputs: ArticleInput[],
  options: { bulk?: boolean; deferIndexes?: boolean } = {},
): Promise<BatchOutcome[]> {
  const now = new Date();
  const outcomes: (BatchOutcome | undefined)[] = inputs.map((given) => {
    // As the save itself sees it (`saveOne`): control characters gone first.
    const input = withoutControlChars(given);
    const problems = saveProblems(input, effectiveStatus(input, now), now);
    return problems.length > 0 ? { reason: problems.join('; ') } : undefined;
  });
  const valid = inputs.flatMap((input, i) => (outcomes[i] ? [] : [{ input, i }]));
  if (valid.length === 0) return outcomes as BatchOutcome[];
  try {
    const saved = await articles.saveMany(
      valid.map((v) => v.input),
      options,
    );
    valid.forEach((v, k) => {
      outcomes[v.i] = { saved: saved[k]! };
    });
  } catch {
    for (const v of valid) {
      try {
        const [saved] = await articles.saveMany([v.input], options);
        outcomes[v.i] = { saved: saved! };
      } catch (err) {
        outcomes[v.i] = {
          reason: err instanceof AppError ? err.message : `could not be saved: ${(err as Error).message}`,
        };
      }
    }
  }
  return outcomes as BatchOutcome[];
}
