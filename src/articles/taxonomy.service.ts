/**
 * Sections, tags and authors as the newsroom manages them: sections named,
 * described and ordered (their address stays: it is part of every article's);
 * tags renamed or removed; authors' names, bios and photos. Each change is
 * one transaction that records a `taxonomy.changed` event: every page that
 * shows the name (navigation, lists, bylines) is dropped on every instance.
 *
 * @example
 *   const taxonomy = createTaxonomyService({ database, events });
 *   await taxonomy.saveSection({ name: 'Climate', description: 'Weather and warming' });
 */
import type { Database } from '../db/connect.js';
import type { EventBus } from '../events/event-bus.js';
import { AppError } from '../lib/errors.js';
import { slugFor } from '../lib/slug.js';
import { sectionSlug } from './article.js';

export interface SectionRecord {
  id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export interface NamedRecord {
  id: number;
  slug: string;
  name: string;
}

export interface AuthorRecord extends NamedRecord {
  bio: string;
  photo?: string;
}

export interface TaxonomyService {
  sections(): Promise<SectionRecord[]>;
  /** Creates (no id) or updates a section; its slug is made once, from its first name. */
  saveSection(input: { id?: number; name: string; description?: string; position?: number }): Promise<SectionRecord>;
  /** Removes a section no article is filed under (SECTION_IN_USE otherwise). */
  deleteSection(id: number): Promise<void>;
  /** Tags by name, a page at a time (after a name), optionally starting with some letters. */
  tags(options?: { prefix?: string; after?: string; limit?: number }): Promise<NamedRecord[]>;
  renameTag(id: number, name: string): Promise<void>;
  /** Removes a tag and its links to articles. */
  deleteTag(id: number): Promise<void>;
  authors(options?: { prefix?: string; after?: string; limit?: number }): Promise<AuthorRecord[]>;
  saveAuthor(input: { id: number; name: string; bio?: string; photo?: string }): Promise<AuthorRecord>;
}

const NAME_MAX = 100;

function cleanName(name: string, what: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('INVALID_TAXONOMY', `give the ${what} a name`);
  if (trimmed.length > NAME_MAX)
    throw new AppError('INVALID_TAXONOMY', `a ${what} name is at most ${NAME_MAX} characters`);
  return trimmed;
}

function cleanPhoto(photo: string | undefined): string | null {
  const src = photo?.trim();
  if (!src) return null;
  if (!/^\/media\/[^\s"'<>]+$/.test(src))
    throw new AppError('INVALID_TAXONOMY', 'a photo is an uploaded image (/media/…)');
  return src;
}

export function createTaxonomyService(deps: { database: Database; events: EventBus }): TaxonomyService {
  const { db } = deps.database;
  const { events } = deps;

  return {
    async sections() {
      const rows = await db
        .selectFrom('sections')
        .select(['id', 'slug', 'name', 'description', 'position'])
        .orderBy('position')
        .orderBy('name')
        .execute();
      return rows.map((r) => ({ ...r, description: r.description ?? '' }));
    },

    async saveSection(input) {
      const name = cleanName(input.name, 'section');
      const description = (input.description ?? '').trim().slice(0, 500);
      const record = await db.transaction().execute(async (trx) => {
        let record: SectionRecord;
        if (input.id === undefined) {
          const slug = sectionSlug(slugFor(name) || 'section');
          if (await trx.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst())
            throw new AppError('INVALID_TAXONOMY', `a section with the address /${slug} exists`);
          const last = await trx
            .selectFrom('sections')
            .select((eb) => eb.fn.max('position').as('max'))
            .executeTakeFirst();
          const row = await trx
            .insertInto('sections')
            .values({ slug, name, description, position: input.position ?? Number(last?.max ?? -1) + 1 })
            .returning(['id', 'slug', 'name', 'description', 'position'])
            .executeTakeFirstOrThrow();
          record = { ...row, description: row.description ?? '' };
        } else {
          const row = await trx
            .updateTable('sections')
            .set({ name, description, ...(input.position !== undefined ? { position: input.position } : {}) })
            .where('id', '=', input.id)
            .returning(['id', 'slug', 'name', 'description', 'position'])
            .executeTakeFirst();
          if (!row) throw new AppError('SECTION_NOT_FOUND', `no section ${input.id}`);
          record = { ...row, description: row.description ?? '' };
        }
        await events.record(trx, [{ name: 'taxonomy.changed', payload: { kind: 'section', id: record.id } }]);
        return record;
      });
      events.committed([{ name: 'taxonomy.changed', payload: { kind: 'section', id: record.id } }]);
      return record;
    },

    async deleteSection(id) {
      const change = [{ name: 'taxonomy.changed' as const, payload: { kind: 'section' as const, id } }];
      await db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('articles').select('id').where('section_id', '=', id).limit(1).executeTakeFirst())
          throw new AppError('SECTION_IN_USE', 'articles are filed under this section: move them first');
        const gone = await trx.deleteFrom('sections').where('id', '=', id).executeTakeFirst();
        if (gone.numDeletedRows === 0n) throw new AppError('SECTION_NOT_FOUND', `no section ${id}`);
        await events.record(trx, change);
      });
      events.committed(change);
    },

    async tags(options = {}) {
      let q = db
        .selectFrom('tags')
        .select(['id', 'slug', 'name'])
        .orderBy('name')
        .orderBy('id')
        .limit(options.limit ?? 100);
      if (options.prefix) q = q.where('name', 'like', `${options.prefix.replace(/[%_\\]/g, '')}%`);
      if (options.after) q = q.where('name', '>', options.after);
      return q.execute();
    },

    async renameTag(id, name) {
      const clean = cleanName(name, 'tag');
      const change = [{ name: 'taxonomy.changed' as const, payload: { kind: 'tag' as const, id } }];
      await db.transaction().execute(async (trx) => {
        const done = await trx.updateTable('tags').set({ name: clean }).where('id', '=', id).executeTakeFirst();
        if (done.numUpdatedRows === 0n) throw new AppError('TAG_NOT_FOUND', `no tag ${id}`);
        await events.record(trx, change);
      });
      events.committed(change);
    },

    async deleteTag(id) {
      const change = [{ name: 'taxonomy.changed' as const, payload: { kind: 'tag' as const, id } }];
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('article_tags').where('tag_id', '=', id).execute();
        const gone = await trx.deleteFrom('tags').where('id', '=', id).executeTakeFirst();
        if (gone.numDeletedRows === 0n) throw new AppError('TAG_NOT_FOUND', `no tag ${id}`);
        await events.record(trx, change);
      });
      events.committed(change);
    },

    async authors(options = {}) {
      let q = db
        .selectFrom('authors')
        .select(['id', 'slug', 'name', 'bio', 'photo'])
        .orderBy('name')
        .orderBy('id')
        .limit(options.limit ?? 100);
      if (options.prefix) q = q.where('name', 'like', `${options.prefix.replace(/[%_\\]/g, '')}%`);
      if (options.after) q = q.where('name', '>', options.after);
      return (await q.execute()).map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        bio: r.bio ?? '',
        ...(r.photo ? { photo: r.photo } : {}),
      }));
    },

    async saveAuthor(input) {
      const name = cleanName(input.name, 'author');
      const bio = (input.bio ?? '').trim().slice(0, 2000);
      const photo = cleanPhoto(input.photo);
      const change = [{ name: 'taxonomy.changed' as const, payload: { kind: 'author' as const, id: input.id } }];
      const row = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('authors')
          .set({ name, bio: bio || null, photo })
          .where('id', '=', input.id)
          .returning(['id', 'slug', 'name', 'bio', 'photo'])
          .executeTakeFirst();
        if (!updated) throw new AppError('AUTHOR_NOT_FOUND', `no author ${input.id}`);
        await events.record(trx, change);
        return updated;
      });
      events.committed(change);
      return {
        id: row.id,
        slug: row.slug,
        name: row.name,
        bio: row.bio ?? '',
        ...(row.photo ? { photo: row.photo } : {}),
      };
    },
  };
}
