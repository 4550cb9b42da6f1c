/**
 * The body editor's document: the ProseMirror/Tiptap JSON the browser editor
 * produces (`editor.getJSON()`), its types and the zod schema that checks
 * one before it is turned into blocks. Size and depth are checked first, on
 * the raw value, so that 5 MB of junk or a thousand nested lists costs a
 * bounded walk rather than a deep recursive parse.
 */
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { isAllowedEmbedUrl, isAllowedHref, isAllowedImageSrc, MAX_URL_LENGTH } from './urls.js';

export type BoldMark = { type: 'bold'; attrs?: { tag?: 'b' | 'strong' | null } };
export type ItalicMark = { type: 'italic'; attrs?: { tag?: 'i' | 'em' | null } };
export type LinkMark = { type: 'link'; attrs: { href: string } };
export type EditorMark =
  | BoldMark
  | ItalicMark
  | LinkMark
  | { type: 'code' }
  | { type: 'subscript' }
  | { type: 'superscript' };

export interface TextNode {
  type: 'text';
  text: string;
  marks?: EditorMark[];
}
export interface HardBreakNode {
  type: 'hardBreak';
  marks?: EditorMark[];
}
export type InlineNode = TextNode | HardBreakNode;

export interface ParagraphNode {
  type: 'paragraph';
  content?: InlineNode[];
}
/** A crosshead. The editor offers level 2 only; any level is read as a crosshead. */
export interface HeadingNode {
  type: 'heading';
  attrs?: { level?: number };
  content?: InlineNode[];
}
/** A quote: its text is the node's content (plain, line breaks as hardBreak), the attribution an attribute. */
export interface QuoteNode {
  type: 'quote';
  attrs?: { attribution?: string | null };
  content?: InlineNode[];
}
export interface ListItemNode {
  type: 'listItem';
  content?: (ParagraphNode | ListNode)[];
}
export interface ListNode {
  type: 'bulletList' | 'orderedList';
  content?: ListItemNode[];
}
export interface ImageNode {
  type: 'image';
  attrs: {
    src: string;
    alt?: string | null;
    caption?: string | null;
    credit?: string | null;
    width?: number | null;
    height?: number | null;
  };
}
export interface EmbedNode {
  type: 'embed';
  attrs: { url: string; title?: string | null; provider?: string | null };
}
export type BlockNode = ParagraphNode | HeadingNode | QuoteNode | ListNode | ImageNode | EmbedNode;

export interface EditorDoc {
  type: 'doc';
  content: BlockNode[];
}

/** Limits on the raw value, checked before the schema. */
export const DOC_LIMITS = {
  /** Characters of a document handed over as a JSON string. */
  jsonChars: 2_000_000,
  /** Objects, arrays and values in the whole document. */
  values: 200_000,
  /** Characters in all strings together. */
  stringChars: 1_000_000,
  /** Nesting of objects and arrays (a list nested in a list item adds 4). */
  depth: 40,
  /** Problems listed in an error. */
  problems: 20,
} as const;

const optionalText = (max: number) => z.string().max(max).nullish();

const markSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('bold'),
      attrs: z.object({ tag: z.enum(['b', 'strong']).nullish() }).optional(),
    }),
    z.object({
      type: z.literal('italic'),
      attrs: z.object({ tag: z.enum(['i', 'em']).nullish() }).optional(),
    }),
    z.object({
      type: z.literal('link'),
      // Tiptap adds target, rel, class and title: they are not kept (links are rendered by the site).
      attrs: z.object({
        href: z.string().refine(isAllowedHref, {
          message: 'only http, https and mailto links or links to a path on this site are allowed',
        }),
      }),
    }),
    z.object({ type: z.literal('code') }),
    z.object({ type: z.literal('subscript') }),
    z.object({ type: z.literal('superscript') }),
  ],
  { error: (issue) => unknownType('mark', issue.input) },
);

const marks = z.array(markSchema).max(12).optional();

const inlineSchema = z.discriminatedUnion(
  'type',
  [z.object({ type: z.literal('text'), text: z.string(), marks }), z.object({ type: z.literal('hardBreak'), marks })],
  { error: (issue) => unknownType('inline node', issue.input) },
);

const inlineContent = z.array(inlineSchema).optional();

const paragraphSchema = z.object({ type: z.literal('paragraph'), content: inlineContent });

const listItemSchema: z.ZodType<ListItemNode> = z.lazy(() =>
  z.object({
    type: z.literal('listItem'),
    content: z
      .array(
        z.discriminatedUnion('type', [paragraphSchema, bulletListSchema, orderedListSchema], {
          error: (issue) => unknownType('list item content', issue.input),
        }),
      )
      .optional(),
  }),
);

