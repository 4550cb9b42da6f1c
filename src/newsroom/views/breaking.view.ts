/**
 * The newsroom's breaking-news page: the flag showing now (with "End now"),
 * the form that flags an article or a live entry for a time box, and the
 * recent flags.
 */
import type { Breaking } from '../../breaking/breaking.js';
import { BREAKING_LIMITS } from '../../breaking/breaking.js';
import { html, type SafeHtml } from '../../lib/html.js';
import { actionButton, csrfField, select, textField } from './fields.js';

export interface BreakingPageVM {
  showing: Breaking | undefined;
  recent: Breaking[];
  csrf: string;
  now: Date;
  error?: string;
  /** What the form held when it was refused. */
  typed?: Record<string, string | undefined>;
}

const hhmm = (d: Date) =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;

function state(b: Breaking, now: Date): string {
  if (b.endedAt) return 'ended early';
  return b.endsAt <= now ? 'over' : 'showing';
}

export function breakingPage(vm: BreakingPageVM): SafeHtml {
  const { showing: b, csrf, typed = {} } = vm;
  const current = b
    ? html`<div class="flash" role="status"><p>Showing now: <a href="${b.href}">${b.headline}</a>, until ${hhmm(b.endsAt)}.</p>
${actionButton(`/admin/breaking/${b.id}/end`, 'End now', csrf)}</div>`
    : html`<p>No breaking news is showing.</p>`;
  return html`<h1>Breaking news</h1>
${current}
${vm.error ? html`<div class="flash flash-error" role="alert"><p>${vm.error}</p></div>` : ''}
<h2>Flag as breaking</h2>
<p class="hint">A banner on every page of the site, and an item at the top of the site's feed, until the time box ends.</p>
<form method="post" action="/admin/breaking" class="narrow">${csrfField(csrf)}
${select({
  name: 'kind',
  id: 'breaking-kind',
  label: 'What is breaking',
  value: typed.kind ?? 'article',
  options: [
    { value: 'article', label: 'An article (its id)' },
    { value: 'entry', label: 'A live entry (its id)' },
  ],
})}
${textField({ name: 'target', id: 'breaking-target', label: 'Id', type: 'number', required: true, value: typed.target ?? '' })}
${textField({ name: 'headline', id: 'breaking-headline', label: 'Banner text', maxlength: BREAKING_LIMITS.headline, value: typed.headline ?? '', hint: 'Empty: the article’s headline or the entry’s first words' })}
${textField({ name: 'minutes', id: 'breaking-minutes', label: 'For how many minutes', type: 'number', required: true, value: typed.minutes ?? String(BREAKING_LIMITS.defaultMinutes), hint: `${BREAKING_LIMITS.minMinutes} to ${BREAKING_LIMITS.maxMinutes}` })}
<button type="submit" class="primary">Flag as breaking</button></form>
<h2>Recent</h2>
${
  vm.recent.length
    ? html`<ol class="plain">${vm.recent.map((r) => html`<li><a href="${r.href}">${r.headline}</a> · ${hhmm(r.startsAt)} → ${hhmm(r.endsAt)} · ${state(r, vm.now)}</li>`)}</ol>`
    : html`<p>None yet.</p>`
}`;
}

/** The live desk's button that flags one entry as breaking for the default time box. */
export function breakingEntryButton(entryId: number, csrf: string): SafeHtml {
  return actionButton(
    '/admin/breaking',
    'Flag as breaking',
    csrf,
    html`<input type="hidden" name="kind" value="entry"><input type="hidden" name="target" value="${String(entryId)}"><input type="hidden" name="minutes" value="${String(BREAKING_LIMITS.defaultMinutes)}">`,
  );
}
