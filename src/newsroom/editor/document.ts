/**
 * Dateline's body blocks ↔ the body editor's document (ProseMirror/Tiptap
 * JSON, see `doc-schema.ts`). `blocksToDoc` feeds the editor; `docToBlocks`
 * checks what the editor sends back and turns it into blocks, refusing a
 * malformed document with `INVALID_DOCUMENT` and cleaning only what has one
 * obvious reading. Loading a body and saving it unchanged gives the same
 * blocks (see the tests for the exact promise).
 */
import type { Block } from '../../articles/article.js';
import {
  type BlockNode,
  type EditorDoc,
  formatPath,
  type InlineNode,
  invalid,
  type ListItemNode,
  type ListNode,
  type ParagraphNode,
  parseEditorDoc,
} from './doc-schema.js';
import { inlineHtmlToNodes, nodesToInlineHtml } from './inline-html.js';

export type { EditorDoc } from './doc-schema.js';

/** The importer's limits (`src/ingest/import-record.ts`), so that an edited body could also be imported. */
const LIMITS = { html: 20_000, crosshead: 300, quote: 5000, items: 200, item: 5000 } as const;

/** Plain text as inline nodes: line breaks become hard breaks. */
function plainToNodes(text: string): InlineNode[] {
  const nodes: InlineNode[] = [];
  text.split('\n').forEach((line, k) => {
    if (k > 0) nodes.push({ type: 'hardBreak' });
    if (line !== '') nodes.push({ type: 'text', text: line });
  });
  return nodes;
}

/** Plain text of inline nodes: marks are dropped (crossheads and quotes are plain text), hard breaks are line breaks. */
function nodesToPlain(nodes: readonly InlineNode[] = []): string {
  return nodes.map((n) => (n.type === 'text' ? n.text : '\n')).join('');
}

const withContent = <T extends object>(node: T, content: InlineNode[]): T =>
  content.length > 0 ? { ...node, content } : node;

function blockToNode(block: Block): BlockNode {
  switch (block.type) {
    case 'paragraph':
      return withContent({ type: 'paragraph' }, inlineHtmlToNodes(block.html));
    case 'crosshead':
      return withContent({ type: 'heading', attrs: { level: 2 } }, plainToNodes(block.text));
    case 'quote':
      return withContent(
        { type: 'quote', attrs: { attribution: block.attribution ?? null } },
        plainToNodes(block.text),
      );
    case 'list':
      return {
        type: block.style === 'numbered' ? 'orderedList' : 'bulletList',
        content: block.items.map((html) => ({
          type: 'listItem',
          content: [withContent<ParagraphNode>({ type: 'paragraph' }, inlineHtmlToNodes(html))],
        })),
      };
    case 'image': {
      const { src, alt, caption, credit, width, height } = block;
      const attrs = { caption: caption ?? null, credit: credit ?? null, width: width ?? null, height: height ?? null };
      return { type: 'image', attrs: { src, alt, ...attrs } };
    }
    case 'embed':
      return { type: 'embed', attrs: { url: block.url, title: block.title ?? null, provider: block.provider ?? null } };
  }
}

/**
 * The editor document for a body. An empty body is one empty paragraph, as
 * the editor needs at least one block.
 *
 * @example
 *   blocksToDoc([{ type: 'crosshead', text: 'Reaction' }, { type: 'paragraph', html: 'Calm <i>at last</i>.' }]);
 *   // { type: 'doc', content: [
 *   //   { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Reaction' }] },
 *   //   { type: 'paragraph', content: [{ type: 'text', text: 'Calm ' },
 *   //     { type: 'text', text: 'at last', marks: [{ type: 'italic', attrs: { tag: 'i' } }] }, { type: 'text', text: '.' }] }] }
 */
export function blocksToDoc(blocks: readonly Block[]): EditorDoc {
  const content = blocks.map(blockToNode);
  return { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] };
}

/**
 * The JSON text of a document for `<script type="application/json" id="editor-doc">`,
 * safe to put in the page as it is: every `<` is written `\u003c`, so
 * neither `</script>` nor `<!--` in an article can end or change the element.
 *
 * @example
 *   html`<script type="application/json" id="editor-doc">${raw(docScriptJson(blocksToDoc(article.body)))}</script>`;
 */
export function docScriptJson(doc: EditorDoc): string {
  return JSON.stringify(doc).replace(/</g, '\\u003c');
}

/** What converting one node found: a block, nothing (an empty block is dropped), or problems. */
type Converted = { block?: Block; problems: string[] };

const tooLong = (path: string, what: string, max: number): string => `${path}: ${what} longer than ${max} characters`;

