import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  articleInput,
  createTestApp,
  createTestDb,
  describeTargets,
  quietCli,
  type TestApp,
  type TestDb,
} from '../../test/helpers.js';
import { findArticleBySlug } from '../articles/article.repository.js';
import type { ArticleService } from '../articles/article.service.js';
import { run } from '../cli/main.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { SEEDED_PAGES } from '../db/migrations/0020_reader_furniture.js';
import type { Schema } from '../db/schema.js';
import { DEMO_FILE } from '../demo/demo.service.js';
import { importFile } from '../ingest/import.service.js';
import { createSearchService } from '../search/search.service.js';
import { buildServices, type Services } from '../services.js';
import { COPY_TABLES, checksumTables, copySite } from './copy.service.js';

/** The site's own article service on a test database (its jobs queued, not run), to save as the site would. */
async function articleService(db: TestDb): Promise<ArticleService> {
  return (await servicesOn(db)).articles;
}

/** The site's services on a test database (jobs queued, not run); closed after the file's tests. */
async function servicesOn(db: TestDb): Promise<Services> {
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    WEATHER_PROVIDER: 'none',
    ...(db.schema ? { JOBS_SCHEMA: `${db.schema}_jobs` } : {}),
  });
  const services = await buildServices(config, { database: db.database, log: pino({ level: 'silent' }) });
  opened.push(services);
  return services;
}
const opened: Services[] = [];
const PASSWORD = 'a long enough passphrase';
afterAll(async () => {
  for (const services of opened) await services.close();
});

async function counts(db: Kysely<Schema>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name } of COPY_TABLES) {
    const { n } = await db
      .selectFrom(name)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[name] = Number(n);
  }
  return out;
}

/**
 * Tables the migrations create, less migration bookkeeping, the (rebuilt, dialect-specific) search index, the
 * SQLite job runner's queue and the accounts' sessions, login attempts and reset links (operational state, not the
 * site).
 */
async function siteTables(database: Database): Promise<string[]> {
  const query =
    database.dialect === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table'`;
  const { rows } = await query.execute(database.db);
  // Indexes are rebuilt on the target, not copied; `jobs`, the geocoder cache, sessions, login attempts and reset
  // links are operational state.
  const skip =
    /^(kysely_|sqlite_|articles_fts|article_titles|article_search(_heads)?$|search_words$|search_reindex$|jobs$|cache_invalidations$|related_(df|postings|docs)$|weather_places$|weather_searches$|sessions$|login_attempts$|password_resets$|webhook_deliveries$)/;
  return rows
    .map((r) => r.name)
    .filter((n) => !skip.test(n))
    .sort();
}

