/**
 * The article body editor (Tiptap/ProseMirror), bundled by esbuild into
 * `dist/newsroom/assets/editor.js` (see scripts/build-client.mjs). It mounts
 * on `[data-editor]` inside the article form:
 *
 * - reads the document from `<script type="application/json" id="editor-doc">`
 *   (or, failing that, the plain-text `<textarea name="body_text">`);
 * - hides and disables that textarea (the no-JavaScript body field) and
 *   keeps `<input type="hidden" name="body_doc">` holding the document's
 *   JSON, so a normal form POST carries the body;
 * - adds the toolbar, cleans pastes from Word and Google Docs, and starts
 *   autosave (local copy and server copy).
 *
 * Nothing is injected that the CSP refuses: Tiptap's own `<style>` is off
 * (its rules are in editor.css) and no `style` attribute is set.
 */
import { Editor, Extension, type JSONContent } from '@tiptap/core';
import Placeholder from '@tiptap/extension-placeholder';
import StarterKit from '@tiptap/starter-kit';
import { isAllowedHref } from '../editor/urls.js';
import { startAutosave } from './autosave.js';
import { h } from './dom.js';
import { mountLeadUpload } from './lead-upload.js';
import { Bold, Code, Italic, Subscript, Superscript } from './marks.js';
import { Crosshead, Embed, Image, ListItem, Quote } from './nodes.js';
import { cleanPastedHtml } from './paste.js';
import { buildToolbar, linkShortcut, type ToolbarContext } from './toolbar.js';

function extensions(toolbar: () => ToolbarContext) {
  return [
    StarterKit.configure({
      // Replaced by our own, shaped like Dateline's blocks…
      bold: false,
      italic: false,
      code: false,
      heading: false,
      listItem: false,
      // …or with no block to become.
      blockquote: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      link: {
        openOnClick: false,
        // Autolinking would make the link mark inclusive: the full stop typed after a link would join it.
        autolink: false,
        defaultProtocol: 'https',
        HTMLAttributes: { target: null, rel: null, class: null },
        isAllowedUri: (url) => isAllowedHref(url),
      },
    }),
    Bold,
    Italic,
    Code,
    Subscript,
    Superscript,
    Crosshead,
    Quote,
    ListItem,
    Image,
    Embed,
    Placeholder.configure({
      placeholder: ({ node }) => (node.type.name === 'heading' ? 'Crosshead' : 'Write the story…'),
    }),
    Extension.create({ name: 'datelineShortcuts', addKeyboardShortcuts: () => linkShortcut(toolbar) }),
  ];
}

/** Plain text (blank lines between paragraphs) as a document: the fallback when there is no editor-doc. */
function textToDoc(text: string): JSONContent {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    type: 'doc',
    content: paragraphs.length
      ? paragraphs.map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p.replace(/\s*\n\s*/g, ' ') }] }))
      : [{ type: 'paragraph' }],
  };
}

function initialDoc(textarea: HTMLTextAreaElement | null): JSONContent | undefined {
  const script = document.getElementById('editor-doc');
  if (!script?.textContent?.trim()) return undefined;
  try {
    return JSON.parse(script.textContent) as JSONContent;
  } catch {
    return textarea ? textToDoc(textarea.value) : undefined;
  }
}

function hiddenInput(form: HTMLFormElement): HTMLInputElement {
  const found = form.querySelector<HTMLInputElement>('input[name="body_doc"]');
  if (found) return found;
  const input = h('input', { type: 'hidden', name: 'body_doc' });
  form.append(input);
  return input;
}

/**
 * Mounts the editor on one `[data-editor]` element; returns the Tiptap editor.
 *
 * @example
 *   mountEditor(document.querySelector('[data-editor]'));
 */
export function mountEditor(root: HTMLElement): Editor | undefined {
  const form = root.closest('form');
  if (!form) return undefined;
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[name="body_text"]');
  const label = textarea?.labels?.[0];
  if (label) label.id ||= 'editor-body-label';
  const message = h('p', { class: 'editor-message', role: 'alert', 'data-editor-message': '' });
  const status =
    form.querySelector<HTMLElement>('[data-autosave-status]') ??
    h('p', { class: 'editor-status', role: 'status', 'data-autosave-status': '' });
  const banners = h('div', { class: 'editor-banners' });
  const surface = h('div', { class: 'editor-surface' });
  const say = (text: string) => {
    message.textContent = text;
  };
  let toolbarContext: ToolbarContext | undefined;
  const editor = new Editor({
    element: surface,
    extensions: extensions(() => toolbarContext as ToolbarContext),
    injectCSS: false,
    editorProps: {
      attributes: {
        class: 'editor-content',
        role: 'textbox',
        'aria-multiline': 'true',
        ...(label ? { 'aria-labelledby': label.id } : { 'aria-label': 'Article body' }),
      },
      transformPastedHTML: cleanPastedHtml,
    },
  });
  const doc = initialDoc(textarea) ?? textToDoc(textarea?.value ?? '');
  try {
    editor.commands.setContent(doc, { emitUpdate: false, errorOnInvalidContent: true });
  } catch {
    editor.commands.setContent(textToDoc(textarea?.value ?? ''), { emitUpdate: false });
    say('The body could not be opened in the editor, so it is shown as plain text. Check it before saving.');
  }
  toolbarContext = { editor, uploadUrl: root.dataset['uploadUrl'] ?? form.dataset['uploadUrl'], say };

  // The plain-text field is the body without JavaScript; with the editor, it is neither shown nor sent.
  if (textarea) {
    textarea.hidden = true;
    textarea.disabled = true;
  }
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-editor-fallback]'))) el.hidden = true;
  label?.addEventListener('click', () => editor.commands.focus());
  root.append(banners, buildToolbar(toolbarContext), message, surface);
  if (!status.isConnected) root.append(status);

  const body = hiddenInput(form);
  const write = () => {
    body.value = JSON.stringify(editor.getJSON());
  };
  write();
  const autosave = startAutosave({
    form,
    getDoc: () => editor.getJSON(),
    setDoc: (restored) => {
      editor.commands.setContent(restored as JSONContent, { emitUpdate: false });
      write();
    },
    status,
    banners,
  });
  editor.on('update', () => {
    write();
    autosave.changed();
  });
  const fieldChanged = (event: Event) => {
    if (!surface.contains(event.target as Node)) autosave.changed();
  };
  form.addEventListener('input', fieldChanged);
  form.addEventListener('change', fieldChanged);
  form.addEventListener('submit', write, { capture: true });
  root.classList.add('editor-ready');
  return editor;
}

const root = document.querySelector<HTMLElement>('[data-editor]');
if (root) mountEditor(root);
const lead = document.querySelector<HTMLElement>('[data-lead-upload]');
if (lead) mountLeadUpload(lead);
