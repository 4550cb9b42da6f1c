/**
 * The newsroom's pages for people on their way in: setting up the first
 * admin, logging in, accepting an invitation, choosing a new password; and
 * the signed-in person's own account page.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { csrfField, errorSummary, hidden, textField } from './fields.js';

export interface AuthFormVM {
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

const passwordHint = 'At least 10 characters. A few unrelated words make a good one.';

export function renderSetup(vm: AuthFormVM): SafeHtml {
  return html`<h1>Set up the newsroom</h1>
<p>This site has no users yet. The first account is its administrator.</p>
<form method="post" action="/admin/setup" class="narrow">
${errorSummary(vm.errors)}${csrfField(vm.csrf)}
${textField({ name: 'name', label: 'Your name', value: vm.values.name, error: vm.errors.name, required: true, maxlength: 200, autocomplete: 'name' })}
${textField({ name: 'email', label: 'Email', type: 'email', value: vm.values.email, error: vm.errors.email, required: true, maxlength: 320, autocomplete: 'email' })}
${textField({ name: 'password', label: 'Password', type: 'password', error: vm.errors.password, required: true, maxlength: 1000, autocomplete: 'new-password', hint: passwordHint })}
<button type="submit" class="primary">Create the administrator</button>
</form>`;
}

export function renderLogin(vm: AuthFormVM & { next: string }): SafeHtml {
  return html`<h1>Log in</h1>
<form method="post" action="/admin/login" class="narrow">
${errorSummary(vm.errors)}${csrfField(vm.csrf)}${hidden('next', vm.next)}
${textField({ name: 'email', label: 'Email', type: 'email', value: vm.values.email, error: vm.errors.email, required: true, maxlength: 320, autocomplete: 'username' })}
${textField({ name: 'password', label: 'Password', type: 'password', error: vm.errors.password, required: true, maxlength: 1000, autocomplete: 'current-password' })}
<button type="submit" class="primary">Log in</button>
</form>`;
}

export function renderAcceptInvitation(vm: AuthFormVM & { token: string; email: string; role: string }): SafeHtml {
  return html`<h1>Join the newsroom</h1>
<p>You were invited as <strong>${vm.role}</strong> with the address <strong>${vm.email}</strong>.</p>
<form method="post" action="/admin/invitations/${vm.token}" class="narrow">
${errorSummary(vm.errors)}${csrfField(vm.csrf)}
${textField({ name: 'name', label: 'Your name', value: vm.values.name, error: vm.errors.name, required: true, maxlength: 200, autocomplete: 'name' })}
${textField({ name: 'password', label: 'Password', type: 'password', error: vm.errors.password, required: true, maxlength: 1000, autocomplete: 'new-password', hint: passwordHint })}
<button type="submit" class="primary">Create my account</button>
</form>`;
}

export function renderResetPassword(vm: AuthFormVM & { token: string }): SafeHtml {
  return html`<h1>Choose a new password</h1>
<form method="post" action="/admin/reset-password" class="narrow">
${errorSummary(vm.errors)}${csrfField(vm.csrf)}${hidden('token', vm.token)}
${textField({ name: 'password', label: 'New password', type: 'password', error: vm.errors.password, required: true, maxlength: 1000, autocomplete: 'new-password', hint: passwordHint })}
<button type="submit" class="primary">Set the password</button>
</form>`;
}

/** A token link that cannot be used (unknown, used or expired): said plainly. */
export function renderBadLink(text: string): SafeHtml {
  return html`<h1>This link cannot be used</h1>
<p>${text}</p>
<p><a href="/admin/login">Log in</a></p>`;
}

export function renderAccount(vm: AuthFormVM & { name: string; email: string; role: string }): SafeHtml {
  return html`<h1>Your account</h1>
<p>${vm.name} · ${vm.email} · ${vm.role}</p>
<form method="post" action="/admin/account/password" class="narrow">
<h2>Change your password</h2>
${errorSummary(vm.errors)}${csrfField(vm.csrf)}
${textField({ name: 'current', label: 'Current password', type: 'password', error: vm.errors.current, required: true, maxlength: 1000, autocomplete: 'current-password' })}
${textField({ name: 'password', label: 'New password', type: 'password', error: vm.errors.password, required: true, maxlength: 1000, autocomplete: 'new-password', hint: passwordHint })}
<button type="submit">Change the password</button>
</form>
<form method="post" action="/admin/account/logout-everywhere" class="narrow">
<h2>Sessions</h2>
<p>Log out on every device and browser, this one included.</p>
${csrfField(vm.csrf)}
<button type="submit">Log out everywhere</button>
</form>`;
}
