/**
 * People, for admins: the users and their roles, invitations (a single-use
 * link, shown once), role changes, deactivation, a password-reset link.
 * The accounts service checks `users.manage` again, and refuses to leave the
 * site without an admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../accounts/account.js';
import { authorize } from '../accounts/policy.js';
import { AppError } from '../lib/errors.js';
import { html, type SafeHtml } from '../lib/html.js';
import { idParams, ipOf, type Newsroom, render, signedIn } from './context.js';
import { actionButton, csrfField, select, textField } from './views/fields.js';

type Form = { Body: Record<string, string | undefined> };
type IdForm = Form & { Params: { id: number } };

const roleOptions = ROLES.map((r) => ({ value: r, label: r }));

export async function peopleRoutes(app: FastifyInstance, nr: Newsroom): Promise<void> {
  const { accounts } = nr;
  const manager = (request: FastifyRequest) => {
    const { user } = signedIn(request);
    authorize(user, 'users.manage');
    return user;
  };

  async function page(request: FastifyRequest, reply: FastifyReply, notice?: SafeHtml, statusCode = 200) {
    const csrf = request.caller.csrf;
    const [users, invitations] = await Promise.all([accounts.listUsers(), accounts.listInvitations()]);
    const rows = users.map(
      (u) => html`<tr>
<th scope="row">${u.name}</th><td>${u.email}</td>
<td><form class="inline" method="post" action="/admin/users/${u.id}/role">${csrfField(csrf)}${select({ name: 'role', id: `f-role-${u.id}`, label: `Role of ${u.name}`, value: u.role, options: roleOptions })}<button type="submit">Change</button></form></td>
<td>${u.active ? 'Active' : 'Deactivated'}</td>
<td>${u.active ? actionButton(`/admin/users/${u.id}/deactivate`, 'Deactivate', csrf) : actionButton(`/admin/users/${u.id}/reactivate`, 'Reactivate', csrf)}
${actionButton(`/admin/users/${u.id}/reset`, 'Password reset link', csrf)}</td>
</tr>`,
    );
    const pending = invitations
      .filter((i) => !i.acceptedAt)
      .map(
        (i) =>
          html`<li>${i.email} as ${i.role}, until ${nr.clock.format(i.expiresAt)} ${actionButton(`/admin/invitations/${i.id}/revoke`, 'Withdraw', csrf)}</li>`,
      );
    const main = html`<h1>People</h1>
${notice ?? ''}
<table><caption class="visually-hidden">Users</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Invite someone</h2>
<form method="post" action="/admin/users/invite" class="narrow">${csrfField(csrf)}
${textField({ name: 'email', label: 'Email', type: 'email', required: true, maxlength: 320 })}
${select({ name: 'role', label: 'Role', value: 'author', options: roleOptions })}
<button type="submit" class="primary">Create the invitation</button></form>
${pending.length ? html`<h2>Pending invitations</h2><ul>${pending}</ul>` : ''}`;
    return render(nr, request, reply, main, { title: 'People', current: '/admin/users', statusCode });
  }

  const link = (path: string, token: string) => `${nr.config.siteUrl}${path}${token}`;
  const shown = (text: string, url: string) =>
    html`<div class="flash flash-ok" role="status"><p>${text}</p><p><code>${url}</code></p><p>Copy it now: it is not shown again.</p></div>`;
  const refused = (err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    const words: Partial<Record<string, string>> = {
      EMAIL_TAKEN: 'Someone already has that email.',
      LAST_ADMIN: 'The site needs at least one active administrator.',
      INVALID_ACCOUNT: `That cannot be used: ${err.message}.`,
      USER_NOT_FOUND: 'There is no such user.',
    };
    const text = words[err.code];
    if (!text) throw err;
    return html`<div class="flash flash-error" role="alert"><p>${text}</p></div>`;
  };

  app.get('/users', async (request, reply) => {
    manager(request);
    return page(request, reply);
  });

  app.post<Form>('/users/invite', async (request, reply) => {
    const user = manager(request);
    try {
      const role = (ROLES as readonly string[]).includes(request.body.role ?? '')
        ? (request.body.role as Role)
        : 'author';
      const { token } = await accounts.invite(user, { email: request.body.email ?? '', role }, ipOf(request));
      return page(request, reply, shown('The invitation link:', link('/admin/invitations/', token)));
    } catch (err) {
      return page(request, reply, refused(err), (err as AppError).statusCode);
    }
  });

  app.post<IdForm>('/users/:id/role', idParams, async (request, reply) => {
    const user = manager(request);
    const role = request.body.role ?? '';
    try {
      if (!(ROLES as readonly string[]).includes(role)) throw new AppError('INVALID_ACCOUNT', 'not a role');
      await accounts.changeRole(user, request.params.id, role as Role, ipOf(request));
      return reply.redirect('/admin/users', 303);
    } catch (err) {
      return page(request, reply, refused(err), (err as AppError).statusCode);
    }
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post<IdForm>(`/users/:id/${action}`, idParams, async (request, reply) => {
      const user = manager(request);
      try {
        await accounts[action](user, request.params.id, ipOf(request));
        return reply.redirect('/admin/users', 303);
      } catch (err) {
        return page(request, reply, refused(err), (err as AppError).statusCode);
      }
    });
  }

  app.post<IdForm>('/users/:id/reset', idParams, async (request, reply) => {
    const user = manager(request);
    try {
      const target = await accounts.getUser(request.params.id);
      if (!target) throw new AppError('USER_NOT_FOUND', 'no such user');
      const { token } = await accounts.createPasswordReset(user, target.email, ipOf(request));
      return page(
        request,
        reply,
        shown(
          `A password reset link for ${target.name}, valid for an hour:`,
          link('/admin/reset-password?token=', token),
        ),
      );
    } catch (err) {
      return page(request, reply, refused(err), (err as AppError).statusCode);
    }
  });

  app.post<IdForm>('/invitations/:id/revoke', idParams, async (request, reply) => {
    await accounts.revokeInvitation(manager(request), request.params.id);
    return reply.redirect('/admin/users', 303);
  });
}
