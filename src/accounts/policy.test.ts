import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from './account.js';
import {
  ARTICLE_ACTIONS,
  ARTICLE_STATES,
  type ArticleAction,
  authorize,
  can,
  SITE_ACTIONS,
  type SiteAction,
} from './policy.js';

/*
 * The full matrix, written out by hand: every role × every article action × own or someone else's article × every
 * status. One character per status, in this order:
 *
 *   draft  in_review  sent_back  scheduled  published  unpublished  archived
 *
 * 'Y' allowed, '.' refused.
 */
const ALL = 'YYYYYYY';
const NONE = '.......';
type Row = { own: string; other: string };
const ARTICLE_MATRIX: Record<ArticleAction, Record<Role, Row>> = {
  'article.edit': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'YYYYYY.', other: NONE },
    contributor: { own: 'Y.Y....', other: NONE },
  },
  'article.submit': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'Y.Y..Y.', other: NONE },
    contributor: { own: 'Y.Y....', other: NONE },
  },
  'article.approve': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: NONE, other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.sendBack': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: NONE, other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.publish': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'YYYYYY.', other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.unpublish': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'YYYYYY.', other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.schedule': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'YYYYYY.', other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.archive': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: NONE, other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.correct': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: NONE, other: NONE },
    contributor: { own: NONE, other: NONE },
  },
  'article.viewHistory': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: ALL, other: NONE },
    contributor: { own: ALL, other: NONE },
  },
  'article.restoreRevision': {
    admin: { own: ALL, other: ALL },
    editor: { own: ALL, other: ALL },
    author: { own: 'YYYYYY.', other: NONE },
    contributor: { own: 'Y.Y....', other: NONE },
  },
};

/** Site-wide actions, per role: admin, editor, author, contributor. */
const SITE_MATRIX: Record<SiteAction, string> = {
  'article.create': 'YYYY',
  'media.upload': 'YYYY',
  'taxonomy.manage': 'YY..',
  'pages.manage': 'YY..',
  'users.manage': 'Y...',
  'settings.manage': 'Y...',
  'audit.view': 'Y...',
  'webhooks.manage': 'Y...',
  'sources.manage': 'YY..',
  'live.post': 'YYYY',
  'live.publish': 'YYY.',
  'live.manage': 'YY..',
  'breaking.flag': 'YY..',
};

const ME = 7;
const SOMEONE_ELSE = 8;
const user = (role: Role, active = true) => ({ id: ME, role, active });

const articleCases = Object.entries(ARTICLE_MATRIX).flatMap(([action, byRole]) =>
  Object.entries(byRole).flatMap(([role, row]) =>
    (['own', 'other'] as const).flatMap((whose) =>
      ARTICLE_STATES.map((status, i) => ({
        action: action as ArticleAction,
        role: role as Role,
        whose,
        status,
        allowed: row[whose][i] === 'Y',
      })),
    ),
  ),
);

describe('the permission policy', () => {
  it('has an expectation for every action, role and status (the matrix is complete)', () => {
    expect(Object.keys(ARTICLE_MATRIX).sort()).toEqual([...ARTICLE_ACTIONS].sort());
    expect(Object.keys(SITE_MATRIX).sort()).toEqual([...SITE_ACTIONS].sort());
    for (const byRole of Object.values(ARTICLE_MATRIX)) {
      expect(Object.keys(byRole).sort()).toEqual([...ROLES].sort());
      for (const row of Object.values(byRole)) {
        expect([row.own.length, row.other.length]).toEqual([ARTICLE_STATES.length, ARTICLE_STATES.length]);
      }
    }
    expect(articleCases).toHaveLength(ARTICLE_ACTIONS.length * ROLES.length * 2 * ARTICLE_STATES.length);
  });

  it.each(articleCases)(
    '$role may $action on $whose $status article: $allowed',
    ({ action, role, whose, status, allowed }) => {
      const createdBy = whose === 'own' ? ME : SOMEONE_ELSE;
      expect(can(user(role), action, { createdBy, status })).toBe(allowed);
    },
  );

  it.each(
    Object.entries(SITE_MATRIX).flatMap(([action, row]) =>
      ROLES.map((role, i) => ({ action: action as SiteAction, role, allowed: row[i] === 'Y' })),
    ),
  )('$role may $action: $allowed', ({ action, role, allowed }) => {
    expect(can(user(role), action)).toBe(allowed);
    // A target changes nothing for a site-wide action.
    expect(can(user(role), action, { createdBy: ME, status: 'draft' })).toBe(allowed);
  });

  it('treats an imported article (no owner) as nobody’s own', () => {
    for (const status of ARTICLE_STATES) {
      for (const action of ARTICLE_ACTIONS) {
        expect(can(user('author'), action, { createdBy: null, status })).toBe(false);
        expect(can(user('contributor'), action, { createdBy: undefined, status })).toBe(false);
        expect(can(user('editor'), action, { createdBy: null, status })).toBe(true);
      }
    }
  });

  it('allows nothing to a deactivated user or to nobody, whatever the role', () => {
    for (const role of ROLES) {
      for (const action of SITE_ACTIONS) expect(can(user(role, false), action)).toBe(false);
      for (const action of ARTICLE_ACTIONS) {
        expect(can(user(role, false), action, { createdBy: ME, status: 'draft' })).toBe(false);
        expect(can(undefined, action, { createdBy: ME, status: 'draft' })).toBe(false);
      }
    }
  });

  it('refuses an article action without an article, even to an admin', () => {
    for (const action of ARTICLE_ACTIONS) expect(can(user('admin'), action)).toBe(false);
  });

  it('authorize throws UNAUTHENTICATED without a user and FORBIDDEN for a role that may not', () => {
    expect(() => authorize(undefined, 'article.create')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => authorize(user('editor'), 'users.manage')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', statusCode: 403 }),
    );
    expect(() => authorize(user('admin'), 'users.manage')).not.toThrow();
  });
});
