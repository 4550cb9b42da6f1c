/**
 * For admins: the site's settings (name, description, logo, time zone, the
 * weather's default city and units), taking effect at once on every instance;
 * and the audit log, newest first, by person or action, a page at a time.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import type { AuditLog } from '../audit/audit.service.js';
import { AppError } from '../lib/errors.js';
import { html, type SafeHtml } from '../lib/html.js';
import type { SettingProblem } from '../settings/settings.js';
import { idFromQuery, ipOf, type Newsroom, render, signedIn } from './context.js';
import { csrfField, errorSummary, select, textField } from './views/fields.js';

type Form = { Body: Record<string, string | undefined> };

export interface AdminDeps {
  audit: AuditLog;
}

export async function adminRoutes(app: FastifyInstance, nr: Newsroom & AdminDeps): Promise<void> {
  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      notice?: SafeHtml;
      statusCode?: number;
    } = {},
  ) {
    const s = nr.settings.current();
    const v = state.values ?? {
      siteName: s.siteName,
      siteDescription: s.siteDescription,
      logo: s.logo ?? '',
      timeZone: s.timeZone,
      weatherCity: s.weatherCity,
      weatherUnits: s.weatherUnits,
      feedContent: s.feedContent,
    };
    const e = state.errors ?? {};
    const main = html`<h1>Site settings</h1>
${state.notice ?? ''}
<form method="post" action="/admin/settings" class="narrow">${errorSummary(e)}${csrfField(request.caller.csrf)}
${textField({ name: 'siteName', label: 'Site name', value: v.siteName, error: e.siteName, required: true, maxlength: 100 })}
${textField({ name: 'siteDescription', label: 'Description', value: v.siteDescription, error: e.siteDescription, maxlength: 300 })}
${textField({ name: 'logo', label: 'Logo', value: v.logo, error: e.logo, hint: 'An uploaded image’s address; empty shows the name' })}
${textField({ name: 'timeZone', label: 'Time zone', value: v.timeZone, error: e.timeZone, required: true, hint: 'e.g. Europe/Kyiv: dates on the site and in addresses follow it' })}
${textField({ name: 'weatherCity', label: 'Weather: default city', value: v.weatherCity, error: e.weatherCity, required: true, maxlength: 100 })}
${select({
  name: 'weatherUnits',
  label: 'Weather: units',
  value: v.weatherUnits,
  error: e.weatherUnits,
  options: [
    { value: 'celsius', label: '°C' },
    { value: 'fahrenheit', label: '°F' },
  ],
})}
${select({
  name: 'feedContent',
  label: 'Feeds carry',
  value: v.feedContent,
  error: e.feedContent,
  options: [
    { value: 'full', label: 'Whole articles' },
    { value: 'summary', label: 'Standfirsts only, with a link' },
  ],
})}
<button type="submit" class="primary">Save the settings</button></form>`;
    return render(nr, request, reply, main, {
      title: 'Settings',
      current: '/admin/settings',
      statusCode: state.statusCode ?? 200,
    });
  }

  app.get('/settings', async (request, reply) => {
    authorize(signedIn(request).user, 'settings.manage');
    return settingsPage(request, reply);
  });

  app.post<Form>('/settings', async (request, reply) => {
    const { user } = signedIn(request);
    authorize(user, 'settings.manage');
    const b = request.body;
    const change = {
      siteName: b.siteName ?? '',
      siteDescription: b.siteDescription ?? '',
      logo: b.logo ?? '',
      timeZone: b.timeZone ?? '',
      weatherCity: b.weatherCity ?? '',
      weatherUnits: b.weatherUnits ?? '',
      // A form from before this setting existed leaves it as it is.
      ...(b.feedContent === undefined ? {} : { feedContent: b.feedContent }),
    };
    try {
      await nr.settings.update(change, { by: user.id });
      await nr.audit.record(nr.database.db, {
        actorId: user.id,
        action: 'settings.changed',
        subject: 'settings',
        ...ipOf(request),
      });
      const notice = html`<div class="flash flash-ok" role="status"><p>Saved. The site shows the new settings now.</p></div>`;
      return settingsPage(request, reply, { notice });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'INVALID_SETTINGS') throw err;
      const problems = (err.details as { problems: SettingProblem[] }).problems;
      const errors = Object.fromEntries(problems.map((p) => [p.key, p.problem]));
      return settingsPage(request, reply, { values: change, errors, statusCode: 422 });
    }
  });

  app.get<{ Querystring: { action?: string; before?: string } }>(
    '/audit',
    { schema: { querystring: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } } },
    async (request, reply) => {
      authorize(signedIn(request).user, 'audit.view');
      const before = idFromQuery(request.query.before);
      const action = request.query.action?.trim();
      const page = await nr.audit.list({ ...(action ? { action } : {}), ...(before ? { before } : {}) }, 100);
      const people = new Map((await nr.accounts.listUsers()).map((u) => [u.id, u.name]));
      const rows = page.entries.map(
        (e) => html`<tr><td><time datetime="${e.at.toISOString()}">${nr.clock.format(e.at)}</time></td>
<td>${e.actorId === undefined ? '—' : (people.get(e.actorId) ?? `user ${e.actorId}`)}</td><td>${e.action}</td><td>${e.subject ?? ''}</td><td>${e.ip ?? ''}</td></tr>`,
      );
      const next = page.next
        ? `/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: String(page.next) })}`
        : undefined;
      const main = html`<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="filters">${textField({ name: 'action', label: 'Action', value: action ?? '', hint: 'e.g. login.failed, article.published', maxlength: 100 })}<button type="submit">Show</button></form>
<table><caption class="visually-hidden">Who did what, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On</th><th scope="col">From</th></tr></thead>
<tbody>${rows}</tbody></table>
${next ? html`<nav class="pager"><a href="${next}" rel="next">Older entries</a></nav>` : ''}`;
      return render(nr, request, reply, main, { title: 'Audit log', current: '/admin/audit' });
    },
  );
}