describe('copySite', () => {
  let source: TestApp;

  beforeAll(async () => {
    source = await createTestApp();
    const report = await importFile(source.app.dateline, DEMO_FILE);
    expect(report.failed).toEqual([]);
    // The newsroom's side of the site: users, one owning an article, a pending invitation, the audit log, a session.
    const { accounts, database } = source.app.dateline;
    const admin = await accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password: PASSWORD });
    await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
    await accounts.login({ email: 'ed@news.test', password: PASSWORD, ip: '192.0.2.1' });
    await database.db.updateTable('articles').set({ created_by: admin.id }).where('id', '=', 1).execute();
  }, 120_000);
  afterAll(() => source.cleanup());

  describeTargets('to $dialect', (target) => {
    let to: TestDb;
    beforeEach(async () => {
      to = await createTestDb(target);
    });
    afterEach(() => to.cleanup());

    it('copies the demo site with every row, id and checksum, and the copy works as a site', async () => {
      const from = source.app.dateline.database;
      const progress: string[] = [];
      const report = await copySite(from, to.database, { batchSize: 50, onProgress: (t) => progress.push(t) });

      const expected = await counts(from.db);
      expect(expected.articles).toBeGreaterThan(100);
      expect(expected.related_articles).toBeGreaterThan(0);
      expect(await counts(to.database.db)).toEqual(expected);
      expect(report.tables.map((t) => [t.name, t.rows])).toEqual(Object.entries(expected));
      expect(new Set(progress)).toEqual(new Set(COPY_TABLES.map((t) => t.name)));
      // Checksums taken afresh on each side agree with each other and with the report.
      const [before, after] = [await checksumTables(from.db), await checksumTables(to.database.db)];
      expect(after).toEqual(before);
      expect(report.tables).toEqual(before);

      const sample = await from.db
        .selectFrom('articles')
        .select(['id', 'slug', 'headline'])
        .where('status', '=', 'published')
        .where('id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id'))
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const original = await findArticleBySlug(from.db, sample.slug);
      expect(original?.tags.length).toBeGreaterThan(0);
      expect(await findArticleBySlug(to.database.db, sample.slug)).toEqual(original);

      // The whole headline: every word must match, so the sample is among few.
      const found = await createSearchService({ database: to.database }).search({ q: sample.headline, perPage: 50 });
      expect(found.total).toBeGreaterThan(0);
      expect(found.hits.map((h) => h.id)).toContain(sample.id);
      // Spelling suggestions' words are rebuilt there too.
      const [word] = sample.headline.toLowerCase().match(/\p{L}{5,}/u) ?? [];
      const counted = await to.database.db
        .selectFrom('search_words')
        .select('articles')
        .where('word', '=', word!)
        .execute();
      expect(counted[0]?.articles).toBeGreaterThan(0);

      // The related-news index is rebuilt on the target, and every article keeps its story.
      const stories = async (db: typeof from.db) =>
        (await db.selectFrom('related_docs').select(['article_id', 'story_id']).orderBy('article_id').execute()).map(
          (r) => [Number(r.article_id), r.story_id === null ? null : Number(r.story_id)],
        );
      const sourceStories = await stories(from.db);
      expect(sourceStories.length).toBeGreaterThan(0);
      expect(await stories(to.database.db)).toEqual(sourceStories);

      const saved = await (await articleService(to)).save(
        articleInput({
          section: { name: 'Copied section' },
          authors: [{ name: 'Copy Author' }],
          tags: [{ name: 'Copy tag' }],
        }),
      );
      expect(saved.created).toBe(true);
      expect(saved.id).toBeGreaterThan(
        Math.max(...(await from.db.selectFrom('articles').select('id').execute()).map((r) => r.id)),
      );
    });

    it('copies users, invitations and the audit log (people sign in on the copy) but not sessions', async () => {
      const from = source.app.dateline.database;
      await copySite(from, to.database);
      const accounts = (await servicesOn(to)).accounts;
      expect((await accounts.listUsers()).map((u) => u.email)).toEqual(['ed@news.test']);
      expect(await accounts.listInvitations()).toHaveLength(1);
      expect((await accounts.audit.list()).entries.map((e) => e.action)).toEqual([
        'login',
        'user.invited',
        'user.created',
      ]);
      const owner = await to.database.db
        .selectFrom('articles')
        .select('created_by')
        .where('id', '=', 1)
        .executeTakeFirst();
      expect(owner?.created_by).toBe((await accounts.findUserByEmail('ed@news.test'))?.id);
      // Sessions stay behind; the password hash came along.
      const copiedSessions = await to.database.db.selectFrom('sessions').select('id').execute();
      expect(copiedSessions).toEqual([]);
      const { session } = await accounts.login({ email: 'ed@news.test', password: PASSWORD });
      // Ids go on after the copied ones (PostgreSQL's sequences were moved past them).
      const amy = await accounts.createUser(session.user, {
        email: 'amy@news.test',
        name: 'Amy',
        role: 'author',
        password: PASSWORD,
      });
      expect(amy.id).toBeGreaterThan(session.user.id);
    });

    it('copies every table the migrations create', async () => {
      await migrate(to.database);
      expect(await siteTables(to.database)).toEqual(COPY_TABLES.map((t) => t.name).sort());
    });

    it('refuses a target that already holds a site with COPY_TARGET_NOT_EMPTY and leaves it unchanged', async () => {
      await migrate(to.database);
      await (await articleService(to)).save(articleInput());
      const before = await checksumTables(to.database.db);
      await expect(copySite(source.app.dateline.database, to.database)).rejects.toMatchObject({
        code: 'COPY_TARGET_NOT_EMPTY',
      });
      expect(await checksumTables(to.database.db)).toEqual(before);
    });

    it('writes nothing when a row cannot be copied', async () => {
      const broken = await createTestApp();
      try {
        const { db } = broken.app.dateline.database;
        await broken.app.dateline.articles.save(articleInput());
        // An orphan byline (its author never existed) passes on SQLite with checks off, but not on the way in.
        await sql`pragma foreign_keys = off`.execute(db);
        await sql`insert into article_authors (article_id, author_id, position) select id, 999, 0 from articles`.execute(
          db,
        );
        await sql`pragma foreign_keys = on`.execute(db);
        await expect(copySite(broken.app.dateline.database, to.database)).rejects.toMatchObject({
          code: 'COPY_ROW_REFUSED',
          message: expect.stringMatching(/^could not copy article_authors row article_id=1, author_id=999/),
        });
        // Only what the target's own migrations wrote is there (the starter pages).
        expect(Object.values(await counts(to.database.db))).toEqual(
          COPY_TABLES.map((t) => (t.seeded ? SEEDED_PAGES.length : 0)),
        );
      } finally {
        await broken.cleanup();
      }
    });

    it('names the row and column holding a NUL character, which PostgreSQL cannot store, and writes nothing', async () => {
      const broken = await createTestApp();
      try {
        const { db } = broken.app.dateline.database;
        const saved = await broken.app.dateline.articles.save(articleInput());
        await db.updateTable('articles').set({ standfirst: 'A\u0000B' }).where('id', '=', saved.id).execute();
        await expect(copySite(broken.app.dateline.database, to.database)).rejects.toMatchObject({
          code: 'COPY_ROW_REFUSED',
          message: expect.stringMatching(
            new RegExp(`^could not copy articles row id=${saved.id}: standfirst holds a NUL`),
          ),
        });
        expect(await to.database.db.selectFrom('articles').select('id').execute()).toEqual([]);
      } finally {
        await broken.cleanup();
      }
    });

    describe('dateline copy', () => {
      quietCli(() => ({}));

      it('copies, prints the verified table and exits 0; exits 1 on a non-empty target, 2 on bad usage', async () => {
        const from = source.config.databaseUrl;
        expect(await run(['copy', '--from', from, '--to', to.url])).toBe(0);
        const printed = vi
          .mocked(process.stdout.write)
          .mock.calls.map((c) => String(c[0]))
          .join('');
        expect(printed).toContain('Verified: counts and checksums match.');
        expect(await run(['copy', '--from', from, '--to', to.url])).toBe(1);
        expect(await run(['copy', '--from', join(tmpdir(), 'dateline-no-such-dir', 'x.db'), '--to', to.url])).toBe(1);
        expect(existsSync(join(tmpdir(), 'dateline-no-such-dir'))).toBe(false);
        expect(await run(['copy', '--from', from])).toBe(2);
        expect(await run(['copy', '--to', to.url])).toBe(2);
      });
    });
  });
});
