/**
 * Autosave for the article form. Two copies, so that a closed tab, a crash
 * or a lost connection costs at most a few seconds of typing:
 *
 * - a **local copy** in `localStorage` (`dateline:draft:<article id or
 *   "new">`), written within half a second of any change;
 * - a **server copy**: `PUT form.dataset.autosaveUrl` a few seconds after
 *   changes stop, based on the form's `version`. 200 → the new version goes
 *   into the form; 409 → a banner links to the comparison and autosave stops
 *   (it never overwrites someone else's save); offline or 5xx → retried with
 *   backoff while the local copy keeps everything.
 *
 * On load, a local copy holding changes the server never acknowledged is
 * offered back (restore or discard).
 */
import {
  draftKey,
  type LocalCopy,
  type PageState,
  parseLocalCopy,
  restoreDecision,
  retryDelay,
} from './autosave-rules.js';
import { clockTime, csrfToken, h } from './dom.js';
import { readFields, readVersion, writeFields, writeVersion } from './form-fields.js';

export interface AutosaveOptions {
  form: HTMLFormElement;
  /** The editor's document now, and a way to replace it (restore). */
  getDoc(): unknown;
  setDoc(doc: unknown): void;
  /** Where "Saved 14:03" is written (a `role="status"` element). */
  status: HTMLElement;
  /** Where banners go (conflict, restore). */
  banners: HTMLElement;
}

export interface Autosave {
  /** Call on every change to the body or another field. */
  changed(): void;
}

const LOCAL_DELAY_MS = 400;
const SERVER_DELAY_MS = 3000;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled by the browser's settings
  }
}

/**
 * Starts autosave on an article form and checks for a local copy to offer back.
 *
 * @example
 *   const autosave = startAutosave({ form, getDoc: () => editor.getJSON(), setDoc, status, banners });
 *   editor.on('update', () => autosave.changed());
 */
