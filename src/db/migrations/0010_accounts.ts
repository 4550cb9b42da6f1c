/**
 * The newsroom's accounts: users and their roles, sessions kept in the
 * database (any instance serves them), invitations and password resets
 * (single-use tokens, only their SHA-256 stored), failed login attempts for
 * throttling across instances, the audit log, and who created each article.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    const id = <T extends string>(table: string) =>
      db.schema
        .createTable(table)
        .addColumn('id' as T, 'integer', (c) =>
          pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        );

    await id('users')
      // Stored trimmed and lower-cased, so the unique constraint is case-insensitive.
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'author', 'contributor')`))
      // argon2id, PHC string.
      .addColumn('password_hash', 'text', (c) => c.notNull())
      // 1 on the first admin only, null on everyone else: two instances setting the site up at once cannot both
      // succeed (the second insert breaks the unique constraint).
      .addColumn('first_admin', 'integer', (c) => c.unique().check(sql`first_admin = 1`))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('password_changed_at', ts, (c) => c.notNull())
      .addColumn('last_login_at', ts)
      // Set when an admin deactivates the account; a deactivated user cannot sign in and has no sessions.
      .addColumn('deactivated_at', ts)
      .execute();

    await id('sessions')
      // SHA-256 (hex) of the token in the cookie; the token itself is never stored.
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // The key of this session's CSRF tokens (HMAC-SHA256 of the session id); useless without the session's token.
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      // Idle expiry counts from here; written at most once a minute.
      .addColumn('last_seen_at', ts, (c) => c.notNull())
      // Absolute expiry, however active the session.
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

    await id('invitations')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'author', 'contributor')`))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('accepted_at', ts)
      // The account the invitation became.
      .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('invitations_email').on('invitations').column('email').execute();

    await id('password_resets')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('used_at', ts)
      .execute();
    await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

    // One row per scope of every login attempt not (yet) known to have succeeded: the account (its normalised
    // email, whether or not a user has it) and the client address. Counted in a sliding window, pruned hourly.
    await id('login_attempts')
      .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('account', 'address')`))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('attempted_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('login_attempts_scope_key')
      .on('login_attempts')
      .columns(['scope', 'key', 'attempted_at'])
      .execute();
    await db.schema.createIndex('login_attempts_at').on('login_attempts').column('attempted_at').execute();

    await id('audit_log')
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('action', 'text', (c) => c.notNull())
      // What was acted on, as `kind:id` (`user:7`, `article:12`).
      .addColumn('subject', 'text')
      // JSON object, or null.
      .addColumn('detail', 'text')
      .addColumn('ip', 'text')
      .execute();
    // Keyset pages, newest first, for one actor or one action (the primary key serves the unfiltered list).
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();
    await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();

    // Article ownership for the newsroom's permissions; null for imported articles (nobody's own).
    await db.schema
      .alterTable('articles')
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('articles_created_by').on('articles').column('created_by').execute();
  };
}
