/**
 * The audit log: who did what, when. `record` writes inside the caller's
 * transaction, so a change and its audit entry commit together or not at
 * all; `list` reads pages newest first, by keyset (fast at millions of rows).
 *
 * @example
 *   const audit = createAuditLog({ database });
 *   await database.db.transaction().execute(async (trx) => {
 *     await publish(trx, article);
 *     await audit.record(trx, { actorId: user.id, action: 'article.published', subject: `article:${article.id}` });
 *   });
 *   const { entries, next } = await audit.list({ action: 'login.failed' }, 50);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import { AUDIT_PAGE_MAX, type AuditFilter, type AuditInput, type AuditPage, auditProblem } from './audit.js';
import { insertAuditEntry, listAuditEntries } from './audit.repository.js';

export interface AuditLog {
  /** Records one entry through `db`: the site's database, or the caller's transaction on it. */
  record(db: Kysely<Schema>, input: AuditInput): Promise<void>;
  /** Up to `limit` entries (at most 500), newest first; `next` continues where this page ends. */
  list(filter?: AuditFilter, limit?: number): Promise<AuditPage>;
}

export interface AuditLogOptions {
  database: Database;
  /** The clock (tests). */
  now?: () => Date;
}

export function createAuditLog({ database, now = () => new Date() }: AuditLogOptions): AuditLog {
  return {
    async record(db, input) {
      const problem = auditProblem(input);
      // A bad action name is a bug in the caller: fail its transaction rather than keep a muddled log.
      if (problem) throw new Error(`audit: ${problem}`);
      await insertAuditEntry(db, input, now());
    },
    async list(filter = {}, limit = 50) {
      if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
        throw new AppError('BAD_QUERY', `limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}`);
      }
      // One more than asked says whether there is a next page.
      const rows = await listAuditEntries(database.reader, filter, limit + 1);
      const entries = rows.slice(0, limit);
      return rows.length > limit ? { entries, next: entries[entries.length - 1]!.id } : { entries };
    },
  };
}
