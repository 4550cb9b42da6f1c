/**
 * The article editor: every field of the content model in one form, the body
 * in the rich-text editor (the `[data-editor]` element, taken over by the
 * editor script; without JavaScript, a plain-text field), and beside it the
 * workflow's actions the signed-in person may take on this article.
 */
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import { actionButton, csrfField, errorSummary, hidden, select, textArea, textField } from './fields.js';

export interface EditorActionsVM {
  submit: boolean;
  approve: boolean;
  sendBack: boolean;
  publish: boolean;
  schedule: boolean;
  unpublish: boolean;
  archive: boolean;
  note: boolean;
}

export interface EditorVM {
  /** Absent for a new article. */
  article?: {
    id: number;
    state: string;
    stateLabel: string;
    version: number;
    updatedAtIso: string;
    reviewNote?: string;
    publicHref?: string;
  };
  values: Record<string, string>;
  errors: Record<string, string>;
  sections: { value: string; label: string }[];
  /** The editor's document, as JSON safe inside a script element (`docScriptJson`). */
  docScript: string;
  /** The body as plain text, for the field used without JavaScript. */
  bodyText: string;
  actions: EditorActionsVM;
  csrf: string;
  timeZone: string;
}

function fields(vm: EditorVM): SafeHtml {
  const v = vm.values;
  const e = vm.errors;
  const section =
    vm.sections.length > 0
      ? select({
          name: 'section',
          label: 'Section',
          value: v.section,
          options: vm.sections,
          error: e.section,
          empty: '',
        })
      : textField({
          name: 'section',
          label: 'Section',
          value: v.section,
          error: e.section,
          required: true,
          maxlength: 100,
        });
  return html`${textField({ name: 'headline', label: 'Headline', value: v.headline, error: e.headline, required: true, maxlength: 300 })}
${textArea({ name: 'standfirst', label: 'Standfirst', value: v.standfirst, error: e.standfirst, maxlength: 1000, rows: 3 })}
<div class="field-row">
${section}
${textField({ name: 'dateline_place', label: 'Dateline', value: v.dateline_place, error: e.dateline_place, maxlength: 100, hint: 'Where the story was reported from, e.g. Kyiv' })}
</div>
${textField({ name: 'authors', label: 'Bylines', value: v.authors, error: e.authors, hint: 'Names, separated by commas' })}
${textField({ name: 'tags', label: 'Tags', value: v.tags, error: e.tags, hint: 'Separated by commas' })}
<fieldset class="lead-image">
<legend>Lead image</legend>
<div class="lead-upload" data-lead-upload data-upload-url="/admin/api/uploads"></div>
${textField({ name: 'lead_src', label: 'Image address', value: v.lead_src, error: e.lead_src, hint: 'Filled in by an upload, or an https address' })}
${textField({ name: 'lead_alt', label: 'Alt text', value: v.lead_alt, error: e.lead_alt, maxlength: 500 })}
${textField({ name: 'lead_caption', label: 'Caption', value: v.lead_caption, maxlength: 1000 })}
${textField({ name: 'lead_credit', label: 'Credit', value: v.lead_credit, maxlength: 300 })}
${hidden('lead_width', v.lead_width ?? '')}${hidden('lead_height', v.lead_height ?? '')}
</fieldset>
<div class="field body-field${e.body ? ' has-error' : ''}">
${e.body ? html`<p class="field-error" id="f-body">${e.body}</p>` : ''}
<div class="body-editor" data-editor data-upload-url="/admin/api/uploads">
<label for="body_text">Body</label>
<p class="hint" id="body_text-hint" data-editor-fallback>Paragraphs separated by a blank line.</p>
<textarea id="body_text" name="body_text" rows="16" aria-describedby="body_text-hint">${vm.bodyText}</textarea>
</div>
<script type="application/json" id="editor-doc">${raw(vm.docScript)}</script>
</div>
<details class="more-fields">
<summary>More</summary>
${textField({ name: 'embargo_until', label: `Embargo until (${vm.timeZone})`, value: v.embargo_until, type: 'datetime-local', error: e.embargo_until, hint: 'Nobody can publish it before then' })}
${textField({ name: 'slug', label: 'Address', value: v.slug, maxlength: 200, hint: 'The last part of the article’s address; made from the headline when empty' })}
${textField({ name: 'language', label: 'Language', value: v.language, maxlength: 35, hint: 'A language tag, e.g. en, uk, ru' })}
</details>`;
}

