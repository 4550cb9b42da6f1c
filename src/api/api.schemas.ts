/**
 * The content API's schemas (zod 4), one source for three things: they
 * validate each request (query and path), they serialize each response (what
 * a schema does not name does not go out), and `openapi.ts` turns them into
 * the OpenAPI 3.1 description at `/api/v1/openapi.json`.
 *
 * @example
 *   const query = articleListQuery.parse({ section: 'world', limit: '10' }); // { section: 'world', limit: 10 }
 */
import { z } from 'zod';
import { CURSOR_MAX_LENGTH } from './cursor.js';

const ID_MAX = 2_147_483_647;
export const LIST_LIMIT_MAX = 100;

const slug = z.string().min(1).max(200);
const id = z.coerce.number().int().min(1).max(ID_MAX);
/** A date (`2024-03-05`, midnight UTC) or a date-time with its offset (`2024-03-05T15:00:00Z`). */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const limit = (fallback: number) => z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(fallback);
const cursor = z.string().min(1).max(CURSOR_MAX_LENGTH);
/** The content API key may come in the query instead of `Authorization: Bearer`. */
const key = z.string().max(200).optional();

export const idParams = z.object({ id });
export const slugParams = z.object({ slug });

export const articleListQuery = z.object({
  section: slug.optional().describe('Only articles in this section (its slug)'),
  tag: slug.optional().describe('Only articles with this tag (its slug)'),
  author: slug.optional().describe('Only articles by this author (their slug)'),
  since: instant.optional().describe('Published at or after'),
  until: instant.optional().describe('Published before'),
  cursor: cursor.optional().describe('`nextCursor` of the previous page'),
  limit: limit(20),
  key,
});
export type ArticleListQuery = z.infer<typeof articleListQuery>;

export const pageQuery = z.object({ cursor: cursor.optional(), limit: limit(100), key });
export type PageQuery = z.infer<typeof pageQuery>;
export const keyOnlyQuery = z.object({ key });

const link = { slug: z.string(), name: z.string(), url: z.url() };
const image = z.object({
  src: z.string(),
  alt: z.string(),
  caption: z.string().optional(),
  credit: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});

export const sectionSchema = z.object({ id: z.number().int(), ...link }).meta({ id: 'Section' });
export const tagSchema = z.object({ id: z.number().int(), ...link }).meta({ id: 'Tag' });
export const authorSchema = z
  .object({ id: z.number().int(), ...link, bio: z.string().optional(), photo: z.string().optional() })
  .meta({ id: 'Author' });

export const articleSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    headline: z.string(),
    standfirst: z.string(),
    url: z.url().describe('The article on the site'),
    section: z.object(link),
    publishedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    leadImage: image.optional(),
  })
  .meta({ id: 'ArticleSummary' });

/** Body blocks as stored; `html` fields hold sanitized inline HTML, every other string is plain text. */
export const blockSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('paragraph'), html: z.string() }),
    z.object({ type: z.literal('crosshead'), text: z.string() }),
    z.object({ type: z.literal('quote'), text: z.string(), attribution: z.string().optional() }),
    z.object({ type: z.literal('list'), style: z.enum(['bulleted', 'numbered']), items: z.array(z.string()) }),
    image.extend({ type: z.literal('image') }),
    z.object({
      type: z.literal('embed'),
      url: z.string(),
      title: z.string().optional(),
      provider: z.string().optional(),
    }),
  ])
  .meta({ id: 'Block' });

export const articleSchema = articleSummarySchema
  .extend({
    authors: z.array(z.object(link)),
    tags: z.array(z.object(link)),
    datelinePlace: z.string().optional(),
    language: z.string(),
    body: z.array(blockSchema),
    html: z.string().describe('The body as the site renders it'),
    notes: z.array(z.object({ kind: z.enum(['correction', 'update']), text: z.string(), at: z.iso.datetime() })),
    source: z
      .object({
        name: z.string(),
        url: z.string().optional(),
        licence: z.string().optional(),
        licenceUrl: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'Article' });

const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable().describe('null on the last page') });

export const articleListResponse = page(articleSummarySchema);
export const articleResponse = z.object({ data: articleSchema });
export const sectionListResponse = z.object({ data: z.array(sectionSchema) });
export const tagListResponse = page(tagSchema);
export const authorListResponse = page(authorSchema);
export const tagResponse = z.object({ data: tagSchema });
export const authorResponse = z.object({ data: authorSchema });

const storyItem = z.object({ id: z.number().int(), headline: z.string(), url: z.url(), publishedAt: z.iso.datetime() });
export const relatedResponse = z.object({
  articleId: z.number().int(),
  story: z.array(storyItem).describe('The other articles of its story, oldest first'),
  related: z
    .array(
      z.object({
        id: z.number().int(),
        headline: z.string(),
        url: z.url(),
        rank: z.number().int(),
        score: z.number(),
        similarity: z.number().describe("Text similarity to the article's query, as the engine judges it today"),
        needed: z.number().describe('The similarity the item needs to be shown today (the minimum in its story)'),
        sharedNeighbours: z
          .number()
          .int()
          .nullable()
          .describe("How many of the article's 10 nearest are also the item's, where the floor asked (else null)"),
        mutual: z
          .boolean()
          .nullable()
          .describe("Whether the article is in the closer half of the item's own nearest, where asked (else null)"),
        sameStory: z.boolean(),
        hoursApart: z.number(),
        sharedTerms: z.array(z.string()),
        sharedEntities: z.array(z.string()),
        sharedLabels: z.array(z.string()),
      }),
    )
    .describe('Stored related articles, best first, each with why it is there'),
});

export const errorSchema = z
  .object({ error: z.object({ code: z.string().describe('Stable: clients rely on it'), message: z.string() }) })
  .meta({ id: 'Error' });

export const openApiResponse = z.record(z.string(), z.unknown());
