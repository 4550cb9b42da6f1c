/**
 * The stored text of published articles, as the indexes read it: used to
 * index an article when a scheduled one is published, and to re-index many
 * (the related engine's rebuild).
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import { type Block, bodyText } from './article.js';
import type { ArticleText, IndexDocument } from './article-index.js';

type Db = Kysely<Schema>;
type Label = { slug: string; name: string };

export interface PublishedText {
  id: number;
  headline: string;
  standfirst: string;
  blocks: Block[];
  publishedAt: Date;
  section: Label;
  tags: Label[];
  language: string;
}

/** Headline, standfirst, body, publication time, section and tags of the published articles among `ids`. */
export async function publishedTexts(db: Db, ids: number[]): Promise<PublishedText[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.headline', 'a.standfirst', 'a.body', 'a.published_at', 'a.language', 's.slug', 's.name'])
    .where('a.id', 'in', ids)
    .where('a.status', '=', 'published')
    .execute();
  const tags = new Map<number, Label[]>();
  if (rows.length > 0) {
    const tagRows = await db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.slug', 't.name'])
      .where(
        'at.article_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('t.slug')
      .execute();
    for (const r of tagRows) {
      const id = Number(r.article_id);
      tags.set(id, [...(tags.get(id) ?? []), { slug: r.slug, name: r.name }]);
    }
  }
  return rows.map((r) => ({
    id: Number(r.id),
    headline: r.headline,
    standfirst: r.standfirst,
    blocks: JSON.parse(r.body) as Block[],
    publishedAt: toDate(r.published_at as string),
    section: { slug: r.slug, name: r.name },
    tags: tags.get(Number(r.id)) ?? [],
    language: r.language,
  }));
}

/** What the indexes take for a published article, from its stored row. */
export function toIndexDocument(t: PublishedText): IndexDocument {
  return {
    id: t.id,
    publishedAt: t.publishedAt,
    text: articleText(t),
  };
}

/** The text an index reads (the related engine's explanations extract its features again). */
export function articleText(t: PublishedText): ArticleText {
  return {
    headline: t.headline,
    standfirst: t.standfirst,
    body: bodyText(t.blocks),
    section: t.section,
    tags: t.tags,
    language: t.language,
  };
}
