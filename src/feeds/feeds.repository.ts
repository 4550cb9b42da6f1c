/**
 * The slugs of an article's lists, by id: which feeds changed with it. An
 * event carries ids; feeds are addressed by slugs.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export interface ListSlugs {
  section: string | undefined;
  tags: string[];
  authors: string[];
}

export async function listSlugs(
  db: Db,
  ids: { sectionId: number; tagIds: number[]; authorIds: number[] },
): Promise<ListSlugs> {
  const [section, tags, authors] = await Promise.all([
    db.selectFrom('sections').select('slug').where('id', '=', ids.sectionId).executeTakeFirst(),
    ids.tagIds.length ? db.selectFrom('tags').select('slug').where('id', 'in', ids.tagIds).execute() : [],
    ids.authorIds.length ? db.selectFrom('authors').select('slug').where('id', 'in', ids.authorIds).execute() : [],
  ]);
  return { section: section?.slug, tags: tags.map((t) => t.slug), authors: authors.map((a) => a.slug) };
}
