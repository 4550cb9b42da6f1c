/**
 * Form fields for the newsroom: a label for every control, hints and errors
 * tied to it with `aria-describedby`, and an error summary at the top of a
 * form that links to each field. Values are escaped like everything else.
 *
 * @example
 *   textField({ name: 'headline', label: 'Headline', value: '', required: true, error: 'Give the article a headline' });
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { attr } from '../../web/views/components.js';

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  maxlength?: number;
  type?: 'text' | 'email' | 'password' | 'url' | 'datetime-local' | 'search' | 'number';
  autocomplete?: string;
  list?: string;
  /** The control's id, where a page has more than one field of this name (a form per row). */
  id?: string;
}

const idOf = (name: string) => `f-${name.replace(/[^a-z0-9_-]/gi, '-')}`;
const idFor = (o: FieldOptions) => o.id ?? idOf(o.name);

function describedBy(o: FieldOptions): SafeHtml | '' {
  const ids = [o.hint ? `${idFor(o)}-hint` : '', o.error ? `${idFor(o)}-error` : ''].filter(Boolean);
  return ids.length ? attr('aria-describedby', ids.join(' ')) : '';
}

function notes(o: FieldOptions): SafeHtml {
  return html`${o.hint ? html`<p class="hint" id="${idFor(o)}-hint">${o.hint}</p>` : ''}${
    o.error ? html`<p class="field-error" id="${idFor(o)}-error">${o.error}</p>` : ''
  }`;
}

export function textField(o: FieldOptions): SafeHtml {
  const id = idFor(o);
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${o.label}${o.required ? html` <span class="required">(required)</span>` : ''}</label>
${notes(o)}<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? ' required' : ''}${attr('maxlength', o.maxlength)}${attr('autocomplete', o.autocomplete)}${attr('list', o.list)}${o.error ? attr('aria-invalid', 'true') : ''}${describedBy(o)}>
</div>`;
}

export function textArea(o: FieldOptions & { rows?: number }): SafeHtml {
  const id = idFor(o);
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${o.label}${o.required ? html` <span class="required">(required)</span>` : ''}</label>
${notes(o)}<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 3}"${o.required ? ' required' : ''}${attr('maxlength', o.maxlength)}${o.error ? attr('aria-invalid', 'true') : ''}${describedBy(o)}>${o.value ?? ''}</textarea>
</div>`;
}

export function select(o: FieldOptions & { options: { value: string; label: string }[]; empty?: string }): SafeHtml {
  const id = idFor(o);
  const options = [...(o.empty !== undefined ? [{ value: '', label: o.empty }] : []), ...o.options].map(
    (opt) =>
      html`<option value="${opt.value}"${opt.value === (o.value ?? '') ? ' selected' : ''}>${opt.label}</option>`,
  );
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${o.label}</label>
${notes(o)}<select id="${id}" name="${o.name}"${o.error ? attr('aria-invalid', 'true') : ''}${describedBy(o)}>${options}</select>
</div>`;
}

export const hidden = (name: string, value: string | number): SafeHtml =>
  html`<input type="hidden" name="${name}" value="${String(value)}">`;

/** The CSRF token every state-changing form carries. */
export const csrfField = (token: string): SafeHtml => hidden('_csrf', token);

/** "There is a problem": each error links to its field. */
export function errorSummary(errors: Record<string, string>): SafeHtml | '' {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>There is a problem</h2>
<ul>${entries.map(([name, text]) => html`<li><a href="#${idOf(name)}">${text}</a></li>`)}</ul>
</div>`;
}

/** A one-button form: an action on an article (publish, submit…). */
export function actionButton(action: string, label: string, csrf: string, extra: SafeHtml | '' = ''): SafeHtml {
  return html`<form class="action" method="post" action="${action}">${csrfField(csrf)}${extra}<button type="submit">${label}</button></form>`;
}
