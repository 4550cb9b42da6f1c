/**
 * Authors get a photo (an uploaded image's address), shown on their page.
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('authors').addColumn('photo', 'text').execute();
  };
}