export function startAutosave(options: AutosaveOptions): Autosave {
  const { form, status } = options;
  const key = draftKey(form.dataset['articleId']);
  const url = form.dataset['autosaveUrl'];
  const delay = Number(form.dataset['autosaveDelay']) || SERVER_DELAY_MS;
  let changes = 0;
  let acknowledged = 0;
  let conflict = false;
  let inFlight = false;
  let again = false;
  let failures = 0;
  let offerOpen = false;
  let submitting = false;
  let waitingSubmitter: HTMLElement | null | undefined;
  let localTimer: number | undefined;
  let serverTimer: number | undefined;

  const setStatus = (text: string) => {
    status.textContent = text;
  };

  function writeLocal(extra: Partial<LocalCopy> = {}): void {
    if (offerOpen) return; // the copy on offer is not overwritten before the editor has chosen
    const copy: LocalCopy = {
      version: readVersion(form),
      fields: readFields(form),
      body_doc: options.getDoc(),
      savedAt: Date.now(),
      pending: changes !== acknowledged,
      ...extra,
    };
    try {
      storage()?.setItem(key, JSON.stringify(copy));
    } catch {
      // Storage full or refused: the server copy still runs.
    }
  }

  /** Whatever the server did not take is in this browser before the editor is told it was not saved. */
  function writeLocalNow(): void {
    window.clearTimeout(localTimer);
    localTimer = undefined;
    writeLocal();
  }

  function flushLocal(): void {
    if (localTimer === undefined) return;
    window.clearTimeout(localTimer);
    localTimer = undefined;
    writeLocal();
  }

  function scheduleServer(ms: number): void {
    if (!url || conflict || submitting) return;
    window.clearTimeout(serverTimer);
    serverTimer = window.setTimeout(() => void save(), ms);
  }

  async function save(): Promise<void> {
    if (!url || conflict) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const sent = changes;
    setStatus('Saving…');
    const body = JSON.stringify({ version: readVersion(form), fields: readFields(form), body_doc: options.getDoc() });
    let response: Response | undefined;
    try {
      const headers = { 'content-type': 'application/json', 'x-csrf-token': csrfToken() };
      response = await fetch(url, { method: 'PUT', headers, body, credentials: 'same-origin' });
    } catch {
      response = undefined; // offline, or the server is unreachable
    }
    await answered(response, sent);
    inFlight = false;
    if (waitingSubmitter !== undefined) {
      const submitter = waitingSubmitter;
      waitingSubmitter = undefined;
      form.requestSubmit(submitter);
    } else if (again) {
      again = false;
      scheduleServer(0);
    }
  }

  async function answered(response: Response | undefined, sent: number): Promise<void> {
    const json = (await response?.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response?.ok) {
      if (typeof json?.['version'] === 'number') {
        writeVersion(form, json['version']);
        form.dataset['savedVersion'] = String(json['version']);
      }
      failures = 0;
      acknowledged = sent;
      const savedAt = typeof json?.['savedAt'] === 'string' ? new Date(json['savedAt']) : new Date();
      setStatus(`Saved ${clockTime(Number.isNaN(savedAt.getTime()) ? new Date() : savedAt)}`);
      writeLocal();
    } else if (response?.status === 409) {
      writeLocalNow();
      conflict = true;
      window.clearTimeout(serverTimer);
      showConflict();
      setStatus('Not saved — someone else changed this article');
    } else if (!response || response.status >= 500 || response.status === 408 || response.status === 429) {
      failures++;
      writeLocalNow();
      setStatus('Not saved — will retry');
      scheduleServer(retryDelay(failures));
    } else {
      // Refused (an invalid field, an expired session): trying again unchanged would be refused again.
      const error = json?.['error'] as { message?: unknown } | undefined;
      const reason = typeof error?.message === 'string' ? error.message : `the server answered ${response.status}`;
      writeLocalNow();
      setStatus(`Not saved — ${reason}`);
    }
  }

  function showConflict(): void {
    const compare = form.dataset['compareUrl'];
    const banner = h(
      'div',
      { class: 'editor-banner editor-banner-conflict', role: 'alert', 'data-banner': 'conflict' },
      h(
        'p',
        {},
        'Someone else changed this article since you opened it. Autosave has stopped so that neither of you ' +
          'overwrites the other; your changes are kept in this browser.',
      ),
    );
    if (compare) banner.append(h('p', {}, h('a', { href: compare }, 'Compare the two versions')));
    options.banners.append(banner);
  }

  function offerRestore(local: LocalCopy): void {
    offerOpen = true;
    const updatedAt = Date.parse(form.dataset['updatedAt'] ?? '');
    const later = Number.isFinite(updatedAt) && updatedAt > local.savedAt;
    const restore = h('button', { type: 'button', 'data-action': 'restore' }, 'Restore my copy');
    const discard = h('button', { type: 'button', 'data-action': 'discard' }, 'Discard it');
    const banner = h(
      'div',
      { class: 'editor-banner', role: 'region', 'aria-label': 'Unsaved copy', 'data-banner': 'restore' },
      h(
        'p',
        {},
        `This browser kept a copy of this article from ${clockTime(new Date(local.savedAt))} with changes ` +
          'that were not saved on the server.' +
          (later ? ' The article has been saved since: restoring will ask you to compare the two.' : ''),
      ),
      restore,
      discard,
    );
    const close = () => {
      banner.remove();
      offerOpen = false;
    };
    restore.addEventListener('click', () => {
      close();
      writeFields(form, local.fields);
      options.setDoc(local.body_doc);
      // Saved against the version it was based on: if the article moved on, the server answers 409.
      if (local.version !== null) writeVersion(form, local.version);
      changes++;
      writeLocal();
      scheduleServer(0);
    });
    discard.addEventListener('click', () => {
      close();
      storage()?.removeItem(key);
      if (changes !== acknowledged) writeLocal();
    });
    options.banners.append(banner);
  }

  function checkLocalCopy(): void {
    const store = storage();
    const local = parseLocalCopy(store?.getItem(key) ?? null);
    const savedVersion = Number.parseInt(form.dataset['savedVersion'] ?? '', 10);
    const updatedAt = Date.parse(form.dataset['updatedAt'] ?? '');
    const page: PageState = {
      savedVersion: Number.isFinite(savedVersion) ? savedVersion : readVersion(form),
      updatedAt: Number.isFinite(updatedAt) ? updatedAt : null,
      fields: readFields(form),
      body_doc: options.getDoc(),
    };
    if (local && restoreDecision(local, page) === 'offer') offerRestore(local);
    else if (local) store?.removeItem(key);
    // A new article, once created, opens at its own address: its "new" copy is this article.
    const fresh = form.dataset['articleId'] ? parseLocalCopy(store?.getItem(draftKey(undefined)) ?? null) : undefined;
    if (fresh?.submitted && restoreDecision({ ...fresh, submitted: false, pending: true }, page) === 'discard') {
      store?.removeItem(draftKey(undefined));
    }
  }

  form.addEventListener('submit', (event) => {
    if (inFlight) {
      // An autosave is answering: submit with the version it returns, or our own save would look like a conflict.
      event.preventDefault();
      waitingSubmitter = event.submitter;
      return;
    }
    submitting = true;
    window.clearTimeout(serverTimer);
    window.clearTimeout(localTimer);
    localTimer = undefined;
    writeLocal({ submitted: true, pending: true });
  });
  window.addEventListener('pagehide', flushLocal);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushLocal();
  });
  window.addEventListener('online', () => {
    if (changes !== acknowledged && !inFlight) void save();
  });

  checkLocalCopy();

  return {
    changed() {
      changes++;
      localTimer ??= window.setTimeout(() => {
        localTimer = undefined;
        writeLocal();
      }, LOCAL_DELAY_MS);
      scheduleServer(delay);
    },
  };
}
