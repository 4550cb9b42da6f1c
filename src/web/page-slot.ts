/**
 * A slot in every page filled when the page is sent, not when it is
 * rendered: the breaking-news banner. Pages are rendered with a fixed marker
 * (`BANNER_SLOT`) and cached as they are; on each send the current fragment
 * replaces the marker. A new banner (or none) therefore changes no cached
 * page: each page is spliced once per banner and the result kept beside it
 * (with its own ETag, so a client holding the page with the old banner gets
 * the new one, not a 304; compressed variants made once, like any page's).
 *
 * The web layer knows nothing of what fills the slot: the app hands it a
 * `FragmentSource`, read from memory on every send (so it must be cheap).
 *
 * @example
 *   const fill = createSlotFiller(() => ({ version: '7', html: Buffer.from('<div class="banner">…</div>') }));
 *   fill(entry); // the entry with the banner in place of BANNER_SLOT (the same object on the next call)
 */
import { PageEntry } from './page-entry.js';

/** Where the banner goes in a page: an HTML comment, harmless when left as it is. */
export const BANNER_SLOT = '<!--dateline:banner-->';
const SLOT = Buffer.from(BANNER_SLOT);

/** What fills the slot now. `version` is the same for the same fragment on every instance (ETags agree). */
export interface Fragment {
  version: string;
  html: Buffer;
}

/** The fragment to show now, or undefined for none. Called on every send of an HTML page. */
export type FragmentSource = () => Fragment | undefined;

/** The entry as it goes out: spliced with the current fragment, or unchanged. */
export type SlotFiller = (entry: PageEntry) => PageEntry;

export const unfilled: SlotFiller = (entry) => entry;

export function createSlotFiller(source: FragmentSource): SlotFiller {
  // Both keyed by the cached entry: they leave with it when the page cache drops it.
  const slots = new WeakMap<PageEntry, number>();
  const filled = new WeakMap<PageEntry, { version: string; entry: PageEntry }>();
  return (entry) => {
    const fragment = source();
    if (!fragment) return entry;
    let at = slots.get(entry);
    if (at === undefined) {
      at = entry.contentType.startsWith('text/html') ? entry.body.indexOf(SLOT) : -1;
      slots.set(entry, at);
    }
    if (at < 0) return entry;
    const memo = filled.get(entry);
    if (memo?.version === fragment.version) return memo.entry;
    const body = Buffer.concat([entry.body.subarray(0, at), fragment.html, entry.body.subarray(at + SLOT.length)]);
    const spliced = new PageEntry(entry.statusCode, entry.contentType, entry.cacheControl, body, entry.lastModified);
    filled.set(entry, { version: fragment.version, entry: spliced });
    return spliced;
  };
}
