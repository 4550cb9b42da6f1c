/**
 * The newsroom's live coverage pages: the list of coverages with the form
 * that starts one, and a coverage's desk: its status, the compact composer
 * (type, then Post: two actions) and each entry with its actions.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import type { Coverage, Entry } from '../../live/live.js';
import { entryText, livePath } from '../../live/live.js';
import { breakingEntryButton } from './breaking.view.js';
import { actionButton, csrfField, textField } from './fields.js';

export function coverageList(coverages: Coverage[], csrf: string, canManage: boolean): SafeHtml {
  const rows = coverages.map(
    (c) =>
      html`<li><a href="/admin/live/${c.id}">${c.headline}</a> <span class="hint">${c.status} · <a href="${livePath(c)}">reader page</a></span></li>`,
  );
  const create = canManage
    ? html`<h2>Start a live coverage</h2>
<form method="post" action="/admin/live" class="narrow">${csrfField(csrf)}
${textField({ name: 'headline', label: 'Headline', required: true, maxlength: 300 })}
${textField({ name: 'standfirst', label: 'Standfirst', maxlength: 1000 })}
${textField({ name: 'articleId', label: 'Story: an article’s number', type: 'number', hint: 'Optional: the article whose story this coverage follows' })}
<button type="submit" class="primary">Start</button></form>`
    : '';
  return html`<h1>Live coverage</h1>
<ul class="plain">${rows.length ? rows : html`<li>No live coverage yet.</li>`}</ul>
${create}`;
}

export interface DeskVM {
  coverage: Coverage;
  entries: Entry[];
  csrf: string;
  canManage: boolean;
  /** What was typed in the composer, kept after a refused post. */
  typed?: string;
  error?: string;
}

export function coverageDesk(vm: DeskVM): SafeHtml {
  const { coverage: c, csrf } = vm;
  const open = c.status !== 'ended';
  const statusButtons =
    vm.canManage && open
      ? (['live', 'paused', 'ended'] as const)
          .filter((s) => s !== c.status)
          .map((s) =>
            actionButton(
              `/admin/live/${c.id}/status`,
              s === 'ended' ? 'End the coverage' : s === 'paused' ? 'Pause' : 'Resume',
              csrf,
              html`<input type="hidden" name="status" value="${s}">`,
            ),
          )
      : [];
  const composer = open
    ? html`<form method="post" action="/admin/live/${c.id}/entries" class="live-composer">${csrfField(csrf)}
<label for="body_text">New entry</label>
<textarea id="body_text" name="body_text" rows="4" required>${vm.typed ?? ''}</textarea>
<button type="submit" class="primary">Post</button></form>`
    : html`<p>This coverage has ended: it is locked.</p>`;
  return html`<h1>${c.headline}</h1>
<p class="hint">Status: <strong>${c.status}</strong> · <a href="${livePath(c)}">reader page</a></p>
${vm.error ? html`<div class="flash flash-error" role="alert"><p>${vm.error}</p></div>` : ''}
${statusButtons}
${composer}
<h2>Entries</h2>
<ol class="plain live-entries">${vm.entries.map((e) => entryRow(e, vm, open))}</ol>`;
}

function entryRow(e: Entry, vm: DeskVM, open: boolean): SafeHtml {
  const { csrf } = vm;
  const at = `/admin/live/entries/${e.id}`;
  const marks = [
    e.state === 'in_review' ? 'in review' : '',
    e.pinned ? 'pinned' : '',
    e.keyEvent ? `key event: ${e.keyEvent}` : '',
    e.correction ? `corrected: ${e.correction}` : '',
  ].filter(Boolean);
  const actions =
    vm.canManage && open
      ? html`<details><summary>Actions</summary>
${e.state === 'in_review' ? actionButton(`${at}/approve`, 'Approve', csrf) : ''}
${actionButton(`${at}/pin`, e.pinned ? 'Unpin' : 'Pin', csrf, html`<input type="hidden" name="pinned" value="${e.pinned ? '0' : '1'}">`)}
<form class="action" method="post" action="${at}/key">${csrfField(csrf)}${textField({ name: 'label', id: `label-${e.id}`, label: 'Key event label', value: e.keyEvent ?? '', maxlength: 200, hint: 'Empty removes it from key events' })}<button type="submit">Save</button></form>
<form class="action" method="post" action="${at}/correct">${csrfField(csrf)}<label for="correct-${e.id}">Corrected text</label><textarea id="correct-${e.id}" name="body_text" rows="3" required>${entryText(e.body, 10_000)}</textarea>${textField({ name: 'note', id: `note-${e.id}`, label: 'Correction note (shown to readers)', required: true, maxlength: 1000 })}<button type="submit">Correct</button></form>
<form class="action" method="post" action="${at}/breakout">${csrfField(csrf)}${textField({ name: 'headline', id: `headline-${e.id}`, label: 'Article headline', required: true, maxlength: 300 })}${textField({ name: 'section', id: `section-${e.id}`, label: 'Section', required: true, value: 'News', maxlength: 200 })}<button type="submit">Break out into an article</button></form>
${e.state === 'published' ? breakingEntryButton(e.id, csrf) : ''}
${actionButton(`${at}/delete`, 'Delete', csrf)}
</details>`
      : '';
  return html`<li id="entry-${e.id}"><p><time datetime="${e.postedAt.toISOString()}">${e.postedAt.toISOString().slice(11, 16)}</time> · ${e.authors.join(', ')}${marks.length ? html` · <em>${marks.join(' · ')}</em>` : ''}${e.articleId ? html` · <a href="/admin/articles/${e.articleId}">article</a>` : ''}</p>
<p>${entryText(e.body, 1000)}</p>${actions}</li>`;
}
