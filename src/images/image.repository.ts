/**
 * The `images` table: one row per stored image. Plain functions taking the
 * database (or a transaction) first.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ImagesTable, Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ImageType } from './image.js';

/** A stored image's record. */
export interface ImageRecord {
  id: number;
  hash: string;
  /** The largest responsive file, as an article's `Image.src` names it. */
  src: string;
  /** The original's size, orientation applied. */
  width: number;
  height: number;
  type: ImageType;
  /** The upload's size. */
  bytes: number;
  uploadedBy?: number;
  createdAt: Date;
}

export type NewImageRecord = Omit<ImageRecord, 'id' | 'createdAt'>;

function toRecord(row: Selectable<ImagesTable>): ImageRecord {
  return {
    id: Number(row.id),
    hash: row.hash,
    src: row.src,
    width: Number(row.width),
    height: Number(row.height),
    type: row.type as ImageType,
    bytes: Number(row.bytes),
    ...(row.uploaded_by !== null ? { uploadedBy: Number(row.uploaded_by) } : {}),
    createdAt: toDate(row.created_at),
  };
}

/**
 * Records an image unless its hash is known; returns the record either way
 * (the first upload's: who uploaded the same bytes again does not change it).
 *
 * @example
 *   const { id } = await recordImage(db, { hash, src, width, height, type: 'jpeg', bytes }, new Date());
 */
export async function recordImage(db: Kysely<Schema>, image: NewImageRecord, now: Date): Promise<ImageRecord> {
  await db
    .insertInto('images')
    .values({
      hash: image.hash,
      src: image.src,
      width: image.width,
      height: image.height,
      type: image.type,
      bytes: image.bytes,
      uploaded_by: image.uploadedBy ?? null,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  const found = await findImageByHash(db, image.hash);
  if (!found) throw new Error(`image ${image.hash} vanished after it was recorded`);
  return found;
}

/**
 * The record of the image with this content hash, or undefined.
 *
 * @example
 *   await findImageByHash(db, '0123456789abcdef0123456789abcdef');
 */
export async function findImageByHash(db: Kysely<Schema>, hash: string): Promise<ImageRecord | undefined> {
  const row = await db.selectFrom('images').selectAll().where('hash', '=', hash).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}
