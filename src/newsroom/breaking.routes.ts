/**
 * Breaking news in the newsroom: `/admin/breaking` shows the flag showing
 * now and the recent ones, flags an article or a live entry for a time box,
 * and ends a flag early. Thin: the policy (`breaking.flag`, the desk's), the
 * rules and the audit entry are the breaking service's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../accounts/policy.js';
import type { BreakingService } from '../breaking/breaking.service.js';
import { AppError } from '../lib/errors.js';
import { idParams, type Newsroom, render, signedIn } from './context.js';
import { breakingPage } from './views/breaking.view.js';

type Form = { Body: Record<string, string | undefined> };

export interface BreakingRoutesDeps {
  breaking: BreakingService;
}

const int = (text: string | undefined) => (/^\d{1,9}$/.test(text?.trim() ?? '') ? Number(text) : Number.NaN);

export async function breakingRoutes(app: FastifyInstance, nr: Newsroom & BreakingRoutesDeps): Promise<void> {
  const { breaking } = nr;
  const user = (request: FastifyRequest) => {
    const u = signedIn(request).user;
    if (!can(u, 'breaking.flag')) throw new AppError('FORBIDDEN', 'Your role does not allow this');
    return u;
  };

  async function page(request: FastifyRequest, reply: FastifyReply, form?: Form['Body'], error?: AppError) {
    const main = breakingPage({
      showing: breaking.current(),
      recent: await breaking.recent(),
      csrf: request.caller.csrf,
      now: new Date(),
      ...(error ? { error: error.message, typed: form ?? {} } : {}),
    });
    return render(nr, request, reply, main, {
      title: 'Breaking news',
      current: '/admin/breaking',
      statusCode: error?.statusCode ?? 200,
    });
  }

  app.get('/breaking', async (request, reply) => {
    user(request);
    return page(request, reply);
  });

  app.post<Form>('/breaking', async (request, reply) => {
    const who = user(request);
    const form = request.body ?? {};
    const id = int(form.target);
    try {
      if (!(id > 0))
        throw new AppError('INVALID_BREAKING', 'Give the id of an article or a live entry', { field: 'target' });
      await breaking.flag(
        {
          target: { kind: form.kind === 'entry' ? 'entry' : 'article', id },
          headline: form.headline ?? '',
          minutes: int(form.minutes),
        },
        who,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'INVALID_BREAKING') throw err;
      return page(request, reply, form, err);
    }
    return reply.redirect('/admin/breaking', 303);
  });

  app.post<{ Params: { id: number } }>('/breaking/:id/end', idParams, async (request, reply) => {
    await breaking.end(request.params.id, user(request));
    return reply.redirect('/admin/breaking', 303);
  });
}