function actions(vm: EditorVM): SafeHtml | '' {
  const a = vm.article;
  if (!a) return '';
  const base = `/admin/articles/${a.id}`;
  const version = hidden('version', a.version);
  const when = (name: string, label: string) =>
    html`<label for="f-${name}">${label} (${vm.timeZone})</label><input id="f-${name}" name="at" type="datetime-local" required>`;
  const buttons = [
    vm.actions.submit ? actionButton(`${base}/submit`, 'Submit for review', vm.csrf, version) : '',
    vm.actions.approve ? actionButton(`${base}/approve`, 'Approve and publish', vm.csrf, version) : '',
    vm.actions.sendBack
      ? actionButton(
          `${base}/send-back`,
          'Send back',
          vm.csrf,
          html`${version}<label for="f-comment">What should change</label><textarea id="f-comment" name="comment" rows="2" required></textarea>`,
        )
      : '',
    vm.actions.publish ? actionButton(`${base}/publish`, 'Publish now', vm.csrf, version) : '',
    vm.actions.schedule
      ? actionButton(`${base}/schedule`, 'Schedule', vm.csrf, html`${version}${when('schedule-at', 'Publish at')}`)
      : '',
    vm.actions.unpublish ? actionButton(`${base}/unpublish`, 'Unpublish', vm.csrf, version) : '',
    vm.actions.archive ? actionButton(`${base}/archive`, 'Archive', vm.csrf, version) : '',
  ];
  const note = vm.actions.note
    ? html`<form class="action note-form" method="post" action="${base}/notes">${csrfField(vm.csrf)}${version}
<fieldset><legend>Add a correction or an update</legend>
<label><input type="radio" name="kind" value="correction" checked> Correction</label>
<label><input type="radio" name="kind" value="update"> Update</label>
<label for="f-note">Text</label><textarea id="f-note" name="text" rows="3" required maxlength="2000"></textarea>
<button type="submit">Add to the article</button></fieldset></form>`
    : '';
  return html`<aside class="workflow" aria-label="Workflow">
<p>State: <span class="state state-${a.state}">${a.stateLabel}</span></p>
${a.reviewNote ? html`<div class="review-note"><h2>Sent back</h2><p>${a.reviewNote}</p></div>` : ''}
<p><a href="${base}/preview">Preview</a> · <a href="${base}/history">History</a>${a.publicHref ? html` · <a href="${safeUrl(a.publicHref)}">On the site</a>` : ''}</p>
${buttons}
${note}
</aside>`;
}

export function renderEditor(vm: EditorVM): SafeHtml {
  const a = vm.article;
  const action = a ? `/admin/articles/${a.id}` : '/admin/articles';
  const data = a
    ? html` data-article-id="${a.id}" data-autosave-url="/admin/api/articles/${a.id}" data-updated-at="${a.updatedAtIso}" data-saved-version="${a.version}" data-compare-url="/admin/articles/${a.id}/history"`
    : html``;
  return html`<div class="page-head"><h1>${a ? 'Edit article' : 'New article'}</h1></div>
<div class="editor-layout">
<form class="article-form" method="post" action="${action}"${data}>
${errorSummary(vm.errors)}${csrfField(vm.csrf)}${a ? hidden('version', a.version) : ''}
${fields(vm)}
<p class="autosave-status" role="status" aria-live="polite" data-autosave-status></p>
<button type="submit" class="primary">Save</button>
</form>
${actions(vm)}
</div>`;
}
