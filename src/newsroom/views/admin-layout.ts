/**
 * The newsroom's document shell: never indexed, the CSRF token in a meta tag
 * for scripts, a skip link, the site's name, the newsroom's navigation and a
 * log-out form (a POST: logging out is a change).
 *
 * @example
 *   renderAdminPage({ title: 'Articles', user, csrf, assets, nav: NAV, current: '/admin' }, html`<h1>Articles</h1>`);
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { attr, safeUrl } from '../../web/views/components.js';

export interface AdminUserVM {
  name: string;
  role: string;
}

export interface FlashVM {
  kind: 'ok' | 'error';
  text: string;
}

export interface AdminLayoutVM {
  siteName: string;
  title: string;
  language: string;
  stylesheetHref: string;
  iconHref: string;
  scripts?: string[];
  /** Stylesheets of this page alone (the editor's). */
  stylesheets?: string[];
  /** Absent on pages for people not signed in (log in, set up, accept an invitation). */
  user?: AdminUserVM;
  csrf?: string;
  nav: { href: string; label: string }[];
  current?: string;
  flash?: FlashVM[];
}

function renderNav(vm: AdminLayoutVM): SafeHtml | '' {
  if (!vm.user) return '';
  const items = vm.nav.map(
    (item) =>
      html`<li><a href="${safeUrl(item.href)}"${item.href === vm.current ? attr('aria-current', 'page') : ''}>${item.label}</a></li>`,
  );
  return html`<nav class="admin-nav" aria-label="Newsroom">
<ul>${items}</ul>
</nav>
<form class="admin-logout" method="post" action="/admin/logout">
<input type="hidden" name="_csrf" value="${vm.csrf ?? ''}">
<span class="admin-user">${vm.user.name} (${vm.user.role})</span>
<button type="submit">Log out</button>
</form>`;
}

function renderFlash(flash: FlashVM[] | undefined): SafeHtml | '' {
  if (!flash?.length) return '';
  return html`${flash.map(
    (f) =>
      html`<div class="flash flash-${f.kind}" role="${f.kind === 'error' ? 'alert' : 'status'}"><p>${f.text}</p></div>\n`,
  )}`;
}

export function renderAdminPage(vm: AdminLayoutVM, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="${vm.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${vm.title} | ${vm.siteName} newsroom</title>
${vm.csrf ? html`<meta name="csrf-token" content="${vm.csrf}">\n` : ''}<link rel="stylesheet" href="${safeUrl(vm.stylesheetHref)}">
${(vm.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${safeUrl(href)}">\n`)}<link rel="icon" href="${safeUrl(vm.iconHref)}" type="image/svg+xml">
${(vm.scripts ?? []).map((src) => html`<script src="${safeUrl(src)}" defer></script>\n`)}</head>
<body class="admin">
<a class="skip-link" href="#main">Skip to content</a>
<header class="admin-header">
<a class="admin-site" href="/admin">${vm.siteName} <span>newsroom</span></a>
${renderNav(vm)}
</header>
<main id="main" class="admin-main" tabindex="-1">
${renderFlash(vm.flash)}${main}
</main>
</body>
</html>
`.toString();
}