/** Items of a list, nested lists flattened in reading order: an item's own text, then its sub-items. */
function listItems(list: ListNode): string[] {
  const items: string[] = [];
  for (const item of list.content ?? []) items.push(...itemTexts(item));
  return items;
}

function itemTexts(item: ListItemNode): string[] {
  const paragraphs = (item.content ?? []).filter((c) => c.type === 'paragraph');
  // Two paragraphs in one item (Enter inside a pasted item) stay one item, on two lines.
  const own = paragraphs.length > 0 ? [paragraphs.map((p) => nodesToInlineHtml(p.content ?? [])).join('<br />')] : [];
  const nested = (item.content ?? []).flatMap((c) => (c.type === 'paragraph' ? [] : listItems(c)));
  return [...own, ...nested];
}

function convertList(node: ListNode, path: string): Converted {
  const items = listItems(node);
  const problems: string[] = [];
  if (items.length > LIMITS.items) problems.push(`${path}: more than ${LIMITS.items} list items`);
  items.forEach((item, k) => {
    if (item.length > LIMITS.item) problems.push(tooLong(`${path} item ${k + 1}`, 'list item', LIMITS.item));
  });
  if (items.length === 0 || problems.length > 0) return { problems };
  return { block: { type: 'list', style: node.type === 'orderedList' ? 'numbered' : 'bulleted', items }, problems };
}

/** `null` and absent are both "not set"; an empty string is kept as it came. */
function optional<K extends string>(key: K, value: string | number | null | undefined): { [k in K]?: string | number } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [k in K]: string | number });
}

function convertNode(node: BlockNode, path: string): Converted {
  switch (node.type) {
    case 'paragraph': {
      const html = nodesToInlineHtml(node.content ?? []);
      if (html.length > LIMITS.html) return { problems: [tooLong(path, 'paragraph', LIMITS.html)] };
      return { ...(html !== '' ? { block: { type: 'paragraph', html } } : {}), problems: [] };
    }
    case 'heading': {
      const text = nodesToPlain(node.content);
      if (text.length > LIMITS.crosshead) return { problems: [tooLong(path, 'crosshead', LIMITS.crosshead)] };
      return { ...(text !== '' ? { block: { type: 'crosshead', text } } : {}), problems: [] };
    }
    case 'quote': {
      const text = nodesToPlain(node.content);
      const attribution = node.attrs?.attribution;
      if (text.length > LIMITS.quote) return { problems: [tooLong(path, 'quote', LIMITS.quote)] };
      if (text === '' && (attribution ?? '') === '') return { problems: [] };
      return { block: { type: 'quote', text, ...optional('attribution', attribution) } as Block, problems: [] };
    }
    case 'bulletList':
    case 'orderedList':
      return convertList(node, path);
    case 'image': {
      const { src, alt, caption, credit, width, height } = node.attrs;
      const rest = { ...optional('caption', caption), ...optional('credit', credit) };
      const size = { ...optional('width', width), ...optional('height', height) };
      return { block: { type: 'image', src, alt: alt ?? '', ...rest, ...size } as Block, problems: [] };
    }
    case 'embed': {
      const { url, title, provider } = node.attrs;
      const rest = { ...optional('title', title), ...optional('provider', provider) };
      return { block: { type: 'embed', url, ...rest } as Block, problems: [] };
    }
  }
}

/**
 * The body blocks of an editor document (a parsed value or its JSON text).
 * Inline HTML comes out of `sanitizeInline`. Cleaned: empty paragraphs,
 * crossheads, quotes and lists are dropped; marks inside crossheads and
 * quotes are dropped (those are plain text); nested lists are flattened
 * into their list; a list item's paragraphs are joined by `<br />`; unknown
 * attributes are ignored. Refused with `AppError('INVALID_DOCUMENT')`,
 * listing each problem: wrong shapes or types, unknown nodes or marks, a
 * link that is not http(s), mailto or a site path, an image not under
 * `/media/` or https, an embed that is not http(s), text over the
 * importer's limits, and documents over the size and depth limits.
 *
 * @example
 *   docToBlocks({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }] });
 *   // [{ type: 'paragraph', html: 'Hi' }]
 *   docToBlocks({ type: 'doc', content: [{ type: 'video' }] }); // throws AppError INVALID_DOCUMENT
 */
export function docToBlocks(doc: unknown): Block[] {
  const parsed = parseEditorDoc(doc);
  const blocks: Block[] = [];
  const problems: string[] = [];
  parsed.content.forEach((node, k) => {
    const converted = convertNode(node, formatPath(['content', k]));
    problems.push(...converted.problems);
    if (converted.block) blocks.push(converted.block);
  });
  if (problems.length > 0) throw invalid(problems);
  return blocks;
}
