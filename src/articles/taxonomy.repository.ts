/**
 * Sections, tags and authors: find by slug, list, and create on first use.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { Author, Section, Tag } from './article.js';

type Db = Kysely<Schema>;

export async function findSectionBySlug(db: Db, slug: string): Promise<Section | undefined> {
  return db
    .selectFrom('sections')
    .select(['id', 'slug', 'name', 'position'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function listSections(db: Db): Promise<Section[]> {
  return db
    .selectFrom('sections')
    .select(['id', 'slug', 'name', 'position'])
    .orderBy('position')
    .orderBy('name')
    .execute();
}

export async function findTagBySlug(db: Db, slug: string): Promise<Tag | undefined> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

export async function findAuthorBySlug(db: Db, slug: string): Promise<Author | undefined> {
  const row = await db
    .selectFrom('authors')
    .select(['id', 'slug', 'name', 'bio'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row && { id: row.id, slug: row.slug, name: row.name, ...(row.bio ? { bio: row.bio } : {}) };
}

/** Returns the section with this slug, creating it (named `name`, placed last) when missing. */
export async function ensureSection(db: Db, slug: string, name: string): Promise<Section> {
  const found = await findSectionBySlug(db, slug);
  if (found) return found;
  const last = await db
    .selectFrom('sections')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  const position = Number(last?.max ?? -1) + 1;
  return db
    .insertInto('sections')
    .values({ slug, name, position })
    .returning(['id', 'slug', 'name', 'position'])
    .executeTakeFirstOrThrow();
}

/** Returns ids for these tags (by slug), creating the missing ones. */
export async function ensureTags(db: Db, tags: { slug: string; name: string }[]): Promise<Tag[]> {
  return ensureNamed(db, 'tags', tags);
}

/** Returns ids for these authors (by slug), creating the missing ones. */
export async function ensureAuthors(db: Db, authors: { slug: string; name: string }[]): Promise<Author[]> {
  return ensureNamed(db, 'authors', authors);
}

async function ensureNamed(
  db: Db,
  table: 'tags' | 'authors',
  wanted: { slug: string; name: string }[],
): Promise<{ id: number; slug: string; name: string }[]> {
  if (wanted.length === 0) return [];
  const slugs = [...new Set(wanted.map((w) => w.slug))];
  const existing = await db.selectFrom(table).select(['id', 'slug', 'name']).where('slug', 'in', slugs).execute();
  const bySlug = new Map(existing.map((r) => [r.slug, r]));
  for (const w of wanted) {
    if (bySlug.has(w.slug)) continue;
    const row = await db
      .insertInto(table)
      .values({ slug: w.slug, name: w.name })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning(['id', 'slug', 'name'])
      .executeTakeFirst();
    const created =
      row ??
      (await db.selectFrom(table).select(['id', 'slug', 'name']).where('slug', '=', w.slug).executeTakeFirstOrThrow());
    bySlug.set(w.slug, created);
  }
  return slugs.map((s) => bySlug.get(s)!);
}
