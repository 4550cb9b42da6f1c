/**
 * The webhooks pages (admins only): the list with the form that adds one, a
 * new webhook's secret shown once it is made (and on its page after), and a
 * webhook's recent deliveries with their outcome.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { actionButton, csrfField, errorSummary, textField } from './fields.js';

export interface WebhookRowVM {
  href: string;
  url: string;
  events: string;
  created: { iso: string; text: string };
}

export interface EventChoiceVM {
  name: string;
  value: string;
  label: string;
  checked: boolean;
}

export interface WebhooksVM {
  csrf: string;
  rows: WebhookRowVM[];
  form: { url: string; events: EventChoiceVM[]; errors: Record<string, string> };
}

export function renderWebhooks(vm: WebhooksVM): SafeHtml {
  const { form } = vm;
  const rows = vm.rows.map(
    (r) =>
      html`<tr><td><a href="${r.href}">${r.url}</a></td><td>${r.events}</td><td><time datetime="${r.created.iso}">${r.created.text}</time></td></tr>`,
  );
  const eventsError = form.errors.events;
  return html`<h1>Webhooks</h1>
<p>Dateline posts a signed JSON message to each address when an article is published, updated or unpublished.</p>
${
  vm.rows.length
    ? html`<table><caption class="visually-hidden">Registered webhooks</caption>
<thead><tr><th scope="col">Address</th><th scope="col">Events</th><th scope="col">Added</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : html`<p>No webhook yet.</p>`
}
<h2>Add a webhook</h2>
<form method="post" action="/admin/webhooks" class="narrow">${errorSummary(form.errors)}${csrfField(vm.csrf)}
${textField({ name: 'url', label: 'Address', value: form.url, error: form.errors.url, required: true, type: 'url', maxlength: 2000, hint: 'https://… where the receiver listens' })}
<fieldset class="field${eventsError ? ' has-error' : ''}"${eventsError ? html` aria-describedby="f-events-error"` : ''}><legend>Events</legend>
${eventsError ? html`<p class="field-error" id="f-events-error">${eventsError}</p>` : ''}
${form.events.map(
  (e, i) =>
    html`<label><input type="checkbox" name="${e.name}" value="${e.value}"${i === 0 ? html` id="f-events"` : ''}${e.checked ? ' checked' : ''}> ${e.label}</label>
`,
)}</fieldset>
<button type="submit" class="primary">Add the webhook</button></form>`;
}

export interface DeliveryRowVM {
  event: string;
  status: string;
  attempts: number;
  response: string;
  error: string;
  created: { iso: string; text: string };
  last?: { iso: string; text: string };
}

export interface WebhookVM {
  csrf: string;
  id: number;
  url: string;
  events: string;
  secret: string;
  /** Just made: say so, and that the secret goes to the receiver. */
  created: boolean;
  deliveries: DeliveryRowVM[];
}

const time = (t: { iso: string; text: string } | undefined) =>
  t ? html`<time datetime="${t.iso}">${t.text}</time>` : '—';

export function renderWebhook(vm: WebhookVM): SafeHtml {
  const rows = vm.deliveries.map(
    (d) =>
      html`<tr><td>${time(d.created)}</td><td>${d.event}</td><td>${d.status}</td><td>${d.attempts}</td><td>${d.response}</td><td>${time(d.last)}</td><td>${d.error}</td></tr>`,
  );
  return html`<h1>Webhook</h1>
${vm.created ? html`<div class="flash flash-ok" role="status"><p>Added. Give the receiver its secret: it checks each message’s <code>Dateline-Signature</code> with it.</p></div>` : ''}
<dl>
<dt>Address</dt><dd>${vm.url}</dd>
<dt>Events</dt><dd>${vm.events}</dd>
<dt>Signing secret</dt><dd><code>${vm.secret}</code></dd>
</dl>
<h2>Recent deliveries</h2>
${
  vm.deliveries.length
    ? html`<table><caption class="visually-hidden">Deliveries, newest first</caption>
<thead><tr><th scope="col">Event at</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Attempts</th><th scope="col">Answer</th><th scope="col">Last attempt</th><th scope="col">Last error</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : html`<p>Nothing sent yet.</p>`
}
<h2>Remove</h2>
${actionButton(`/admin/webhooks/${vm.id}/delete`, 'Remove this webhook', vm.csrf)}
<p><a href="/admin/webhooks">All webhooks</a></p>`;
}
