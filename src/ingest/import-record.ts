/**
 * One line of an import file → an ArticleInput. Accepts the shared corpus
 * format (id, source, url, title, summary, body, category, story, published)
 * and Dateline's richer native fields (blocks, section, tags, authors, lead
 * image, licence…). Plain-text bodies become blocks by `plainTextToBlocks`.
 */
import { z } from 'zod';
import { ARTICLE_STATUSES, type ArticleInput, type Block, stripTags } from '../articles/article.js';
import { datelineFromLead, plainTextToBlocks, textToInlineHtml } from '../articles/blocks.js';
import { titleCase } from '../lib/slug.js';

const url = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL' });
const src = z
  .string()
  .max(2000)
  .refine((u) => /^(https?:\/\/|\/(?!\/))/i.test(u), { message: 'must be an http(s) URL or a /path' });
const text = (max: number) => z.string().max(max);

const image = z.object({
  src,
  alt: text(500).default(''),
  caption: text(1000).optional(),
  credit: text(300).optional(),
  width: z.number().int().positive().max(20000).optional(),
  height: z.number().int().positive().max(20000).optional(),
});

const block: z.ZodType<Block> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), html: text(20000) }),
  z.object({ type: z.literal('crosshead'), text: text(300) }),
  z.object({ type: z.literal('quote'), text: text(5000), attribution: text(300).optional() }),
  z.object({
    type: z.literal('list'),
    style: z.enum(['bulleted', 'numbered']),
    items: z.array(text(5000)).min(1).max(200),
  }),
  image.extend({ type: z.literal('image') }),
  z.object({ type: z.literal('embed'), url, title: text(300).optional(), provider: text(100).optional() }),
]) as z.ZodType<Block>;

const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 date',
  })
  .refine(isCalendarDay, { message: 'is not a day of the calendar' });

/** `Date.parse` rolls 2024-02-30 over to 1 March; a day that does not exist is an error instead. */
function isCalendarDay(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A list given as a JSON array or as one `;`-joined string (the shared corpus format). */
const nameList = (max: number) =>
  z
    .union([z.array(text(max)).max(50), text(50 * max)])
    .transform((v) => (typeof v === 'string' ? v.split(';') : v).map((c) => c.trim()).filter((c) => c !== ''));

const person = z.union([text(200), z.object({ name: text(200), slug: text(200).optional() })]);

export const importRecordSchema = z
  .object({
    id: text(300).optional(),
    source: text(200).optional(),
    url: url.optional(),
    title: text(500).optional(),
    headline: text(500).optional(),
    summary: text(5000).optional(),
    standfirst: text(5000).optional(),
    body: text(500_000).optional(),
    blocks: z.array(block).max(2000).optional(),
    category: nameList(100).optional(),
    section: text(100).optional(),
    tags: nameList(100).optional(),
    authors: z.array(person).max(20).optional(),
    story: text(200).optional(),
    published: isoDate.optional(),
    updated: isoDate.optional(),
    status: z.enum(ARTICLE_STATUSES).optional(),
    language: z
      .string()
      .max(35)
      .regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language tag such as en, uk or ar-EG' })
      .optional(),
    dateline: text(100).optional(),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,199}$/, { message: 'must be lowercase letters, digits and hyphens' })
      .optional(),
    lead_image: image.optional(),
    licence: text(100).optional(),
    licence_url: url.optional(),
  })
  .refine((r) => (r.title ?? r.headline ?? '').trim() !== '', {
    message: 'title (or headline) is required',
    path: ['title'],
  });

export type ImportRecord = z.infer<typeof importRecordSchema>;

/** Licences of sources whose terms are known, for records that do not state them. */
const KNOWN_LICENCES: Record<string, { licence: string; licenceUrl: string }> = {
  Wikinews: { licence: 'CC BY 2.5', licenceUrl: 'https://creativecommons.org/licenses/by/2.5/' },
};

/** Dates without a time are taken as noon UTC, which is the same calendar day across the Americas, Europe and Asia. */
export function parseImportDate(value: string): Date {
  return new Date(isDateOnly(value) ? `${value}T12:00:00Z` : value);
}

const isDateOnly = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** `language` is the articles' language when a record names none (the site's, for the command line). */
export function toArticleInput(r: ImportRecord, language = 'en'): ArticleInput {
  const categories = r.category ?? [];
  const sectionName = r.section ?? (categories[0] ? titleCase(categories[0]) : 'News');
  const tagNames = r.tags ?? categories.slice(r.section ? 0 : 1);
  const content = r.blocks ? { blocks: r.blocks, standfirst: r.standfirst ?? r.summary ?? '' } : fromPlainText(r);
  const licence = r.licence
    ? { licence: r.licence, ...(r.licence_url ? { licenceUrl: r.licence_url } : {}) }
    : KNOWN_LICENCES[r.source ?? ''];
  const dateline = r.dateline ?? content.dateline;
  return {
    ...(r.id ? { externalId: r.id } : {}),
    ...(r.slug ? { slug: r.slug } : {}),
    headline: (r.title ?? r.headline ?? '').trim(),
    standfirst: content.standfirst,
    body: content.blocks,
    ...(r.lead_image ? { leadImage: r.lead_image } : {}),
    authors: (r.authors ?? []).map((a) => (typeof a === 'string' ? { name: a } : a)),
    section: { name: sectionName },
    tags: tagNames.map((name) => ({ name: r.tags ? name : titleCase(name) })),
    ...(dateline ? { datelinePlace: dateline } : {}),
    status: r.status ?? 'published',
    language: r.language ?? language,
    ...(r.published ? { publishedAt: parseImportDate(r.published) } : {}),
    ...(r.published && isDateOnly(r.published) ? { publishedDayOnly: true } : {}),
    ...(r.updated ? { updatedAt: parseImportDate(r.updated) } : {}),
    ...(r.source ? { source: { name: r.source, ...(r.url ? { url: r.url } : {}), ...licence } } : {}),
  };
}

/**
 * A plain-text body: the first paragraph becomes the standfirst when none is
 * given and more paragraphs follow (as on a news page), and a wire dateline
 * ("WASHINGTON, Feb 26 - ") is lifted out of it.
 */
function fromPlainText(r: ImportRecord): { blocks: Block[]; standfirst: string; dateline?: string } {
  const blocks = plainTextToBlocks(r.body ?? '');
  let standfirst = r.standfirst ?? r.summary;
  let dateline: string | undefined;
  const first = blocks[0];
  if (first?.type === 'paragraph') {
    const lead = datelineFromLead(stripTags(first.html));
    if (lead) {
      dateline = lead.place;
      blocks[0] = { type: 'paragraph', html: textToInlineHtml(lead.rest) };
    }
    if (standfirst === undefined && blocks.length > 1) {
      standfirst = stripTags((blocks.shift() as { html: string }).html);
    }
  }
  return { blocks, standfirst: standfirst ?? '', ...(dateline ? { dateline } : {}) };
}