const listContent = z.array(listItemSchema).max(500).optional();
const bulletListSchema = z.object({ type: z.literal('bulletList'), content: listContent });
const orderedListSchema = z.object({ type: z.literal('orderedList'), content: listContent });

const dimension = z.number().int().positive().max(20_000).nullish();

const blockSchema = z.discriminatedUnion(
  'type',
  [
    paragraphSchema,
    z.object({
      type: z.literal('heading'),
      attrs: z.object({ level: z.number().int().min(1).max(6).optional() }).optional(),
      content: inlineContent,
    }),
    z.object({
      type: z.literal('quote'),
      attrs: z.object({ attribution: optionalText(300) }).optional(),
      content: inlineContent,
    }),
    bulletListSchema,
    orderedListSchema,
    z.object({
      type: z.literal('image'),
      attrs: z.object({
        src: z.string().refine(isAllowedImageSrc, { message: 'must be a /media/ path or an https URL' }),
        alt: optionalText(500),
        caption: optionalText(1000),
        credit: optionalText(300),
        width: dimension,
        height: dimension,
      }),
    }),
    z.object({
      type: z.literal('embed'),
      attrs: z.object({
        url: z.string().max(MAX_URL_LENGTH).refine(isAllowedEmbedUrl, { message: 'must be an http or https URL' }),
        title: optionalText(300),
        provider: optionalText(100),
      }),
    }),
  ],
  { error: (issue) => unknownType('block', issue.input) },
);

/**
 * The document schema. Unknown node and mark types are refused; unknown
 * attributes and keys are dropped (Tiptap adds some, such as a link's
 * `target`, that the block model has no place for).
 */
export const editorDocSchema: z.ZodType<EditorDoc> = z.object({
  type: z.literal('doc'),
  content: z.array(blockSchema).max(2000),
}) as z.ZodType<EditorDoc>;

function unknownType(what: string, input: unknown): string {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return `expected a ${what} with a "type"`;
  return `unknown ${what} type "${type.slice(0, 40)}"`;
}

/**
 * Checks a document (a parsed value, or the JSON text of one) and returns it
 * typed; anything else is an `AppError('INVALID_DOCUMENT')` whose `details`
 * list each problem with its path (`content[3].attrs.src: …`).
 *
 * @example
 *   parseEditorDoc('{"type":"doc","content":[{"type":"paragraph"}]}'); // { type: 'doc', content: [ … ] }
 *   parseEditorDoc({ type: 'doc', content: [{ type: 'script' }] }); // throws INVALID_DOCUMENT
 */
export function parseEditorDoc(input: unknown): EditorDoc {
  const value = typeof input === 'string' ? parseJson(input) : input;
  const tooBig = sizeProblem(value);
  if (tooBig) throw invalid([tooBig]);
  const result = editorDocSchema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`));
}

/**
 * An `INVALID_DOCUMENT` error listing (at most `DOC_LIMITS.problems` of) the problems.
 *
 * @example
 *   throw invalid(['content[2]: crosshead longer than 300 characters']);
 */
export function invalid(problems: string[]): AppError {
  const listed = problems.slice(0, DOC_LIMITS.problems);
  const more = problems.length - listed.length;
  const message = `The body is not a valid document: ${listed.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`;
  return new AppError('INVALID_DOCUMENT', message, { problems: listed });
}

/**
 * A path into the document as problems name it, or `document` for the root.
 *
 * @example
 *   formatPath(['content', 3, 'attrs', 'src']); // 'content[3].attrs.src'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || 'document';
}

function parseJson(text: string): unknown {
  if (text.length > DOC_LIMITS.jsonChars) throw invalid([`document: longer than ${DOC_LIMITS.jsonChars} characters`]);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(['document: not JSON']);
  }
}

/** Walks the raw value without recursion and stops at the first limit it crosses. */
function sizeProblem(root: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  let values = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (++values > DOC_LIMITS.values) return `document: more than ${DOC_LIMITS.values} values`;
    if (typeof value === 'string') {
      chars += value.length;
      if (chars > DOC_LIMITS.stringChars) return `document: more than ${DOC_LIMITS.stringChars} characters of text`;
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= DOC_LIMITS.depth) return `document: nested deeper than ${DOC_LIMITS.depth} levels`;
      // Checked before listing the entries: a five-million-element array should not be copied to be refused.
      if (Array.isArray(value) && values + value.length > DOC_LIMITS.values)
        return `document: more than ${DOC_LIMITS.values} values`;
      for (const [key, child] of Object.entries(value)) {
        chars += key.length;
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
