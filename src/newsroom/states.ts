/**
 * Workflow states as the newsroom names them, and an article as the policy
 * sees it (who created it, where it stands).
 *
 * @example
 *   STATE_LABELS.in_review; // 'In review'
 *   can(user, 'article.publish', targetOf(article));
 */
import type { ArticleTarget } from '../accounts/policy.js';
import { type Article, type WorkflowState, workflowState } from '../articles/article.js';

export const STATE_LABELS: Record<WorkflowState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  sent_back: 'Sent back',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
  archived: 'Archived',
};

export const targetOf = (article: Article): ArticleTarget => ({
  createdBy: article.createdBy,
  status: workflowState(article),
});
