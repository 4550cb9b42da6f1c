/**
 * An article's history: its revisions (who, when, in which state), a form to
 * compare two of them, and the comparison itself — words removed struck
 * through (`<del>`), words added underlined (`<ins>`), field by field.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { actionButton, hidden, select } from './fields.js';

export interface RevisionRowVM {
  id: number;
  version: number;
  saved: { iso: string; text: string };
  savedBy: string;
  stateLabel: string;
  headline: string;
}

export interface DiffVM {
  field: string;
  parts: { value: string; added?: boolean; removed?: boolean }[];
}

export interface HistoryVM {
  articleId: number;
  headline: string;
  version: number;
  rows: RevisionRowVM[];
  from?: number;
  to?: number | 'current';
  diff?: DiffVM[];
  canRestore: boolean;
  csrf: string;
}

function renderDiff(diff: DiffVM[]): SafeHtml {
  if (diff.length === 0) return html`<p class="empty">No difference.</p>`;
  return html`<dl class="diff">
${diff.map(
  (d) => html`<dt>${d.field}</dt>
<dd>${d.parts.map((p) => (p.added ? html`<ins>${p.value}</ins>` : p.removed ? html`<del>${p.value}</del>` : p.value))}</dd>
`,
)}</dl>`;
}

export function renderHistory(vm: HistoryVM): SafeHtml {
  const base = `/admin/articles/${vm.articleId}`;
  const options = vm.rows.map((r) => ({
    value: String(r.id),
    label: `Version ${r.version} · ${r.saved.text} · ${r.savedBy}`,
  }));
  const rows = vm.rows.map(
    (r) => html`<tr>
<th scope="row">${r.version}</th>
<td><time datetime="${r.saved.iso}">${r.saved.text}</time></td>
<td>${r.savedBy}</td>
<td>${r.stateLabel}</td>
<td>${r.headline}</td>
<td>${vm.canRestore ? actionButton(`${base}/restore/${r.id}`, 'Restore this text', vm.csrf, hidden('version', vm.version)) : ''}</td>
</tr>`,
  );
  return html`<div class="page-head"><h1>History</h1><p><a href="${base}">Back to “${vm.headline}”</a></p></div>
<form class="filters" method="get" action="${base}/history">
${select({ name: 'from', label: 'Compare', value: vm.from === undefined ? '' : String(vm.from), options })}
${select({ name: 'to', label: 'with', value: vm.to === undefined ? 'current' : String(vm.to), options: [{ value: 'current', label: 'the article as it is now' }, ...options] })}
<button type="submit">Compare</button>
</form>
${vm.diff ? html`<section aria-labelledby="diff-heading"><h2 id="diff-heading">What changed</h2>${renderDiff(vm.diff)}</section>` : ''}
<table class="history">
<caption>Revisions, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">State</th><th scope="col">Headline</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}
