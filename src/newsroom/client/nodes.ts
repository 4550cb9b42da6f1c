/**
 * The editor's own block nodes, shaped like Dateline's blocks (see
 * src/newsroom/editor/doc-schema.ts, which checks what they produce):
 * a crosshead (`heading`, plain text), a quote (plain text and an
 * attribution), a list item holding one paragraph (the block model has no
 * nested lists), an image and an embed (attributes only, edited in fields).
 */
import { type Attribute, Node, textblockTypeInputRule } from '@tiptap/core';
import { isAllowedEmbedUrl, isAllowedImageSrc } from '../editor/urls.js';
import { embedView, imageView, quoteView } from './node-views.js';

/** Crosshead: an `<h2>` of plain text. Any pasted heading level becomes one. Mod-Alt-2, or `## `. */
export const Crosshead = Node.create({
  name: 'heading',
  group: 'block',
  content: 'inline*',
  marks: '',
  defining: true,
  addAttributes: () => ({ level: { default: 2, parseHTML: () => 2, rendered: false } }),
  parseHTML: () => [1, 2, 3, 4, 5, 6].map((level) => ({ tag: `h${level}` })),
  renderHTML: () => ['h2', 0],
  addKeyboardShortcuts() {
    return { 'Mod-Alt-2': () => this.editor.commands.toggleNode(this.name, 'paragraph') };
  },
  addInputRules() {
    return [textblockTypeInputRule({ find: /^##\s$/, type: this.type })];
  },
});

/** Quote: plain text (Shift-Enter for a new line) and an attribution field. Mod-Shift-B. */
export const Quote = Node.create({
  name: 'quote',
  group: 'block',
  content: 'inline*',
  marks: '',
  defining: true,
  addAttributes: () => ({
    attribution: {
      default: null,
      // Splitting a quote in two gives the second half no attribution.
      keepOnSplit: false,
      parseHTML: (el) => el.querySelector('figcaption')?.textContent?.replace(/^[—–-]\s*/, '') || null,
      rendered: false,
    },
  }),
  parseHTML: () => [{ tag: 'figure.quote', contentElement: 'blockquote' }, { tag: 'blockquote' }],
  renderHTML: ({ node }) => {
    const attribution = node.attrs['attribution'] as string | null;
    return [
      'figure',
      { class: 'quote' },
      ['blockquote', 0],
      ...(attribution ? [['figcaption', `— ${attribution}`]] : []),
    ];
  },
  addNodeView: () => quoteView,
  addKeyboardShortcuts() {
    return { 'Mod-Shift-b': () => this.editor.commands.toggleNode(this.name, 'paragraph') };
  },
});

/** A list item: one paragraph. Enter starts the next item, Shift-Tab leaves the list. */
export const ListItem = Node.create({
  name: 'listItem',
  content: 'paragraph',
  defining: true,
  parseHTML: () => [{ tag: 'li' }],
  renderHTML: () => ['li', 0],
  addKeyboardShortcuts() {
    return {
      Enter: () => this.editor.commands.splitListItem(this.name),
      'Shift-Tab': () => this.editor.commands.liftListItem(this.name),
    };
  },
});

function dataAttrs(name: string, check: (attrs: Record<string, unknown>) => boolean) {
  return {
    tag: `figure[data-${name}]`,
    getAttrs: (el: HTMLElement) => {
      try {
        const attrs = JSON.parse(el.getAttribute(`data-${name}`) ?? '') as Record<string, unknown>;
        return typeof attrs === 'object' && attrs !== null && check(attrs) ? attrs : false;
      } catch {
        return false;
      }
    },
  };
}

const plain = (fallback: unknown): Attribute => ({ default: fallback, rendered: false });

/**
 * Image: an uploaded file with alt text, caption and credit. Its attributes
 * travel as JSON in `data-image` when copied inside the editor; images
 * pasted from elsewhere are dropped (they must be uploaded).
 */
export const Image = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes: () => ({
    src: plain(''),
    alt: plain(''),
    caption: plain(null),
    credit: plain(null),
    width: plain(null),
    height: plain(null),
  }),
  parseHTML: () => [dataAttrs('image', (a) => typeof a['src'] === 'string' && isAllowedImageSrc(a['src']))],
  renderHTML: ({ node }) => [
    'figure',
    { 'data-image': JSON.stringify(node.attrs) },
    ['img', { src: node.attrs['src'], alt: node.attrs['alt'] }],
  ],
  addNodeView: () => imageView,
});

/** Embed: a link to a video, post or map, with a title and the provider's name. */
export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes: () => ({ url: plain(''), title: plain(null), provider: plain(null) }),
  parseHTML: () => [dataAttrs('embed', (a) => typeof a['url'] === 'string' && isAllowedEmbedUrl(a['url']))],
  renderHTML: ({ node }) => [
    'figure',
    { 'data-embed': JSON.stringify(node.attrs) },
    ['a', { href: node.attrs['url'] }, (node.attrs['title'] as string | null) || (node.attrs['url'] as string)],
  ],
  addNodeView: () => embedView,
});
