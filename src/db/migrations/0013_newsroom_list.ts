/**
 * The newsroom's article list at a million articles:
 * - drafts in review or sent back, most recently changed first (a partial
 *   index: few articles are in review at any time);
 * - by whoever created the article (a contributor's own list);
 * - headline search over every article, whatever its status: an FTS5 index of
 *   headlines kept by triggers on SQLite (`article_titles`, external content),
 *   a GIN index on the headline's words on PostgreSQL. Words are not stemmed
 *   (`simple`, `unicode61`): headlines come in every language.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`create index articles_review_updated on articles (review, updated_at, id) where review is not null`.execute(
      db,
    );
    if (dialect === 'postgres') {
      await sql`create index article_titles on articles using gin (to_tsvector('simple', headline))`.execute(db);
      return;
    }
    await sql`create virtual table article_titles using fts5(
      headline, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`create trigger article_titles_insert after insert on articles begin
      insert into article_titles (rowid, headline) values (new.id, new.headline);
    end`.execute(db);
    await sql`create trigger article_titles_delete after delete on articles begin
      insert into article_titles (article_titles, rowid, headline) values ('delete', old.id, old.headline);
    end`.execute(db);
    await sql`create trigger article_titles_update after update of headline on articles begin
      insert into article_titles (article_titles, rowid, headline) values ('delete', old.id, old.headline);
      insert into article_titles (rowid, headline) values (new.id, new.headline);
    end`.execute(db);
    await sql`insert into article_titles (article_titles) values ('rebuild')`.execute(db);
  };
}
