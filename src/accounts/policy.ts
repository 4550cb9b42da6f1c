/**
 * The one permission module: who may do what, to which article. Pure: the
 * caller hands over the user and, for actions on an article, the article's
 * owner and status. Every door (admin pages, the editor's API, services)
 * asks here; nothing else decides.
 *
 * The rules, by role:
 * - **admin**: everything.
 * - **editor**: every article action on anyone's article in any status
 *   (including approve, send back, correct, archive); sections, tags and
 *   authors; the site's pages (About, Contact…); media; live coverages and every entry; breaking news. Not users, settings, webhooks or the audit log.
 * - **author**: creates articles; on their own: edits (and restores
 *   revisions) unless archived, submits for review, publishes, schedules,
 *   unpublishes, views history. Not approve or send back (they publish their
 *   own directly), not correction notes or archiving (editorial decisions).
 *   Nothing on other people's articles.
 * - **contributor**: creates articles; on their own: edits, restores
 *   revisions and submits only while a draft or sent back; views history.
 *   Never publishes, schedules, unpublishes or archives.
 * - A deactivated user, or nobody, may do nothing. An article with no owner
 *   (imported) is nobody's own.
 *
 * Whether a transition makes sense (publishing an article already published)
 * is the workflow's question, not the policy's.
 *
 * @example
 *   if (!can(user, 'article.publish', { createdBy: article.createdBy, status: article.status })) …
 *   authorize(user, 'users.manage'); // throws FORBIDDEN (403) unless admin
 */
import { AppError } from '../lib/errors.js';
import type { Role, User } from './account.js';

/** The statuses the newsroom's workflow moves an article through. */
export const ARTICLE_STATES = [
  'draft',
  'in_review',
  'sent_back',
  'scheduled',
  'published',
  'unpublished',
  'archived',
] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

/** Actions on one article: they need a target. */
export const ARTICLE_ACTIONS = [
  'article.edit',
  'article.submit',
  'article.approve',
  'article.sendBack',
  'article.publish',
  'article.unpublish',
  'article.schedule',
  'article.archive',
  'article.correct',
  'article.viewHistory',
  'article.restoreRevision',
] as const;
export type ArticleAction = (typeof ARTICLE_ACTIONS)[number];

/** Actions on the site as a whole: a target, if given, is ignored. */
export const SITE_ACTIONS = [
  'article.create',
  'taxonomy.manage',
  'pages.manage',
  'users.manage',
  'settings.manage',
  'audit.view',
  'media.upload',
  'webhooks.manage',
  'sources.manage',
  'live.post',
  'live.publish',
  'live.manage',
  'breaking.flag',
] as const;
export type SiteAction = (typeof SITE_ACTIONS)[number];

export type Action = ArticleAction | SiteAction;
export const ACTIONS: readonly Action[] = [...SITE_ACTIONS, ...ARTICLE_ACTIONS];

/** What the policy needs to know about an article. */
export interface ArticleTarget {
  /** The user who created it; null or undefined for an imported article. */
  createdBy: number | null | undefined;
  status: ArticleState;
}

/** What the policy needs to know about a user. */
export type PolicyUser = Pick<User, 'id' | 'role' | 'active'>;

const SITE_RULES: Record<SiteAction, readonly Role[]> = {
  'article.create': ['admin', 'editor', 'author', 'contributor'],
  'media.upload': ['admin', 'editor', 'author', 'contributor'],
  'taxonomy.manage': ['admin', 'editor'],
  'pages.manage': ['admin', 'editor'],
  'users.manage': ['admin'],
  'settings.manage': ['admin'],
  'audit.view': ['admin'],
  'webhooks.manage': ['admin'],
  'sources.manage': ['admin', 'editor'],
  // Live coverage: anyone posts an entry; a contributor's goes to review (it lacks `live.publish`);
  // creating, pausing, ending a coverage and pinning, correcting, deleting or breaking out entries is the desk's.
  'live.post': ['admin', 'editor', 'author', 'contributor'],
  'live.publish': ['admin', 'editor', 'author'],
  'live.manage': ['admin', 'editor'],
  // A site-wide banner on every page: the desk's call, like ending a coverage.
  'breaking.flag': ['admin', 'editor'],
};

/** Where a contributor's own article is still theirs to change. */
const CONTRIBUTOR_OPEN: readonly ArticleState[] = ['draft', 'sent_back'];

/**
 * Whether `user` may do `action` (to `target`, for an article action; an
 * article action without a target is refused).
 *
 * @example
 *   can({ id: 3, role: 'contributor', active: true }, 'article.edit', { createdBy: 3, status: 'draft' }); // true
 *   can({ id: 3, role: 'contributor', active: true }, 'article.publish', { createdBy: 3, status: 'draft' }); // false
 */
export function can(user: PolicyUser | undefined, action: Action, target?: ArticleTarget): boolean {
  if (!user?.active) return false;
  if (isSiteAction(action)) return SITE_RULES[action].includes(user.role);
  if (!target) return false;
  if (user.role === 'admin' || user.role === 'editor') return true;
  const own = target.createdBy != null && target.createdBy === user.id;
  if (!own) return false;
  return user.role === 'author' ? authorOwn(action, target.status) : contributorOwn(action, target.status);
}

function authorOwn(action: ArticleAction, status: ArticleState): boolean {
  switch (action) {
    case 'article.viewHistory':
      return true;
    case 'article.submit':
      return status === 'draft' || status === 'sent_back' || status === 'unpublished';
    case 'article.edit':
    case 'article.restoreRevision':
    case 'article.publish':
    case 'article.schedule':
    case 'article.unpublish':
      return status !== 'archived';
    case 'article.approve':
    case 'article.sendBack':
    case 'article.correct':
    case 'article.archive':
      return false;
  }
}

function contributorOwn(action: ArticleAction, status: ArticleState): boolean {
  switch (action) {
    case 'article.viewHistory':
      return true;
    case 'article.edit':
    case 'article.restoreRevision':
    case 'article.submit':
      return CONTRIBUTOR_OPEN.includes(status);
    default:
      return false;
  }
}

function isSiteAction(action: Action): action is SiteAction {
  return action in SITE_RULES;
}

/**
 * Throws unless `can(user, action, target)`: UNAUTHENTICATED (401) without a
 * user, FORBIDDEN (403) otherwise.
 *
 * @example
 *   authorize(session?.user, 'article.approve', article); // returns, or throws FORBIDDEN
 */
export function authorize(user: PolicyUser | undefined, action: Action, target?: ArticleTarget): void {
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (!can(user, action, target)) throw new AppError('FORBIDDEN', 'Your role does not allow this', { action });
}
