/**
 * The search's question and answer as zod schemas: the service validates
 * with them, and an HTTP face can register them as its request and response
 * schemas (`z.toJSONSchema` for OpenAPI). Any text is a valid `q`: the query
 * parser makes sense of whatever it holds (`query.ts`).
 *
 * @example
 *   const query = searchQuerySchema.parse({ q: 'dam talks', section: 'world', page: '2' });
 *   const answer: SearchResult = await services.search.search(query);
 */
import { z } from 'zod';

/** Results a page shows by default, and at most. */
export const PER_PAGE = 20;
export const MAX_PER_PAGE = 50;
/** Matches ranked per query, best first by text relevance; the total says "at least" beyond this. */
export const MAX_RESULTS = 500;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,199}$/);
const day = z.iso.date();

export const searchQuerySchema = z.object({
  /** What the reader typed; anything at all (it is cut at 200 characters before parsing). */
  q: z.string().max(10_000).default(''),
  section: slug.optional().describe('a section slug'),
  tag: slug.optional().describe('a tag slug'),
  author: slug.optional().describe('an author slug'),
  from: day.optional().describe('published on or after this day (UTC), YYYY-MM-DD'),
  to: day.optional().describe('published on or before this day (UTC), YYYY-MM-DD'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(PER_PAGE),
});

export type SearchQuery = z.infer<typeof searchQuerySchema>;
export type SearchQueryInput = z.input<typeof searchQuerySchema>;

const label = z.object({ slug: z.string(), name: z.string() });

export const searchHitSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  headline: z.string(),
  /** The headline, HTML-escaped, with the query's words in `<mark>`. */
  headlineHtml: z.string(),
  standfirst: z.string(),
  /** About 30 words of the body (or the standfirst) around the matches, escaped, words in `<mark>`. */
  snippetHtml: z.string(),
  section: label,
  authors: z.array(label),
  publishedAt: z.iso.datetime(),
  /** The source gave only a date: `publishedAt` is noon UTC of that day, not a time anyone wrote. */
  publishedDayOnly: z.boolean(),
});

export const searchResultSchema = z.object({
  /** The query as understood (trimmed), for showing back. */
  q: z.string(),
  page: z.number().int(),
  perPage: z.number().int(),
  /** Matches found, up to MAX_RESULTS; `totalCapped` when there are more (only the best MAX_RESULTS are ranked). */
  total: z.number().int(),
  totalCapped: z.boolean(),
  /** Pages of results there are (within the ranked ones). */
  pages: z.number().int(),
  hits: z.array(searchHitSchema),
  /** No article has every word: these have some of them, the most first. */
  partial: z.literal(true).optional(),
  /** "Did you mean": the query with misspelt words corrected, which finds articles (offered when this found none, or only partial matches). */
  suggestion: z.string().optional(),
  /** Why nothing could be looked for: no query, or only exclusions. */
  empty: z.enum(['no-query', 'only-exclusions']).optional(),
});

export type SearchHit = z.infer<typeof searchHitSchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;

/**
 * The query from untrusted parameters, keeping what is valid and dropping
 * what is not (a reader's `?from=yesterday` or `?page=abc` is ignored, not an
 * error page). An HTTP API may prefer `searchQuerySchema.parse` and a 400.
 *
 * @example
 *   lenientSearchQuery({ q: 'dam', from: 'nonsense', page: '2' }); // { q: 'dam', page: 2, perPage: 20 }
 */
export function lenientSearchQuery(raw: Record<string, unknown>): SearchQuery {
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(searchQuerySchema.shape)) {
    const value = Array.isArray(raw[key]) ? (raw[key] as unknown[])[0] : raw[key];
    if (value === undefined || value === '') continue;
    const parsed = field.safeParse(key === 'q' ? String(value).slice(0, 10_000) : value);
    if (parsed.success) kept[key] = parsed.data;
  }
  return searchQuerySchema.parse(kept);
}
