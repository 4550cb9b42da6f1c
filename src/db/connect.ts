/**
 * Opens the database named by a URL: a SQLite file (default) or PostgreSQL.
 *
 * @example
 *   const database = await connect('sqlite:./data/dateline.db');
 *   await database.close();
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  /** Reads and writes (on SQLite, one connection; transactions queue behind each other). */
  readonly db: Kysely<Schema>;
  /**
   * Reads only, for the reader site: on SQLite a second connection that never
   * waits for a write transaction (WAL) and never sees uncommitted rows; on
   * PostgreSQL the same pool as `db`.
   */
  readonly reader: Kysely<Schema>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** `sqlite:path`, `file:path`, a bare path, or `:memory:` → a file path for better-sqlite3. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(path);
}

export async function connect(url: string, options: { poolSize?: number } = {}): Promise<Database> {
  return dialectOf(url) === 'postgres' ? connectPostgres(url, options.poolSize ?? 10) : connectSqlite(url);
}

function connectSqlite(url: string): Database {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -8000');
  // Keep planner statistics fresh (bounded work), as SQLite advises for long-lived connections.
  sqlite.pragma('analysis_limit = 400');
  sqlite.pragma('optimize = 0x10002');
  const db = new Kysely<Schema>({ dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }) });
  // An in-memory database exists on one connection only.
  if (path === ':memory:') return { db, reader: db, dialect: 'sqlite', close: () => db.destroy() };
  const readerSqlite = new SQLite(path);
  readerSqlite.pragma('busy_timeout = 5000');
  readerSqlite.pragma('cache_size = -8000');
  readerSqlite.pragma('query_only = ON');
  const reader = new Kysely<Schema>({
    dialect: new ReaderSqliteDialect({ database: withStatementCache(readerSqlite) }),
  });
  return {
    db,
    reader,
    dialect: 'sqlite',
    close: async () => {
      await reader.destroy();
      // Kysely opens its driver on first use: a reader never used is closed here.
      if (readerSqlite.open) readerSqlite.close();
      await db.destroy();
    },
  };
}

async function connectPostgres(url: string, max: number): Promise<Database> {
  // Loaded only when used: SQLite sites do not pay its memory.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, reader: db, dialect: 'postgres', close: () => db.destroy() };
}

/** SQLite runs DDL inside transactions; telling Kysely so makes a failed migration roll back whole. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Write transactions take the write lock when they begin (`BEGIN IMMEDIATE`):
 * a transaction that reads, then writes, while another process (a `dateline
 * import` beside the server) holds the lock would otherwise fail at once
 * with SQLITE_BUSY instead of waiting its turn (busy_timeout).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  constructor(private readonly options: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(options);
  }
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/**
 * Reuses prepared statements: preparing costs more than running most of our
 * queries, and the same few dozen SQL strings serve every page view.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * The reader connection runs one statement at a time synchronously (that is
 * how better-sqlite3 works), so page reads need not queue behind a mutex.
 * Transactions are refused: they would interleave on the shared connection.
 */
class ReaderSqliteDriver extends SqliteDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    await super.releaseConnection();
    return connection;
  }
  override async releaseConnection(): Promise<void> {}
  override async beginTransaction(): Promise<void> {
    throw new Error('the reader connection is read-only: use `db` for transactions');
  }
}

class ReaderSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }
  override createDriver(): Driver {
    return new ReaderSqliteDriver(this.config);
  }
}
