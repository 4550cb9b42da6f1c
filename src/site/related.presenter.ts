/**
 * Turns an article's related list and its explanations into what goes out:
 * the JSON of `GET /api/articles/:id/related` (whitelisted fields only) and
 * the rows of the debug view.
 *
 * @example
 *   const present = createRelatedPresenter({ config, clock });
 *   reply.send(present.json(await site.relatedExplained(12)));
 */
import type { ArticleSummary } from '../articles/article.js';
import type { Config } from '../config.js';
import type { Clock } from '../lib/time.js';
import { RANKING } from '../related/scoring.js';
import type { RelatedExplainedData } from './site.service.js';
import { articlePath } from './urls.js';
import type { RelatedRowVM } from './view-model.js';

export interface StoryItemJson {
  id: number;
  headline: string;
  url: string;
  publishedAt: string;
}

export interface RelatedItemJson {
  id: number;
  headline: string;
  url: string;
  rank: number;
  score: number;
  /** Text similarity to the article's (expanded) query, judged today. */
  similarity: number;
  /** The similarity the item needs to be shown today. */
  needed: number;
  /** How many of the article's nearest are also the item's, where the floor asked; else null. */
  sharedNeighbours: number | null;
  /** Whether the article is in the closer half of the item's own nearest, where asked; else null. */
  mutual: boolean | null;
  sameStory: boolean;
  hoursApart: number;
  sharedTerms: string[];
  sharedEntities: string[];
  sharedLabels: string[];
}

export interface RelatedJson {
  articleId: number;
  story: StoryItemJson[];
  related: RelatedItemJson[];
}

export interface RelatedPresenter {
  json(data: RelatedExplainedData): RelatedJson;
  rows(data: RelatedExplainedData): RelatedRowVM[];
}

export function createRelatedPresenter(deps: { config: Pick<Config, 'siteUrl'>; clock: Clock }): RelatedPresenter {
  const url = (a: ArticleSummary) => `${deps.config.siteUrl}${articlePath(a, deps.clock)}`;
  return {
    json(data) {
      return {
        articleId: data.article.id,
        story: data.story.map((a) => ({
          id: a.id,
          headline: a.headline,
          url: url(a),
          publishedAt: a.publishedAt.toISOString(),
        })),
        related: data.related.map(({ summary, why }) => ({
          id: summary.id,
          headline: summary.headline,
          url: url(summary),
          rank: why.rank,
          score: why.score,
          similarity: why.similarity,
          needed: why.needed,
          sharedNeighbours: why.sharedNeighbours,
          mutual: why.mutual,
          sameStory: why.sameStory,
          hoursApart: why.hoursApart,
          sharedTerms: why.sharedTerms,
          sharedEntities: why.sharedEntities,
          sharedLabels: why.sharedLabels,
        })),
      };
    },
    rows(data) {
      return data.related.map(({ summary, why }) => ({
        href: articlePath(summary, deps.clock),
        headline: summary.headline,
        score: why.score.toFixed(3),
        similarity: why.similarity.toFixed(3),
        needed: why.needed.toFixed(3),
        sharedNeighbours: neighboursText(why.sharedNeighbours, why.mutual),
        sameStory: why.sameStory,
        hoursApart: hoursText(why.hoursApart),
        sharedTerms: why.sharedTerms,
        sharedEntities: why.sharedEntities,
        sharedLabels: why.sharedLabels,
      }));
    },
  };
}

/** "6 of 10, mutual", "2 of 10", or "" where the floor did not ask. */
export function neighboursText(shared: number | null, mutual: boolean | null): string {
  if (shared === null) return '';
  return `${shared} of ${RANKING.neighbours}${mutual ? ', mutual' : ''}`;
}

/** "1.0 h after", "26.5 h before", "same time": negative hours are a related article published first. */
export function hoursText(hours: number): string {
  if (hours === 0) return 'same time';
  return `${Math.abs(hours).toFixed(1)} h ${hours < 0 ? 'before' : 'after'}`;
}
