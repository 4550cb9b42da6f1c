/**
 * The article form's other fields (headline, standfirst, section, tags…),
 * read for the local copy and the autosave request and written back when a
 * local copy is restored. The body travels separately (`body_doc`), and
 * the version and CSRF token are the page's, never a copy's.
 */
import type { Fields } from './autosave-rules.js';

const NOT_FIELDS = new Set(['version', 'body_doc', 'body_text']);
const isField = (name: string): boolean => name !== '' && !NOT_FIELDS.has(name) && !/csrf/i.test(name);

/**
 * The form's fields as a form POST would send them (disabled fields and
 * files left out).
 *
 * @example
 *   readFields(form); // { headline: 'Ferry runs aground', tags: ['Ferries', 'Weather'] }
 */
export function readFields(form: HTMLFormElement): Fields {
  const fields: Fields = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string' || !isField(name)) continue;
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/**
 * Puts a local copy's fields back into the form (fields it does not name are left as they are).
 *
 * @example
 *   writeFields(form, { headline: 'Ferry aground', tags: ['Ferries', 'Weather'] });
 */
export function writeFields(form: HTMLFormElement, fields: Fields): void {
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      continue;
    }
    if (!isField(el.name) || !(el.name in fields) || el.disabled || (el as HTMLInputElement).type === 'file') continue;
    const raw = fields[el.name];
    const values = Array.isArray(raw) ? raw : [raw ?? ''];
    if (el instanceof HTMLSelectElement) {
      for (const option of Array.from(el.options)) option.selected = values.includes(option.value);
    } else if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      el.checked = values.includes(el.value);
    } else {
      // Repeated text inputs with one name take the values in order.
      const same = Array.from(form.elements).filter((e) => (e as HTMLInputElement).name === el.name);
      el.value = values[same.indexOf(el)] ?? '';
    }
  }
}

/**
 * The `version` field's value as a number, or null (a new article).
 *
 * @example
 *   readVersion(form); // 7
 */
export function readVersion(form: HTMLFormElement): number | null {
  const input = form.elements.namedItem('version');
  const n = input instanceof HTMLInputElement ? Number.parseInt(input.value, 10) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Sets the `version` field (after an autosave, or to a restored copy's base version).
 *
 * @example
 *   writeVersion(form, 8);
 */
export function writeVersion(form: HTMLFormElement, version: number): void {
  const input = form.elements.namedItem('version');
  if (input instanceof HTMLInputElement) input.value = String(version);
}
