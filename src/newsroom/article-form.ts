/**
 * The article form: what the editor page posts (fields as strings, the body
 * as the editor's document or, without JavaScript, plain text) turned into an
 * `ArticleInput`, with an error per field in an editor's words. Nothing here
 * saves: the article service does, and it checks again.
 *
 * @example
 *   const { input, errors } = readArticleForm(request.body, { timeZone, language: 'en', bodyFromDoc });
 */
import { z } from 'zod';
import type { ArticleInput, ArticleStatus, Block, Image } from '../articles/article.js';
import { plainTextToBlocks } from '../articles/blocks.js';
import { AppError } from '../lib/errors.js';
import { zonedTime } from '../lib/time.js';

export type ArticleFormBody = Record<string, string | undefined>;

export interface FormContext {
  /** The site's zone: date fields are wall-clock times there. */
  timeZone: string;
  language: string;
  /** The editor's document → blocks (validated and sanitized); throws AppError('INVALID_DOCUMENT'). */
  bodyFromDoc(json: unknown): Block[];
}

export interface ArticleForm {
  input: ArticleInput;
  /** By field name, in an editor's words; empty when the form is good. */
  errors: Record<string, string>;
  /** The version the edit was based on, if the form carried one. */
  version?: number;
}

const text = (max: number) => z.string().trim().max(max);
const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 50)
    .map((name) => ({ name: name.slice(0, 200) }));

const imageSchema = z.object({
  src: z
    .string()
    .trim()
    .max(2000)
    .regex(/^(\/media\/|https:\/\/)/, 'an uploaded image or an https address'),
  alt: text(500),
  caption: text(1000),
  credit: text(300),
  width: z.coerce.number().int().positive().max(20_000).optional(),
  height: z.coerce.number().int().positive().max(20_000).optional(),
});

/** Reads the form; `status` is what the article is saved as (the form never chooses it: actions do). */
export function readArticleForm(body: ArticleFormBody, status: ArticleStatus, context: FormContext): ArticleForm {
  const errors: Record<string, string> = {};
  const field = (name: string, schema: z.ZodType<string>, label: string): string => {
    const parsed = schema.safeParse(body[name] ?? '');
    if (parsed.success) return parsed.data;
    errors[name] = `${label}: ${parsed.error.issues[0]?.message ?? 'not valid'}`;
    return '';
  };
  const headline = field('headline', text(300), 'Headline');
  if (!headline && !errors.headline) errors.headline = 'Give the article a headline';
  const standfirst = field('standfirst', text(1000), 'Standfirst');
  const section = field('section', text(100), 'Section');
  if (!section && !errors.section) errors.section = 'Choose a section';
  const datelinePlace = field('dateline_place', text(100), 'Dateline');
  const slug = field('slug', text(200), 'Address');
  const language = field('language', text(35), 'Language') || context.language;

  let embargoUntil: Date | null = null;
  if (body.embargo_until?.trim()) {
    const at = zonedTime(body.embargo_until, context.timeZone);
    if (at) embargoUntil = at;
    else errors.embargo_until = 'Embargo: give a date and a time';
  }

  let leadImage: Image | undefined;
  if (body.lead_src?.trim()) {
    const parsed = imageSchema.safeParse({
      src: body.lead_src,
      alt: body.lead_alt ?? '',
      caption: body.lead_caption ?? '',
      credit: body.lead_credit ?? '',
      width: body.lead_width || undefined,
      height: body.lead_height || undefined,
    });
    if (!parsed.success) errors.lead_src = `Lead image: ${parsed.error.issues[0]?.message ?? 'not valid'}`;
    else {
      const { caption, credit, width, height, ...image } = parsed.data;
      if (!image.alt) errors.lead_alt = 'Describe the lead image for people who cannot see it';
      leadImage = {
        ...image,
        ...(caption ? { caption } : {}),
        ...(credit ? { credit } : {}),
        ...(width ? { width } : {}),
        ...(height ? { height } : {}),
      };
    }
  }

  let blocks: Block[] = [];
  try {
    blocks = readBody(body, context);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    errors.body = `Body: ${err.message}`;
  }

  const version = body.version ? Number(body.version) : undefined;
  return {
    input: {
      headline,
      standfirst,
      body: blocks,
      ...(leadImage ? { leadImage } : {}),
      authors: list(body.authors),
      section: { name: section },
      tags: list(body.tags),
      ...(datelinePlace ? { datelinePlace } : {}),
      ...(slug ? { slug } : {}),
      status,
      language,
      embargoUntil,
    },
    errors,
    ...(version !== undefined && Number.isInteger(version) && version > 0 ? { version } : {}),
  };
}

/** The body: the editor's document when JavaScript ran, else the plain-text field. */
export function readBody(body: ArticleFormBody, context: Pick<FormContext, 'bodyFromDoc'>): Block[] {
  const doc = body.body_doc?.trim();
  if (doc) {
    let json: unknown;
    try {
      json = JSON.parse(doc);
    } catch {
      throw new AppError('INVALID_DOCUMENT', 'the editor sent a document that could not be read');
    }
    return context.bodyFromDoc(json);
  }
  return plainTextToBlocks(body.body_text ?? '');
}
