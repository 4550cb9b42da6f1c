/**
 * What the parts of the accounts service share: the database, the log, the
 * clock and the audit log; and the one check every user-managing command
 * makes first.
 */
import type { Logger } from 'pino';
import type { AuditInput } from '../audit/audit.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import type { Actor, RequestContext } from './account.js';
import { authorize } from './policy.js';

export interface AccountsDeps {
  database: Database;
  /** Structured; never given a password, a token or a hash. */
  log: Pick<Logger, 'info' | 'warn'>;
  now: () => Date;
  audit: AuditLog;
}

/** Throws FORBIDDEN unless the actor is the operator or may manage users. */
export function requireManager(actor: Actor): void {
  if (actor !== 'operator') authorize(actor, 'users.manage');
}

/** The audit fields saying who acted and from where: the operator is recorded as `detail.by`. */
export function auditActor(actor: Actor | undefined, context: RequestContext = {}): Partial<AuditInput> {
  return {
    ...(actor === 'operator' ? { detail: { by: 'operator' } } : actor ? { actorId: actor.id } : {}),
    ...(context.ip ? { ip: context.ip } : {}),
  };
}

/** Merges detail objects (the actor's `by`, the event's own fields). */
export function withDetail(base: Partial<AuditInput>, detail: Record<string, unknown>): Partial<AuditInput> {
  return { ...base, detail: { ...base.detail, ...detail } };
}
