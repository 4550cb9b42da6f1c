/**
 * Uploaded images: one row per stored image (its files live under
 * `MEDIA_DIR/images/<hash>/`, see `src/images/image.ts`), keyed by the hash
 * of the uploaded bytes so that the same file uploaded twice is one image.
 * `uploaded_by` is the uploading user's id; it has no foreign key here, as
 * users may be removed while their images stay in published articles.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('images')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      // The largest responsive file, as an article's Image.src names it.
      .addColumn('src', 'text', (c) => c.notNull())
      // The original's size (orientation applied) and type, and the upload's size in bytes.
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('uploaded_by', 'integer')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
  };
}
