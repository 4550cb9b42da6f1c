/**
 * Getting in and out of the newsroom: the first admin (only while the site has
 * no user), log in and out, accepting an invitation, a password reset link,
 * and the signed-in person's own account (password, log out everywhere).
 * Public routes carry `config: { public: true }`: the face's hook lets them
 * through without a session, and checks their pre-session CSRF token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountProblem } from '../accounts/account.js';
import { AppError } from '../lib/errors.js';
import { ipOf, type Newsroom, render, signedIn } from './context.js';
import { clearSessionCookie, setSessionCookie } from './session.js';
import {
  renderAcceptInvitation,
  renderAccount,
  renderBadLink,
  renderLogin,
  renderResetPassword,
  renderSetup,
} from './views/auth.view.js';

type Form = { Body: Record<string, string | undefined> };
const PUBLIC = { config: { public: true } } as const;

/** Where to go after logging in: a newsroom page, never another site. */
export function nextPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[\w\-/?=&%.]*)?$/.test(value) && !value.includes('//')
    ? value
    : '/admin';
}

/** An account service's problems, by form field. */
function fieldErrors(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof AppError) || err.code !== 'INVALID_ACCOUNT') return undefined;
  const problems = (err.details as { problems?: AccountProblem[] } | undefined)?.problems ?? [];
  return Object.fromEntries(problems.map((p) => [p.field, p.problem]));
}

const badLink: Partial<Record<string, string>> = {
  TOKEN_INVALID: 'It is not a link this site sent, or it was withdrawn.',
  TOKEN_USED: 'It has been used already.',
  TOKEN_EXPIRED: 'It has expired. Ask an administrator for a new one.',
};

