/**
 * The audit log: who did what, when, from where. Pure types and rules only.
 */

/** What a writer records. `action` is a stable dotted name (`login.failed`, `user.roleChanged`, `article.published`). */
export interface AuditInput {
  /** The user who acted; omitted for the operator (command line), the system, or an unknown visitor. */
  actorId?: number;
  action: string;
  /** What was acted on, as `kind:id`: `user:7`, `article:12`. */
  subject?: string;
  /** Anything else worth keeping; never a password or a token. */
  detail?: Record<string, unknown>;
  ip?: string;
}

export interface AuditEntry {
  id: number;
  at: Date;
  actorId?: number;
  action: string;
  subject?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

export interface AuditFilter {
  actorId?: number;
  action?: string;
  /** Entries older than this one (the `next` of the previous page). */
  before?: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Pass as `before` for the next page; undefined on the last page. */
  next?: number;
}

export const ACTION_MAX = 100;
export const SUBJECT_MAX = 200;
export const AUDIT_PAGE_MAX = 500;

/** Why an entry cannot be recorded (a programming error, not a user's), or undefined. */
export function auditProblem(input: AuditInput): string | undefined {
  if (!/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/.test(input.action) || input.action.length > ACTION_MAX)
    return `action must be a dotted name of at most ${ACTION_MAX} characters: ${JSON.stringify(input.action)}`;
  if (input.subject !== undefined && input.subject.length > SUBJECT_MAX)
    return `subject must be at most ${SUBJECT_MAX} characters`;
  return undefined;
}
