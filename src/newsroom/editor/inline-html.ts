/**
 * Inline HTML (a paragraph's or list item's `html`) ↔ the editor's inline
 * nodes: text with marks (bold, italic, link, code, subscript, superscript)
 * and hard breaks. Both directions go through `sanitizeInline`, so what comes
 * out is always the sanitizer's own canonical form and a stored body reads
 * back exactly as it was written.
 */
import { sanitizeInline } from '../../articles/blocks.js';
import type { EditorMark, InlineNode } from './doc-schema.js';

/** The mark each allowed inline tag stands for; `b`/`strong` and `i`/`em` are told apart so neither is rewritten. */
const TAG_MARKS: Record<string, EditorMark> = {
  b: { type: 'bold', attrs: { tag: 'b' } },
  strong: { type: 'bold', attrs: { tag: 'strong' } },
  i: { type: 'italic', attrs: { tag: 'i' } },
  em: { type: 'italic', attrs: { tag: 'em' } },
  code: { type: 'code' },
  sub: { type: 'subscript' },
  sup: { type: 'superscript' },
};

// The sanitizer's output is regular: known tags, `href` as the only attribute, `<br />`, and escaped text.
const TOKEN_RE = /<(\/?)([a-z]+)([^>]*)>|([^<]+)/g;
const HREF_RE = /\shref="([^"]*)"/;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string): string => escapeText(text).replace(/"/g, '&quot;');

/**
 * The order marks take in the browser editor's schema (ProseMirror sorts a
 * node's marks by it), which is also the nesting used when two marks start
 * and end together: `<a><b>x</b></a>`, never `<b><a>x</a></b>`.
 */
const MARK_ORDER: EditorMark['type'][] = ['link', 'bold', 'italic', 'code', 'subscript', 'superscript'];
const rank = (mark: EditorMark): number => MARK_ORDER.indexOf(mark.type);

/** One mark per type (the outermost: `<b><strong>x</strong></b>` is bold once), in schema order. */
function uniqueMarks(marks: readonly EditorMark[]): EditorMark[] {
  const seen = new Set<string>();
  return marks.filter((m) => !seen.has(m.type) && seen.add(m.type)).sort((a, b) => rank(a) - rank(b));
}

function sameMark(a: EditorMark, b: EditorMark): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'link') return a.attrs.href === (b as typeof a).attrs.href;
  if (a.type === 'bold' || a.type === 'italic') return openTag(a) === openTag(b);
  return true;
}

function sameMarks(a: readonly EditorMark[] = [], b: readonly EditorMark[] = []): boolean {
  return a.length === b.length && a.every((m, k) => sameMark(m, b[k] as EditorMark));
}

function openTag(mark: EditorMark): string {
  switch (mark.type) {
    case 'bold':
      return `<${mark.attrs?.tag ?? 'strong'}>`;
    case 'italic':
      return `<${mark.attrs?.tag ?? 'em'}>`;
    case 'link':
      return `<a href="${escapeAttr(mark.attrs.href)}">`;
    case 'code':
      return '<code>';
    case 'subscript':
      return '<sub>';
    case 'superscript':
      return '<sup>';
  }
}

const closeTag = (mark: EditorMark): string => `</${/^<([a-z]+)/.exec(openTag(mark))?.[1]}>`;

/**
 * Inline nodes for a piece of inline HTML (sanitized first). Marks are listed
 * in schema order, as the browser editor lists them.
 *
 * @example
 *   inlineHtmlToNodes('A <b>bold</b> move');
 *   // [{ type: 'text', text: 'A ' },
 *   //  { type: 'text', text: 'bold', marks: [{ type: 'bold', attrs: { tag: 'b' } }] },
 *   //  { type: 'text', text: ' move' }]
 */
export function inlineHtmlToNodes(html: string): InlineNode[] {
  const open: { tag: string; mark: EditorMark }[] = [];
  const nodes: InlineNode[] = [];
  const push = (node: InlineNode): void => {
    const marks = uniqueMarks(open.map((o) => o.mark));
    const withMarks = marks.length > 0 ? { ...node, marks } : node;
    const last = nodes.at(-1);
    if (withMarks.type === 'text' && last?.type === 'text' && sameMarks(last.marks, withMarks.marks)) {
      last.text += withMarks.text;
    } else nodes.push(withMarks);
  };
  for (const m of sanitizeInline(html).matchAll(TOKEN_RE)) {
    const [, closing, tag = '', attrs = '', text] = m;
    if (text !== undefined) push({ type: 'text', text: decodeEntities(text) });
    else if (tag === 'br') push({ type: 'hardBreak' });
    else if (closing) {
      const at = open.findLastIndex((o) => o.tag === tag);
      if (at >= 0) open.splice(at, 1);
    } else if (tag === 'a') {
      const href = HREF_RE.exec(attrs)?.[1];
      if (href !== undefined) open.push({ tag, mark: { type: 'link', attrs: { href: decodeEntities(href) } } });
    } else {
      const mark = TAG_MARKS[tag];
      if (mark) open.push({ tag, mark });
    }
  }
  return nodes;
}

/**
 * Inline HTML for inline nodes, sanitized. A mark stays open across nodes
 * that share it (`<a href="/x">one <b>two</b></a>`); of marks opening
 * together, the one that lasts longer goes outside, then schema order
 * decides; empty text nodes are skipped.
 *
 * @example
 *   nodesToInlineHtml([{ type: 'text', text: 'AT&T', marks: [{ type: 'italic' }] }, { type: 'hardBreak' }]);
 *   // '<em>AT&amp;T</em><br />'
 */
export function nodesToInlineHtml(nodes: readonly InlineNode[]): string {
  const items = nodes
    .filter((n) => n.type !== 'text' || n.text !== '')
    .map((n) => ({ node: n, marks: uniqueMarks(n.marks ?? []) }));
  // How many nodes from `i` on carry `mark`: the mark that lasts longer opens first, so it can stay open.
  const reach = (mark: EditorMark, i: number): number => {
    let j = i;
    while (j < items.length && items[j]?.marks.some((m) => sameMark(m, mark))) j++;
    return j - i;
  };
  const stack: EditorMark[] = [];
  let out = '';
  items.forEach(({ node, marks }, i) => {
    let keep = 0;
    while (keep < stack.length && marks.some((m) => sameMark(m, stack[keep] as EditorMark))) keep++;
    while (stack.length > keep) out += closeTag(stack.pop() as EditorMark);
    const opening = marks.filter((mark) => !stack.some((m) => sameMark(m, mark)));
    opening.sort((a, b) => reach(b, i) - reach(a, i) || rank(a) - rank(b));
    for (const mark of opening) {
      stack.push(mark);
      out += openTag(mark);
    }
    out += node.type === 'text' ? escapeText(node.text) : '<br />';
  });
  while (stack.length > 0) out += closeTag(stack.pop() as EditorMark);
  return sanitizeInline(out);
}
