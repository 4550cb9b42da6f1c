/**
 * Domain objects → the content API's JSON. Whitelists: every field that goes
 * out is named here (and again by the response schema that serializes it), so
 * nothing internal — status, versions, review notes, owners, external ids —
 * can leak by being added to a domain object.
 *
 * @example
 *   const present = createApiPresenter({ siteUrl, clock, bodyHtml: (a) => '<p>…</p>' });
 *   reply.send({ data: present.article(article) });
 */

import type { z } from 'zod';
import type { Article, Block, Image, Section } from '../articles/article.js';
import type { ListedArticle, NamedPage } from '../articles/article-keyset.repository.js';
import type { Clock } from '../lib/time.js';
import { articlePath, authorPath, sectionPath, tagPath } from '../site/urls.js';
import type { articleSchema, articleSummarySchema, authorSchema, sectionSchema, tagSchema } from './api.schemas.js';

export interface ApiPresenterDeps {
  siteUrl: string;
  clock: Clock;
  /** The body as the reader site renders it (the same renderer, not a second one). */
  bodyHtml(article: Article): string;
  /** Whether a local image's file is there: one that is not is left out, as the reader site leaves it out. */
  media?: { isAvailable(src: string): boolean };
}

type Out<T extends z.ZodType> = z.input<T>;

export function createApiPresenter(deps: ApiPresenterDeps) {
  const { siteUrl, clock } = deps;
  const shown = (i: Image) => deps.media?.isAvailable(i.src) ?? true;
  const absolute = (path: string) =>
    /^https?:\/\//.test(path) ? path : `${siteUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  const link = (s: { slug: string; name: string }, path: (slug: string) => string) => ({
    slug: s.slug,
    name: s.name,
    url: absolute(path(s.slug)),
  });
  // Uploaded images are stored by their path on the site: an API client needs the whole address.
  const image = (i: Image) => ({
    src: absolute(i.src),
    alt: i.alt,
    ...(i.caption ? { caption: i.caption } : {}),
    ...(i.credit ? { credit: i.credit } : {}),
    ...(i.width ? { width: i.width } : {}),
    ...(i.height ? { height: i.height } : {}),
  });

  function summary(a: ListedArticle | (Article & { publishedAt: Date })): Out<typeof articleSummarySchema> {
    return {
      id: a.id,
      slug: a.slug,
      headline: a.headline,
      standfirst: a.standfirst,
      url: absolute(articlePath(a, clock)),
      section: link(a.section, sectionPath),
      publishedAt: a.publishedAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      ...(a.leadImage && shown(a.leadImage) ? { leadImage: image(a.leadImage) } : {}),
    };
  }

  return {
    summary,

    article(a: Article): Out<typeof articleSchema> {
      const publishedAt = a.publishedAt ?? a.updatedAt;
      return {
        ...summary({ ...a, publishedAt }),
        authors: a.authors.map((au) => link(au, authorPath)),
        tags: a.tags.map((t) => link(t, tagPath)),
        ...(a.datelinePlace ? { datelinePlace: a.datelinePlace } : {}),
        language: a.language,
        body: a.body.flatMap((b): Block[] =>
          b.type !== 'image' ? [b] : shown(b) ? [{ ...b, src: absolute(b.src) }] : [],
        ),
        html: deps.bodyHtml(a),
        notes: a.notes.map((n) => ({ kind: n.kind, text: n.text, at: n.at.toISOString() })),
        ...(a.source
          ? {
              source: {
                name: a.source.name,
                ...(a.source.url ? { url: a.source.url } : {}),
                ...(a.source.licence ? { licence: a.source.licence } : {}),
                ...(a.source.licenceUrl ? { licenceUrl: a.source.licenceUrl } : {}),
              },
            }
          : {}),
      };
    },

    section: (s: Section): Out<typeof sectionSchema> => ({ id: s.id, ...link(s, sectionPath) }),
    tag: (t: NamedPage): Out<typeof tagSchema> => ({ id: t.id, ...link(t, tagPath) }),
    author: (a: NamedPage): Out<typeof authorSchema> => ({
      id: a.id,
      ...link(a, authorPath),
      ...(a.bio ? { bio: a.bio } : {}),
      ...(a.photo ? { photo: absolute(a.photo) } : {}),
    }),
  };
}

export type ApiPresenter = ReturnType<typeof createApiPresenter>;
