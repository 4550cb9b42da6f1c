/**
 * How quotes, images and embeds look and are edited inside the editor: the
 * node's text (a quote's) stays in ProseMirror; its attributes (attribution,
 * alt text, caption, credit, title) are ordinary labelled fields that write
 * to the node on each keystroke, so undo, autosave and the hidden
 * `body_doc` field see them like any other change.
 */
import type { Editor, NodeViewRenderer } from '@tiptap/core';
import { h, textField } from './dom.js';

type GetPos = () => number | undefined;

function setAttr(editor: Editor, getPos: GetPos, name: string, value: string | null): void {
  const pos = getPos();
  if (typeof pos !== 'number') return;
  editor.view.dispatch(editor.state.tr.setNodeAttribute(pos, name, value));
}

/** Writes a field whenever it changes: `''` for a text that may be empty (alt), `null` for "not set". */
function bind(input: HTMLInputElement, editor: Editor, getPos: GetPos, name: string, emptyIs: '' | null): void {
  input.addEventListener('input', () => setAttr(editor, getPos, name, input.value === '' ? emptyIs : input.value));
}

/** Shows a changed attribute (undo, restore) without disturbing a field the user is typing in. */
function sync(input: HTMLInputElement, value: unknown): void {
  const text = typeof value === 'string' ? value : '';
  if (input.value !== text && document.activeElement !== input) input.value = text;
}

function removeButton(label: string, editor: Editor, getPos: GetPos): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'editor-remove' }, label);
  button.addEventListener('click', () => {
    const pos = getPos();
    const node = typeof pos === 'number' ? editor.state.doc.nodeAt(pos) : null;
    if (typeof pos === 'number' && node)
      editor
        .chain()
        .focus()
        .deleteRange({ from: pos, to: pos + node.nodeSize })
        .run();
  });
  return button;
}

/** A quote: the text in a `<blockquote>`, the attribution in a field under it. */
export const quoteView: NodeViewRenderer = ({ node, editor, getPos }) => {
  const text = h('p', { class: 'editor-quote-text' });
  const attribution = textField('Attribution', (node.attrs['attribution'] as string | null) ?? '', {
    'data-field': 'attribution',
  });
  const caption = h('figcaption', { contenteditable: 'false' }, attribution.label);
  const dom = h('figure', { class: 'editor-quote' }, h('blockquote', {}, text), caption);
  bind(attribution.input, editor, getPos, 'attribution', null);
  return {
    dom,
    contentDOM: text,
    update: (updated) => {
      if (updated.type !== node.type) return false;
      sync(attribution.input, updated.attrs['attribution']);
      return true;
    },
    stopEvent: (event) => caption.contains(event.target as Node),
    ignoreMutation: (mutation) => !text.contains(mutation.target),
  };
};

/** An image with its alt text, caption and credit fields, and a button to remove it. */
export const imageView: NodeViewRenderer = ({ node, editor, getPos }) => {
  const attrs = node.attrs as Record<string, string | number | null>;
  const img = h('img', { src: String(attrs['src']), alt: '' });
  const size = (el: HTMLImageElement, a: Record<string, unknown>) => {
    for (const dim of ['width', 'height'] as const) {
      if (typeof a[dim] === 'number') el.setAttribute(dim, String(a[dim]));
      else el.removeAttribute(dim);
    }
  };
  size(img, attrs);
  const alt = textField('Alt text (what the image shows)', String(attrs['alt'] ?? ''), { 'data-field': 'alt' });
  const caption = textField('Caption', String(attrs['caption'] ?? ''), { 'data-field': 'caption' });
  const credit = textField('Credit', String(attrs['credit'] ?? ''), { 'data-field': 'credit' });
  bind(alt.input, editor, getPos, 'alt', '');
  bind(caption.input, editor, getPos, 'caption', null);
  bind(credit.input, editor, getPos, 'credit', null);
  const fields = h(
    'div',
    // The figure can be dragged to move the image; its fields cannot, so a drag in them selects text.
    { class: 'editor-fields', draggable: 'false' },
    alt.label,
    caption.label,
    credit.label,
    removeButton('Remove image', editor, getPos),
  );
  const dom = h('figure', { class: 'editor-image', contenteditable: 'false' }, img, fields);
  return {
    dom,
    update: (updated) => {
      if (updated.type !== node.type) return false;
      const a = updated.attrs as Record<string, unknown>;
      if (img.getAttribute('src') !== a['src']) img.setAttribute('src', String(a['src']));
      size(img, a);
      sync(alt.input, a['alt']);
      sync(caption.input, a['caption']);
      sync(credit.input, a['credit']);
      return true;
    },
    stopEvent: (event) => fields.contains(event.target as Node),
    ignoreMutation: () => true,
    selectNode: () => dom.classList.add('is-selected'),
    deselectNode: () => dom.classList.remove('is-selected'),
  };
};

/** An embed: its URL shown as text (a link would leave the page), title and provider fields. */
export const embedView: NodeViewRenderer = ({ node, editor, getPos }) => {
  const attrs = node.attrs as Record<string, string | null>;
  const url = h('span', { class: 'editor-embed-url' }, String(attrs['url']));
  const title = textField('Title', attrs['title'] ?? '', { 'data-field': 'title' });
  const provider = textField('Provider', attrs['provider'] ?? '', { 'data-field': 'provider' });
  bind(title.input, editor, getPos, 'title', null);
  bind(provider.input, editor, getPos, 'provider', null);
  const fields = h(
    'div',
    { class: 'editor-fields', draggable: 'false' },
    title.label,
    provider.label,
    removeButton('Remove embed', editor, getPos),
  );
  const dom = h('figure', { class: 'editor-embed', contenteditable: 'false' }, h('p', {}, 'Embed: ', url), fields);
  return {
    dom,
    update: (updated) => {
      if (updated.type !== node.type) return false;
      url.textContent = String(updated.attrs['url']);
      sync(title.input, updated.attrs['title']);
      sync(provider.input, updated.attrs['provider']);
      return true;
    },
    stopEvent: (event) => fields.contains(event.target as Node),
    ignoreMutation: () => true,
    selectNode: () => dom.classList.add('is-selected'),
    deselectNode: () => dom.classList.remove('is-selected'),
  };
};
