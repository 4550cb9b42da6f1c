/**
 * The editor's toolbar: one button per block type and inline style, each
 * with a visible name, `aria-pressed` where it toggles, and its keyboard
 * shortcut in `aria-keyshortcuts`. It follows the ARIA toolbar pattern:
 * one tab stop, arrow keys move between buttons.
 */
import type { Editor } from '@tiptap/core';
import { h } from './dom.js';
import { embedUrlFromInput, hrefFromInput, providerOf } from './link-input.js';
import { uploadImage } from './upload.js';

export interface ToolbarContext {
  editor: Editor;
  /** `data-upload-url`: without it there is no image button. */
  uploadUrl: string | undefined;
  /** Shows a message to the editor (a refused link, an upload's progress or failure). */
  say(message: string): void;
}

interface Tool {
  label: string;
  /** `Mod` stands for Control, or Command on a Mac. */
  keys?: string;
  active?: (editor: Editor) => boolean;
  run: (ctx: ToolbarContext) => void;
}

const MAC = /Mac|iPhone|iPad/.test(navigator.userAgent);
const keyName = (keys: string): string => keys.replace('Mod', MAC ? 'Meta' : 'Control');

function editLink({ editor, say }: ToolbarContext): void {
  const previous = (editor.getAttributes('link')['href'] as string | undefined) ?? '';
  const typed = window.prompt(
    'Link address: https://…, mailto:… or a path on this site such as /world. Leave it empty to remove the link.',
    previous,
  );
  if (typed === null) return;
  if (typed.trim() === '') {
    editor.chain().focus().extendMarkRange('link').unsetMark('link').run();
    return;
  }
  const href = hrefFromInput(typed);
  if (!href) {
    say('That link was not added: use an address starting with https://, http:// or mailto:, or a path on this site.');
    return;
  }
  if (editor.state.selection.empty && !editor.isActive('link')) {
    const text = { type: 'text', text: typed.trim(), marks: [{ type: 'link', attrs: { href } }] };
    editor.chain().focus().insertContent(text).run();
  } else editor.chain().focus().extendMarkRange('link').setMark('link', { href }).run();
}

function addEmbed({ editor, say }: ToolbarContext): void {
  const typed = window.prompt('Address of the video, post or map to embed (https://…)');
  if (typed === null || typed.trim() === '') return;
  const url = embedUrlFromInput(typed);
  if (!url) {
    say('That embed was not added: its address must start with https:// or http://.');
    return;
  }
  const title = window.prompt('Title of the embed (shown to readers; optional)')?.trim() || null;
  editor
    .chain()
    .focus()
    .insertContent({ type: 'embed', attrs: { url, title, provider: providerOf(url) } })
    .run();
}

async function addImage(ctx: ToolbarContext, file: File): Promise<void> {
  const { editor, uploadUrl, say } = ctx;
  if (!uploadUrl) return;
  say(`Uploading ${file.name}…`);
  try {
    const { src, width, height } = await uploadImage(uploadUrl, file);
    const attrs = { src, alt: '', caption: null, credit: null, width, height };
    // Not `.focus()`: Tiptap focuses the editor a frame later, which would take the focus from the alt field.
    editor.chain().insertContent({ type: 'image', attrs }).run();
    say(`${file.name} added. Describe it in its alt text field.`);
    const images = editor.view.dom.querySelectorAll<HTMLElement>('figure.editor-image');
    const added = Array.from(images).find((fig) => fig.querySelector('img')?.getAttribute('src') === src);
    added?.querySelector<HTMLInputElement>('[data-field="alt"]')?.focus();
  } catch (err) {
    say(err instanceof Error ? err.message : 'The image could not be uploaded.');
  }
}