export async function authRoutes(app: FastifyInstance, nr: Newsroom): Promise<void> {
  const { accounts } = nr;
  const form = (request: FastifyRequest) => request.body as Record<string, string | undefined>;

  async function linkError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
    const text = err instanceof AppError ? badLink[err.code] : undefined;
    if (!text) throw err;
    return render(nr, request, reply, renderBadLink(text), { title: 'Link', statusCode: (err as AppError).statusCode });
  }

  app.get('/setup', PUBLIC, async (request, reply) => {
    if (await accounts.hasUsers()) return reply.redirect('/admin/login', 303);
    return render(nr, request, reply, renderSetup({ csrf: request.caller.csrf, values: {}, errors: {} }), {
      title: 'Set up',
    });
  });

  app.post<Form>('/setup', PUBLIC, async (request, reply) => {
    const { name = '', email = '', password = '' } = form(request);
    try {
      await accounts.createFirstAdmin({ name, email, password }, ipOf(request));
      const { token } = await accounts.login({ email, password, ...ipOf(request) });
      setSessionCookie(reply, token, nr.secure);
      return reply.redirect('/admin', 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'ACCOUNTS_ALREADY_SET_UP') return reply.redirect('/admin/login', 303);
      const errors = fieldErrors(err);
      if (!errors) throw err;
      const vm = { csrf: request.caller.csrf, values: { name, email }, errors };
      return render(nr, request, reply, renderSetup(vm), { title: 'Set up', statusCode: 422 });
    }
  });

  app.get<{ Querystring: { next?: string } }>('/login', PUBLIC, async (request, reply) => {
    if (request.caller.session) return reply.redirect(nextPath(request.query.next), 303);
    if (!(await accounts.hasUsers())) return reply.redirect('/admin/setup', 303);
    const vm = { csrf: request.caller.csrf, values: {}, errors: {}, next: nextPath(request.query.next) };
    return render(nr, request, reply, renderLogin(vm), { title: 'Log in' });
  });

  app.post<Form>('/login', PUBLIC, async (request, reply) => {
    const { email = '', password = '', next } = form(request);
    try {
      const { token } = await accounts.login({ email, password, ...ipOf(request) });
      setSessionCookie(reply, token, nr.secure);
      return reply.redirect(nextPath(next), 303);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'LOGIN_FAILED' && err.code !== 'LOGIN_THROTTLED')) throw err;
      const throttled = err.code === 'LOGIN_THROTTLED';
      const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
      if (throttled && retryAfter) reply.header('retry-after', String(retryAfter));
      const message = throttled
        ? `Too many attempts. Try again in ${Math.ceil((retryAfter ?? 60) / 60)} minutes.`
        : 'That email and password do not match an account.';
      const vm = { csrf: request.caller.csrf, values: { email }, errors: { email: message }, next: nextPath(next) };
      return render(nr, request, reply, renderLogin(vm), { title: 'Log in', statusCode: err.statusCode });
    }
  });

  app.post('/logout', PUBLIC, async (request, reply) => {
    const { token } = request.caller;
    if (token) await accounts.logout(token, ipOf(request));
    clearSessionCookie(reply, nr.secure);
    return reply.redirect('/admin/login', 303);
  });

  app.get<{ Params: { token: string } }>('/invitations/:token', PUBLIC, async (request, reply) => {
    try {
      const invitation = await accounts.invitation(request.params.token);
      const vm = { csrf: request.caller.csrf, values: {}, errors: {}, token: request.params.token, ...invitation };
      return render(nr, request, reply, renderAcceptInvitation(vm), { title: 'Join' });
    } catch (err) {
      return linkError(request, reply, err);
    }
  });

  app.post<Form & { Params: { token: string } }>('/invitations/:token', PUBLIC, async (request, reply) => {
    const { name = '', password = '' } = form(request);
    try {
      const user = await accounts.acceptInvitation(request.params.token, { name, password }, ipOf(request));
      const { token } = await accounts.login({ email: user.email, password, ...ipOf(request) });
      setSessionCookie(reply, token, nr.secure);
      return reply.redirect('/admin', 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) return linkError(request, reply, err);
      const invitation = await accounts.invitation(request.params.token);
      const vm = { csrf: request.caller.csrf, values: { name }, errors, token: request.params.token, ...invitation };
      return render(nr, request, reply, renderAcceptInvitation(vm), { title: 'Join', statusCode: 422 });
    }
  });

  app.get<{ Querystring: { token?: string } }>('/reset-password', PUBLIC, async (request, reply) => {
    const vm = { csrf: request.caller.csrf, values: {}, errors: {}, token: request.query.token ?? '' };
    return render(nr, request, reply, renderResetPassword(vm), { title: 'New password' });
  });

  app.post<Form>('/reset-password', PUBLIC, async (request, reply) => {
    const { token = '', password = '' } = form(request);
    try {
      await accounts.resetPasswordWithToken(token, password, ipOf(request));
      return reply.redirect('/admin/login', 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) return linkError(request, reply, err);
      const vm = { csrf: request.caller.csrf, values: {}, errors, token };
      return render(nr, request, reply, renderResetPassword(vm), { title: 'New password', statusCode: 422 });
    }
  });

  const account = (request: FastifyRequest, errors: Record<string, string> = {}) => {
    const { user } = signedIn(request);
    return renderAccount({ csrf: request.caller.csrf, values: {}, errors, ...user });
  };

  app.get('/account', async (request, reply) =>
    render(nr, request, reply, account(request), { title: 'Your account', current: '/admin/account' }),
  );

  app.post<Form>('/account/password', async (request, reply) => {
    const { current = '', password = '' } = form(request);
    try {
      await accounts.changePassword(signedIn(request), current, password, ipOf(request));
      return render(nr, request, reply, account(request), {
        title: 'Your account',
        current: '/admin/account',
        flash: [{ kind: 'ok', text: 'Your password was changed. Your other sessions have ended.' }],
      });
    } catch (err) {
      const errors =
        err instanceof AppError && err.code === 'WRONG_PASSWORD'
          ? { current: 'That is not your current password' }
          : fieldErrors(err);
      if (!errors) throw err;
      return render(nr, request, reply, account(request, errors), {
        title: 'Your account',
        current: '/admin/account',
        statusCode: 422,
      });
    }
  });

  app.post('/account/logout-everywhere', async (request, reply) => {
    const { user } = signedIn(request);
    await accounts.logoutEverywhere(user, user.id, ipOf(request));
    clearSessionCookie(reply, nr.secure);
    return reply.redirect('/admin/login', 303);
  });
}
