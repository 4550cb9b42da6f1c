/**
 * A tiny element builder for the editor's own interface. It sets attributes
 * one by one and never a `style` attribute: the site's CSP (`style-src
 * 'self'`) refuses inline styles, so all looks come from editor.css.
 *
 * @example
 *   h('button', { type: 'button', 'aria-pressed': 'false' }, 'Bold');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/**
 * A labelled text field (the label wraps the input, so no id is needed).
 *
 * @example
 *   const { label, input } = textField('Caption', 'Low tide', { 'data-field': 'caption' });
 */
export function textField(
  label: string,
  value: string,
  attrs: Record<string, string | undefined> = {},
): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', { type: 'text', ...attrs });
  input.value = value;
  return { label: h('label', { class: 'editor-field' }, h('span', {}, label), input), input };
}

/**
 * The CSRF token the page carries in `<meta name="csrf-token">`, or ''.
 *
 * @example
 *   fetch(url, { method: 'PUT', headers: { 'x-csrf-token': csrfToken() } });
 */
export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

/**
 * Hours and minutes in the browser's own time zone.
 *
 * @example
 *   clockTime(new Date()); // '14:03'
 */
export function clockTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}