const TOOLS: Tool[] = [
  {
    label: 'Bold',
    keys: 'Mod+B',
    active: (e) => e.isActive('bold'),
    run: ({ editor }) => editor.chain().focus().toggleMark('bold').run(),
  },
  {
    label: 'Italic',
    keys: 'Mod+I',
    active: (e) => e.isActive('italic'),
    run: ({ editor }) => editor.chain().focus().toggleMark('italic').run(),
  },
  { label: 'Link', keys: 'Mod+K', active: (e) => e.isActive('link'), run: editLink },
  {
    label: 'Crosshead',
    keys: 'Mod+Alt+2',
    active: (e) => e.isActive('heading'),
    run: ({ editor }) => editor.chain().focus().toggleNode('heading', 'paragraph').run(),
  },
  {
    label: 'Quote',
    keys: 'Mod+Shift+B',
    active: (e) => e.isActive('quote'),
    run: ({ editor }) => editor.chain().focus().toggleNode('quote', 'paragraph').run(),
  },
  {
    label: 'Bulleted list',
    keys: 'Mod+Shift+8',
    active: (e) => e.isActive('bulletList'),
    run: ({ editor }) => editor.chain().focus().toggleBulletList().run(),
  },
  {
    label: 'Numbered list',
    keys: 'Mod+Shift+7',
    active: (e) => e.isActive('orderedList'),
    run: ({ editor }) => editor.chain().focus().toggleOrderedList().run(),
  },
  { label: 'Image', run: () => {} /* opens the file picker: see buildToolbar */ },
  { label: 'Embed', run: addEmbed },
  { label: 'Undo', keys: 'Mod+Z', run: ({ editor }) => editor.chain().focus().undo().run() },
  { label: 'Redo', keys: 'Mod+Shift+Z', run: ({ editor }) => editor.chain().focus().redo().run() },
];

/** Arrow keys, Home and End move between the toolbar's buttons; Tab leaves it. */
function roving(toolbar: HTMLElement, buttons: HTMLButtonElement[]): void {
  for (const [k, b] of buttons.entries()) b.setAttribute('tabindex', k === 0 ? '0' : '-1');
  toolbar.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const last = buttons.length - 1;
    const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1, Home: 0, End: last }[
      event.key
    ];
    if (to === undefined) return;
    event.preventDefault();
    buttons[at]?.setAttribute('tabindex', '-1');
    buttons[to]?.setAttribute('tabindex', '0');
    buttons[to]?.focus();
  });
}

/**
 * Builds the toolbar for an editor (and the hidden file input behind the Image button).
 *
 * @example
 *   root.prepend(buildToolbar({ editor, uploadUrl: root.dataset.uploadUrl, say }));
 */
export function buildToolbar(ctx: ToolbarContext): HTMLElement {
  const { editor } = ctx;
  const toolbar = h('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': 'Body formatting' });
  const fileInput = h('input', { type: 'file', accept: 'image/*', hidden: '', 'data-editor-file': '' });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void addImage(ctx, file);
  });
  const toggles: [HTMLButtonElement, Tool][] = [];
  const buttons: HTMLButtonElement[] = [];
  for (const tool of TOOLS) {
    if (tool.label === 'Image' && !ctx.uploadUrl) continue;
    const keys = tool.keys ? keyName(tool.keys) : undefined;
    const button = h(
      'button',
      {
        type: 'button',
        class: `editor-tool editor-tool-${tool.label.toLowerCase().replace(/\s+/g, '-')}`,
        'aria-keyshortcuts': keys,
        title: keys ? `${tool.label} (${keys})` : undefined,
        'aria-pressed': tool.active ? 'false' : undefined,
      },
      tool.label,
    );
    // A click leaves the focus (and the selection) in the text, so typing goes on where it was.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => (tool.label === 'Image' ? fileInput.click() : tool.run(ctx)));
    if (tool.active) toggles.push([button, tool]);
    buttons.push(button);
    toolbar.append(button);
  }
  toolbar.append(fileInput);
  roving(toolbar, buttons);
  const refresh = () => {
    for (const [button, tool] of toggles) button.setAttribute('aria-pressed', String(tool.active?.(editor) ?? false));
  };
  editor.on('transaction', refresh);
  refresh();
  return toolbar;
}

/**
 * The toolbar's shortcut for links (Tiptap's Link has none), for an extension's `addKeyboardShortcuts`.
 *
 * @example
 *   Extension.create({ name: 'shortcuts', addKeyboardShortcuts: () => linkShortcut(() => context) });
 */
export const linkShortcut = (ctx: () => ToolbarContext) => ({
  'Mod-k': () => {
    editLink(ctx());
    return true;
  },
});
