/**
 * The view models of the shared chrome: what the layout gets. Faces build
 * them (the reader site's presenter, the weather page, later the newsroom);
 * all strings are plain text (templates escape them) except fields typed
 * `SafeHtml`.
 */
import type { SafeHtml } from '../lib/html.js';

export interface LinkVM {
  href: string;
  label: string;
}

/** Shared by every page: site chrome and head metadata. */
export interface LayoutVM {
  siteName: string;
  /** The site's logo, shown instead of its name (which becomes the image's text). */
  logoSrc?: string;
  title: string;
  description?: string;
  canonicalUrl?: string;
  language: string;
  stylesheetHref: string;
  iconHref: string;
  nav: LinkVM[];
  /** The nav item to mark with aria-current, if any. */
  currentPath?: string;
  /** Extra `<link>`/`<meta>` markup (e.g. Open Graph), already safe. */
  head?: SafeHtml;
  noindex?: boolean;
  /** Widgets in the header beside the navigation (the weather), already rendered by their face. */
  headerWidgets?: SafeHtml[];
  /** Same-origin scripts, loaded with `defer` (progressive enhancement only). */
  scripts?: string[];
  /** The footer's links; without them, the footer shows the site's name alone. */
  footer?: FooterVM;
}

/** What every page's footer lists. */
export interface FooterVM {
  sections: LinkVM[];
  /** The site's own pages (About, Contact, Corrections policy). */
  pages: LinkVM[];
  /** Search and feeds. */
  tools: LinkVM[];
  /** The year for the copyright line, in the site's zone. */
  year: string;
}

/** What a face adds to every page's header: widgets (rendered when a page is) and the scripts that enhance them. */
export interface HeaderExtras {
  widgets(): SafeHtml[];
  scripts: string[];
}
