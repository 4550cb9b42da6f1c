/**
 * The editor's inline marks, matching the tags `sanitizeInline` keeps. Bold
 * and italic remember whether they were `<b>`/`<strong>` and `<i>`/`<em>`,
 * so a stored body comes back with the same tags; code, subscript and
 * superscript have no button but survive a round trip (and keep their
 * usual shortcuts). Our own code mark, unlike Tiptap's, may share text with
 * other marks, as the stored HTML can.
 */
import { Mark } from '@tiptap/core';

function tagAttribute(tags: [string, string]) {
  const [short, long] = tags;
  return {
    tag: {
      default: long,
      // A `<span style="font-weight:700">` (Google Docs) counts as the long form.
      parseHTML: (el: HTMLElement) => (el.tagName.toLowerCase() === short ? short : long),
      rendered: false,
    },
  };
}

/** Bold: `<strong>` by default, `<b>` kept as `<b>`. Mod-B. */
export const Bold = Mark.create({
  name: 'bold',
  addAttributes: () => tagAttribute(['b', 'strong']),
  parseHTML: () => [
    { tag: 'strong' },
    // Google Docs wraps a whole paste in `<b style="font-weight:normal">`, which is not bold at all.
    { tag: 'b', getAttrs: (el) => (el as HTMLElement).style.fontWeight !== 'normal' && null },
    { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value as string) && null },
  ],
  renderHTML: ({ mark, HTMLAttributes }) => [mark.attrs['tag'] as string, HTMLAttributes, 0],
  addKeyboardShortcuts() {
    return {
      'Mod-b': () => this.editor.commands.toggleMark(this.name),
      'Mod-B': () => this.editor.commands.toggleMark(this.name),
    };
  },
});

/** Italic: `<em>` by default, `<i>` kept as `<i>`. Mod-I. */
export const Italic = Mark.create({
  name: 'italic',
  addAttributes: () => tagAttribute(['i', 'em']),
  parseHTML: () => [
    { tag: 'em' },
    { tag: 'i', getAttrs: (el) => (el as HTMLElement).style.fontStyle !== 'normal' && null },
    { style: 'font-style=italic' },
  ],
  renderHTML: ({ mark, HTMLAttributes }) => [mark.attrs['tag'] as string, HTMLAttributes, 0],
  addKeyboardShortcuts() {
    return {
      'Mod-i': () => this.editor.commands.toggleMark(this.name),
      'Mod-I': () => this.editor.commands.toggleMark(this.name),
    };
  },
});

function simpleMark(name: string, tag: string, shortcut: string) {
  return Mark.create({
    name,
    parseHTML: () => [{ tag }],
    renderHTML: ({ HTMLAttributes }) => [tag, HTMLAttributes, 0],
    addKeyboardShortcuts() {
      return { [shortcut]: () => this.editor.commands.toggleMark(this.name) };
    },
  });
}

export const Code = simpleMark('code', 'code', 'Mod-e');
export const Subscript = simpleMark('subscript', 'sub', 'Mod-,');
export const Superscript = simpleMark('superscript', 'sup', 'Mod-.');
