/**
 * Live coverage in the newsroom: the list of coverages, starting one, and a
 * coverage's desk with the compact composer (type, then Post) and each
 * entry's actions (approve, pin, key event, correct, delete, break out).
 * Thin: the policy and the rules are the live service's; forms carry the
 * CSRF token the face checks; each change is audit-logged by the service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../accounts/policy.js';
import { AppError } from '../lib/errors.js';
import type { CoverageStatus } from '../live/live.js';
import type { LiveActor, LiveService } from '../live/live.service.js';
import { readBody } from './article-form.js';
import { idParams, type Newsroom, render, signedIn } from './context.js';
import { coverageDesk, coverageList } from './views/live.view.js';

type Form = { Body: Record<string, string | undefined> };
type IdForm = Form & { Params: { id: number } };

export interface LiveRoutesDeps {
  live: LiveService;
}

export async function liveRoutes(app: FastifyInstance, nr: Newsroom & LiveRoutesDeps): Promise<void> {
  const { live } = nr;
  const actor = (request: FastifyRequest): LiveActor => {
    const { id, role, active, name } = signedIn(request).user;
    return { id, role, active, name };
  };

  app.get('/live', async (request, reply) => {
    const user = actor(request);
    if (!can(user, 'live.post')) throw new AppError('FORBIDDEN', 'Your role does not allow this');
    const main = coverageList(await live.coverages(), request.caller.csrf, can(user, 'live.manage'));
    return render(nr, request, reply, main, { title: 'Live coverage', current: '/admin/live' });
  });

  app.post<Form>('/live', async (request, reply) => {
    const form = request.body ?? {};
    const articleId = Number.parseInt(form.articleId ?? '', 10);
    const c = await live.createCoverage(
      {
        headline: form.headline ?? '',
        standfirst: form.standfirst ?? '',
        ...(articleId > 0 && articleId < 2 ** 31 ? { articleId } : {}),
      },
      actor(request),
    );
    return reply.redirect(`/admin/live/${c.id}`, 303);
  });

  async function deskPage(request: FastifyRequest, reply: FastifyReply, id: number, typed?: string, error?: AppError) {
    const user = actor(request);
    const coverage = await live.coverage(id);
    if (!coverage || !can(user, 'live.post')) throw new AppError('LIVE_COVERAGE_NOT_FOUND', 'no such coverage');
    const main = coverageDesk({
      coverage,
      entries: await live.desk(id),
      csrf: request.caller.csrf,
      canManage: can(user, 'live.manage'),
      ...(typed !== undefined ? { typed } : {}),
      ...(error ? { error: error.message } : {}),
    });
    return render(nr, request, reply, main, {
      title: coverage.headline,
      current: '/admin/live',
      statusCode: error?.statusCode ?? 200,
    });
  }

  app.get<IdForm>('/live/:id', idParams, async (request, reply) => deskPage(request, reply, request.params.id));

  app.post<IdForm>('/live/:id/entries', idParams, async (request, reply) => {
    const form = request.body ?? {};
    try {
      await live.post(
        request.params.id,
        { body: readBody(form, { bodyFromDoc: nr.documents.fromDoc }) },
        actor(request),
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500 || err.code === 'LIVE_COVERAGE_NOT_FOUND') throw err;
      // What was typed is shown again: nothing is lost to a refused post.
      return deskPage(request, reply, request.params.id, form.body_text ?? '', err);
    }
    return reply.redirect(`/admin/live/${request.params.id}`, 303);
  });

  app.post<IdForm>('/live/:id/status', idParams, async (request, reply) => {
    await live.setStatus(request.params.id, (request.body?.status ?? '') as CoverageStatus, actor(request));
    return reply.redirect(`/admin/live/${request.params.id}`, 303);
  });

  /** An entry's action, then back to its coverage's desk at the entry. */
  const entryAction = (
    path: string,
    act: (id: number, form: Record<string, string | undefined>, who: LiveActor) => Promise<unknown>,
  ) =>
    app.post<IdForm>(`/live/entries/:id/${path}`, idParams, async (request, reply) => {
      const entry = await live.entry(request.params.id);
      if (!entry) throw new AppError('LIVE_ENTRY_NOT_FOUND', 'no such entry');
      await act(request.params.id, request.body ?? {}, actor(request));
      return reply.redirect(`/admin/live/${entry.coverageId}#entry-${entry.id}`, 303);
    });

  entryAction('approve', (id, _f, who) => live.approve(id, who));
  entryAction('pin', (id, f, who) => live.pin(id, f.pinned === '1', who));
  entryAction('key', (id, f, who) => live.keyEvent(id, f.label?.trim() ? f.label : null, who));
  entryAction('correct', (id, f, who) =>
    live.correct(id, { body: readBody(f, { bodyFromDoc: nr.documents.fromDoc }), note: f.note ?? '' }, who),
  );
  entryAction('delete', (id, _f, who) => live.remove(id, who));
  entryAction('breakout', (id, f, who) =>
    live.breakOut(id, { headline: f.headline ?? '', section: f.section ?? '' }, who),
  );
}
