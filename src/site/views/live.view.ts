/**
 * The reader's live page, readable without JavaScript: the headline and
 * status, the pinned entry, the key events linking to their entries, the
 * entries newest first (each with its permalink anchor, share links and any
 * correction note), and a link to older updates by a stable address. The
 * `data-live-*` attributes are for `assets/live.js`, which only adds to this.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import { renderLayout } from '../../web/views/layout.js';
import type { BlockVM, LayoutVM, LinkVM, TimeVM } from '../view-model.js';
import { renderBlocks } from './article.view.js';
import { renderTime } from './components.js';

export interface LiveEntryVM {
  id: number;
  anchor: string;
  /** Where the entry is, on whichever page holds it. */
  href: string;
  time: TimeVM;
  authors: string;
  keyEvent?: string;
  correction?: string;
  body: BlockVM[];
  share: LinkVM[];
}

export interface LivePageVM {
  layout: LayoutVM;
  coverageId: number;
  headline: string;
  standfirst: string;
  status: 'live' | 'paused' | 'ended';
  started: TimeVM;
  pinned?: LiveEntryVM;
  keyEvents: { label: string; href: string }[];
  entries: LiveEntryVM[];
  /** The newest entry's id on the newest page: where the stream resumes. */
  newestId?: number;
  older?: string;
  newer?: string;
  jsonLd: SafeHtml;
}

const STATUS = { live: 'Live', paused: 'Paused', ended: 'Ended' } as const;

/** One entry as it sits on the page; also what the polling answer carries for the script to insert. */
export function renderLiveEntry(e: LiveEntryVM, id: string = e.anchor): SafeHtml {
  return html`<article class="live-entry" id="${id}" data-entry-id="${String(e.id)}">
<header><a class="live-permalink" href="${safeUrl(e.href)}">${renderTime(e.time)}</a> <span class="live-authors">${e.authors}</span>${e.keyEvent ? html` <strong class="live-key">Key event: ${e.keyEvent}</strong>` : ''}</header>
<div class="article-body">${renderBlocks(e.body)}</div>
${e.correction ? html`<p class="live-correction"><strong>Correction:</strong> ${e.correction}</p>` : ''}
<ul class="live-share">${e.share.map((l) => html`<li><a href="${safeUrl(l.href)}" rel="noopener" target="_blank">${l.label}<span class="visually-hidden"> (opens in a new tab)</span></a></li>`)}</ul>
</article>`;
}

export function renderLivePage(vm: LivePageVM): string {
  const live = vm.status === 'live' && vm.newestId !== undefined;
  const main = html`<article class="live" data-live="${String(vm.coverageId)}"${live ? html` data-live-after="${String(vm.newestId)}" data-live-stream="/live/${String(vm.coverageId)}/events" data-live-poll="/live/${String(vm.coverageId)}/updates/"` : ''}>
<h1>${vm.headline}</h1>
<p class="live-status live-status-${vm.status}"><strong>${STATUS[vm.status]}</strong> · since ${renderTime(vm.started)}</p>
${vm.standfirst ? html`<p class="standfirst">${vm.standfirst}</p>` : ''}
${vm.pinned ? html`<section class="live-pinned" aria-labelledby="pinned-heading"><h2 id="pinned-heading">Pinned</h2>${renderLiveEntry(vm.pinned, `pinned-${vm.pinned.anchor}`)}</section>` : ''}
${vm.keyEvents.length ? html`<nav class="live-key-events" aria-labelledby="key-heading"><h2 id="key-heading">Key events</h2><ol>${vm.keyEvents.map((k) => html`<li><a href="${safeUrl(k.href)}">${k.label}</a></li>`)}</ol></nav>` : ''}
<div class="live-updates" role="status" aria-live="polite" data-live-announce></div>
<button type="button" class="live-show" data-live-show hidden>Show new updates</button>
<section class="live-entries" aria-labelledby="updates-heading"><h2 id="updates-heading">${vm.newer ? 'Older updates' : 'Latest updates'}</h2>
${vm.entries.length ? vm.entries.map((e) => renderLiveEntry(e)) : html`<p>No updates yet.</p>`}
</section>
<nav class="pagination" aria-label="More updates">${vm.newer ? html`<a href="${safeUrl(vm.newer)}">Newest updates</a> ` : ''}${vm.older ? html`<a href="${safeUrl(vm.older)}" rel="next">Older updates</a>` : ''}</nav>
</article>
${vm.jsonLd}`;
  return renderLayout(vm.layout, main);
}
