/**
 * The feed sources page (editors and admins): every source with its status
 * (last success, last error with its reason, items seen/created/updated,
 * next poll), a button to remove each, and the form that adds one.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { actionButton, csrfField, errorSummary, select, textField } from './fields.js';

type Time = { iso: string; text: string };

export interface SourceRowVM {
  id: number;
  name: string;
  url: string;
  format: string;
  section: string;
  mode: string;
  interval: string;
  /** 'ok', 'failing' or 'new'. */
  health: 'ok' | 'failing' | 'new';
  lastError?: string;
  failures: number;
  lastSuccess?: Time;
  nextPoll: Time;
  seen: number;
  created: number;
  updated: number;
  removeAction: string;
}

export interface SourceFormVM {
  url: string;
  section: string;
  mode: string;
  interval: string;
  name: string;
  licence: string;
  attribution: string;
  errors: Record<string, string>;
}

export interface SourcesVM {
  csrf: string;
  rows: SourceRowVM[];
  sections: string[];
  form: SourceFormVM;
}

const time = (t: Time | undefined) => (t ? html`<time datetime="${t.iso}">${t.text}</time>` : '—');

function row(r: SourceRowVM, csrf: string): SafeHtml {
  const health =
    r.health === 'failing'
      ? html`<strong>Failing</strong> (${r.failures} in a row): ${r.lastError ?? ''}`
      : r.health === 'ok'
        ? 'OK'
        : 'Not polled yet';
  return html`<tr><td>${r.name}<br><a href="${r.url}" rel="noreferrer">${r.url}</a></td><td>${r.format}</td><td>${r.section}</td><td>${r.mode}</td><td>${r.interval}</td><td>${health}</td><td>${time(r.lastSuccess)}</td><td>${time(r.nextPoll)}</td><td>${r.seen} / ${r.created} / ${r.updated}</td><td>${actionButton(r.removeAction, `Remove ${r.name}`, csrf)}</td></tr>`;
}

export function renderSources(vm: SourcesVM): SafeHtml {
  const { form } = vm;
  return html`<h1>Feed sources</h1>
<p>Dateline polls each feed (RSS, Atom, JSON Feed or IPTC ninjs) and turns its items into articles: drafts for review, or published at once. An article someone here has edited is never overwritten by the feed; the feed’s newer version is kept in its history.</p>
${
  vm.rows.length
    ? html`<table><caption class="visually-hidden">Feed sources and their status</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Format</th><th scope="col">Section</th><th scope="col">Mode</th><th scope="col">Every</th><th scope="col">Status</th><th scope="col">Last success</th><th scope="col">Next poll</th><th scope="col">Items seen / created / updated</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
<tbody>${vm.rows.map((r) => row(r, vm.csrf))}</tbody></table>`
    : html`<p>No source yet.</p>`
}
<h2>Add a source</h2>
<form method="post" action="/admin/sources" class="narrow">${errorSummary(form.errors)}${csrfField(vm.csrf)}
${textField({ name: 'url', label: 'Feed address', value: form.url, error: form.errors.url, required: true, type: 'url', maxlength: 2000, hint: 'https://… the feed itself, not the site’s home page' })}
${textField({ name: 'section', label: 'Section', value: form.section, error: form.errors.section, required: true, maxlength: 100, list: 'source-sections' })}
<datalist id="source-sections">${vm.sections.map((s) => html`<option value="${s}"></option>`)}</datalist>
${select({
  name: 'mode',
  label: 'New items become',
  value: form.mode,
  error: form.errors.mode,
  options: [
    { value: 'draft', label: 'Drafts, for review' },
    { value: 'publish', label: 'Published articles' },
  ],
})}
${textField({ name: 'interval', label: 'Poll every', value: form.interval, error: form.errors.interval, maxlength: 10, hint: 'Such as 5m, 15m or 1h; at least 1 minute' })}
${textField({ name: 'name', label: 'Name', value: form.name, maxlength: 200, hint: 'Shown as the articles’ source; the feed’s host if left empty' })}
${textField({ name: 'licence', label: 'Licence', value: form.licence, maxlength: 100, hint: 'Such as CC BY 4.0, or the agreement’s name' })}
${textField({ name: 'attribution', label: 'Credit line', value: form.attribution, maxlength: 200, hint: 'Such as “Reuters” — shown instead of the name' })}
<button type="submit" class="primary">Add the source</button></form>`;
}
