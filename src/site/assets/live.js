/*
 * Dateline: the live page's new updates, for readers with JavaScript (the
 * page is whole without it: reloading shows them).
 * - Listens to the coverage's Server-Sent Events (or, without EventSource or
 *   after the stream failed, polls the shared, cached bucket URL every 10 s).
 * - Never moves what the reader is reading: new entries are announced
 *   ("3 new updates", politely to screen readers through the aria-live
 *   region) and inserted only when the reader asks, above the newest one,
 *   with the scroll position kept.
 */
(() => {
  const root = document.querySelector('[data-live-after]');
  if (!root) return;
  const announce = root.querySelector('[data-live-announce]');
  const show = root.querySelector('[data-live-show]');
  const list = root.querySelector('.live-entries');
  if (!announce || !show || !list) return;
  const pollBase = root.getAttribute('data-live-poll');
  const streamUrl = root.getAttribute('data-live-stream');
  const POLL_MS = 10_000;
  let newest = Number(root.getAttribute('data-live-after')) || 0;
  let waiting = new Set();
  let timer;

  const say = () => {
    const n = waiting.size;
    announce.textContent = n === 0 ? '' : n === 1 ? '1 new update' : `${n} new updates`;
    show.hidden = n === 0;
    show.textContent = n === 1 ? 'Show 1 new update' : `Show ${n} new updates`;
  };

  const bucketUrl = () => `${pollBase}${Math.floor(Date.now() / 1000 / 10)}`;

  const fetchNew = async () => {
    const res = await fetch(bucketUrl(), { headers: { accept: 'application/json' } });
    if (!res.ok) return [];
    const body = await res.json();
    if (body.status === 'ended' && timer) clearInterval(timer);
    return body.entries.filter((e) => e.id > newest);
  };

  const poll = async () => {
    try {
      for (const e of await fetchNew()) waiting.add(e.id);
      say();
    } catch {
      // The next poll tries again.
    }
  };

  show.addEventListener('click', async () => {
    const entries = await fetchNew().catch(() => []);
    if (entries.length === 0) return;
    const first = list.querySelector('.live-entry');
    const anchor = first || list.lastElementChild;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const fragment = document.createRange().createContextualFragment(
      entries
        .sort((a, b) => b.id - a.id)
        .map((e) => e.html)
        .join(''),
    );
    const empty = list.querySelector('p:not([class])');
    if (empty && !first) empty.remove();
    if (first) list.insertBefore(fragment, first);
    else list.appendChild(fragment);
    // Keep what was on screen where it was: at once, not with the page's smooth scrolling (that would slide).
    if (anchor) window.scrollBy({ top: anchor.getBoundingClientRect().top - before, behavior: 'instant' });
    newest = Math.max(newest, ...entries.map((e) => e.id));
    waiting = new Set([...waiting].filter((id) => id > newest));
    say();
    const added = list.querySelector(`#entry-${entries[0].id}`);
    if (added) {
      added.setAttribute('tabindex', '-1');
      added.focus({ preventScroll: true });
    }
  });

  const startPolling = () => {
    if (!timer && pollBase) timer = setInterval(poll, POLL_MS);
  };

  if (!window.EventSource || !streamUrl) return startPolling();
  const source = new EventSource(`${streamUrl}?after=${newest}`);
  source.addEventListener('entry', (event) => {
    const id = Number(event.lastEventId);
    if (id > newest) waiting.add(id);
    say();
  });
  source.addEventListener('end', () => {
    source.close();
    announce.textContent = 'This live coverage has ended.';
  });
  source.addEventListener('error', () => {
    // The browser retries by itself; once it gives up, poll instead.
    if (source.readyState === EventSource.CLOSED) startPolling();
  });
})();
