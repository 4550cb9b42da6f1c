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
    .select(['id', 'slug', 'name', 'bio', 'photo'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      slug: row.slug,
      name: row.name,
      ...(row.bio ? { bio: row.bio } : {}),
      ...(row.photo ? { photo: row.photo } : {}),
    }
  );
}

/**
 * Sections, tags and authors already looked up in one transaction, by slug:
 * an import batch asks for the same few sections hundreds of times. Only for
 * the transaction it was made in.
 */
export interface TaxonomyCache {
  sections: Map<string, Section>;
  tags: Map<string, Tag>;
  authors: Map<string, Author>;
}

export const taxonomyCache = (): TaxonomyCache => ({ sections: new Map(), tags: new Map(), authors: new Map() });

/** Returns the section with this slug, creating it (named `name`, placed last) when missing. */
export async function ensureSection(db: Db, slug: string, name: string, cache?: TaxonomyCache): Promise<Section> {
  const cached = cache?.sections.get(slug);
  if (cached) return cached;
  const section = (await findSectionBySlug(db, slug)) ?? (await createSection(db, slug, name));
  cache?.sections.set(slug, section);
  return section;
}

async function createSection(db: Db, slug: string, name: string): Promise<Section> {
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
export async function ensureTags(
  db: Db,
  tags: { slug: string; name: string }[],
  cache?: TaxonomyCache,
): Promise<Tag[]> {
  return ensureNamed(db, 'tags', tags, cache?.tags);
}

/** Returns ids for these authors (by slug), creating the missing ones. */
export async function ensureAuthors(
  db: Db,
  authors: { slug: string; name: string }[],
  cache?: TaxonomyCache,
): Promise<Author[]> {
  return ensureNamed(db, 'authors', authors, cache?.authors);
}

async function ensureNamed(
  db: Db,
  table: 'tags' | 'authors',
  wanted: { slug: string; name: string }[],
  bySlug: Map<string, { id: number; slug: string; name: string }> = new Map(),
): Promise<{ id: number; slug: string; name: string }[]> {
  if (wanted.length === 0) return [];
  const slugs = [...new Set(wanted.map((w) => w.slug))];
  const unknown = slugs.filter((s) => !bySlug.has(s));
  if (unknown.length > 0) {
    const existing = await db.selectFrom(table).select(['id', 'slug', 'name']).where('slug', 'in', unknown).execute();
    for (const r of existing) bySlug.set(r.slug, r);
  }
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
