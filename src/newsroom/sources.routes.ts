/**
 * For editors and admins: feed sources — the list with each source's status,
 * the form that adds one, removal. Every change is in the audit log (by the
 * sources service, in its transaction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import { AppError } from '../lib/errors.js';
import { formatInterval, parseInterval, type SourceMode } from '../sources/source.js';
import type { SourceProblem, SourcesService } from '../sources/sources.service.js';
import { idParams, ipOf, type Newsroom, render, signedIn } from './context.js';
import { renderSources, type SourceFormVM } from './views/sources.view.js';

export interface SourcesDeps {
  sources: SourcesService;
  taxonomy: { sections(): Promise<{ name: string }[]> };
}

type Form = { Body: Record<string, string | undefined> };
type Id = { Params: { id: number } };

const EMPTY: SourceFormVM = {
  url: '',
  section: '',
  mode: 'draft',
  interval: '15m',
  name: '',
  licence: '',
  attribution: '',
  errors: {},
};

export async function sourceRoutes(app: FastifyInstance, nr: Newsroom & SourcesDeps): Promise<void> {
  const editor = (request: FastifyRequest) => {
    const { user } = signedIn(request);
    authorize(user, 'sources.manage');
    return user;
  };
  const time = (d: Date) => ({ iso: d.toISOString(), text: nr.clock.format(d) });

  async function listPage(request: FastifyRequest, reply: FastifyReply, form = EMPTY, statusCode = 200) {
    const [sources, sections] = await Promise.all([nr.sources.list(), nr.taxonomy.sections()]);
    const main = renderSources({
      csrf: request.caller.csrf,
      sections: sections.map((s) => s.name),
      form,
      rows: sources.map((s) => ({
        id: s.id,
        name: s.name,
        url: s.url,
        format: s.format ?? '—',
        section: s.section,
        mode: s.mode === 'publish' ? 'Publish' : 'Draft',
        interval: formatInterval(s.intervalSeconds),
        health: s.status.lastError ? 'failing' : s.status.lastSuccessAt ? 'ok' : 'new',
        ...(s.status.lastError ? { lastError: s.status.lastError } : {}),
        failures: s.status.consecutiveFailures,
        ...(s.status.lastSuccessAt ? { lastSuccess: time(s.status.lastSuccessAt) } : {}),
        nextPoll: time(s.status.nextPollAt),
        seen: s.status.itemsSeen,
        created: s.status.itemsCreated,
        updated: s.status.itemsUpdated,
        removeAction: `/admin/sources/${s.id}/delete`,
      })),
    });
    return render(nr, request, reply, main, { title: 'Feed sources', current: '/admin/sources', statusCode });
  }

  app.get('/sources', async (request, reply) => {
    editor(request);
    return listPage(request, reply);
  });

  app.post<Form>('/sources', async (request, reply) => {
    const user = editor(request);
    const b = request.body;
    const form: SourceFormVM = {
      url: b.url ?? '',
      section: b.section ?? '',
      mode: b.mode ?? '',
      interval: b.interval ?? '',
      name: b.name ?? '',
      licence: b.licence ?? '',
      attribution: b.attribution ?? '',
      errors: {},
    };
    const intervalSeconds = form.interval.trim() === '' ? undefined : (parseInterval(form.interval) ?? -1);
    try {
      await nr.sources.add(
        {
          url: form.url,
          section: form.section,
          mode: form.mode as SourceMode,
          ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
          name: form.name,
          licence: form.licence,
          attribution: form.attribution,
        },
        { userId: user.id, ...ipOf(request) },
      );
      return reply.redirect('/admin/sources', 303);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'INVALID_SOURCE' && err.code !== 'SOURCE_EXISTS')) throw err;
      const problems =
        err.code === 'SOURCE_EXISTS'
          ? [{ field: 'url', problem: 'A source with this address exists' }]
          : (err.details as { problems: SourceProblem[] }).problems;
      const errors = Object.fromEntries(problems.map((p) => [p.field, p.problem]));
      return listPage(request, reply, { ...form, errors }, err.statusCode);
    }
  });

  app.post<Id>('/sources/:id/delete', idParams, async (request, reply) => {
    const user = editor(request);
    await nr.sources.remove(request.params.id, { userId: user.id, ...ipOf(request) });
    return reply.redirect('/admin/sources', 303);
  });
}
