/**
 * The breaking-news banner, the fragment every reader page's slot is filled
 * with when it is sent (`src/web/page-slot.ts`): rendered once per flag and
 * kept, so a send asks only which flag shows now. Plain HTML and a link:
 * readers without JavaScript see it like everyone else.
 *
 * @example
 *   const banner = breakingBanner(() => breaking.current());
 *   banner(); // { version: '7', html: <Buffer …> } while flag 7 shows, then undefined
 */
import { html } from '../lib/html.js';
import type { Fragment, FragmentSource } from '../web/page-slot.js';
import { safeUrl } from '../web/views/components.js';

export interface BannerFlag {
  id: number;
  headline: string;
  href: string;
}

export function renderBreakingBanner(flag: Pick<BannerFlag, 'headline' | 'href'>): string {
  return html`<aside class="breaking-banner" aria-label="Breaking news"><div class="wrap"><strong class="breaking-label">Breaking</strong> <a href="${safeUrl(flag.href)}">${flag.headline}</a></div></aside>`.toString();
}

export function breakingBanner(current: () => BannerFlag | undefined): FragmentSource {
  let last: { id: number; fragment: Fragment } | undefined;
  return () => {
    const flag = current();
    if (!flag) return undefined;
    if (last?.id !== flag.id)
      last = { id: flag.id, fragment: { version: String(flag.id), html: Buffer.from(renderBreakingBanner(flag)) } };
    return last.fragment;
  };
}
