/**
 * The document shell shared by every reader page: head metadata, skip link,
 * site header with section navigation, `<main>` and footer.
 */
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { textDirection } from '../../lib/language.js';
import { BANNER_SLOT } from '../page-slot.js';
import type { LayoutVM, LinkVM } from '../view-model.js';
import { attr, safeUrl } from './components.js';

/** Theme colours for the browser UI; they match `--bg` in site.css. */
const THEME_LIGHT = '#ffffff';
const THEME_DARK = '#121212';

function renderHead(layout: LayoutVM): SafeHtml {
  const description = layout.description ? html`<meta name="description" content="${layout.description}">\n` : '';
  const canonical = layout.canonicalUrl ? html`<link rel="canonical" href="${safeUrl(layout.canonicalUrl)}">\n` : '';
  const robots = layout.noindex ? html`<meta name="robots" content="noindex">\n` : '';
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${layout.title}</title>
${description}${canonical}${robots}<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="${THEME_LIGHT}" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="${THEME_DARK}" media="(prefers-color-scheme: dark)">
<link rel="stylesheet" href="${safeUrl(layout.stylesheetHref)}">
<link rel="icon" href="${safeUrl(layout.iconHref)}" type="image/svg+xml">
${(layout.scripts ?? []).map((src) => html`<script src="${safeUrl(src)}" defer></script>\n`)}${layout.head ? html`${layout.head}\n` : ''}</head>`;
}

function renderNavItem(link: LinkVM, currentPath: string | undefined): SafeHtml {
  const current = link.href === currentPath ? attr('aria-current', 'page') : '';
  return html`<li><a href="${safeUrl(link.href)}"${current}>${link.label}</a></li>`;
}

function renderHeader(layout: LayoutVM): SafeHtml {
  const nav =
    layout.nav.length > 0
      ? html`<nav class="site-nav" aria-label="Sections">
<ul>${layout.nav.map((link) => renderNavItem(link, layout.currentPath))}</ul>
</nav>`
      : '';
  return html`<header class="site-header">
<div class="wrap">
<a class="site-name" href="/">${layout.logoSrc ? html`<img class="site-logo" src="${safeUrl(layout.logoSrc)}" alt="${layout.siteName}">` : layout.siteName}</a>
${nav}
${renderSearchBox()}
${(layout.headerWidgets ?? []).map((widget) => html`${widget}\n`)}</div>
</header>`;
}

/** The site search, a plain GET form: works without JavaScript, and is the same on every page (the page cache). */
function renderSearchBox(): SafeHtml {
  return html`<form class="site-search" role="search" aria-label="Site search" action="/search" method="get">
<label class="visually-hidden" for="site-search-q">Search the site</label>
<input id="site-search-q" type="search" name="q" maxlength="200" placeholder="Search" autocomplete="off">
<button type="submit">Search</button>
</form>`;
}

function footerList(label: string, id: string, links: LinkVM[]): SafeHtml | '' {
  if (links.length === 0) return '';
  return html`<nav class="footer-links" aria-labelledby="${id}">
<h2 class="footer-heading" id="${id}">${label}</h2>
<ul>${links.map((link) => html`<li><a href="${safeUrl(link.href)}">${link.label}</a></li>`)}</ul>
</nav>`;
}

function renderFooter(layout: LayoutVM): SafeHtml {
  const footer = layout.footer;
  const columns = footer
    ? html`<div class="footer-columns">
${footerList('Sections of the site', 'footer-sections', footer.sections)}
${footerList('About', 'footer-about', footer.pages)}
${footerList('Follow', 'footer-follow', footer.tools)}
</div>`
    : '';
  return html`<footer class="site-footer">
<div class="wrap">
<p class="site-footer-name">${layout.siteName}</p>
${columns}
<p class="footer-licence">© ${footer?.year ?? ''} ${layout.siteName}. Articles carried from other sources keep their own licence, named with each article.</p>
<p class="footer-licence">Published with Dateline, free software under the AGPL-3.0.</p>
</div>
</footer>`;
}

/**
 * Renders a complete HTML document around the page's main content.
 * `layout.title` is used verbatim as the `<title>`.
 *
 * @example
 *   renderLayout(layoutVm, html`<h1>Page not found</h1>`);
 *   // '<!doctype html>\n<html lang="en" dir="ltr">…<main id="main" tabindex="-1">…'
 */
export function renderLayout(layout: LayoutVM, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="${layout.language}" dir="${textDirection(layout.language)}">
${renderHead(layout)}
<body>
<a class="skip-link" href="#main">Skip to content</a>
${renderHeader(layout)}
${raw(BANNER_SLOT)}
<main id="main" class="wrap" tabindex="-1">
${main}
</main>
${renderFooter(layout)}
</body>
</html>
`.toString();
}
