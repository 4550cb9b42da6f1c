/**
 * For admins: webhooks — the list and the form that adds one, each webhook's
 * page (its secret, its recent deliveries with their outcome), removal. Every
 * change is in the audit log (by the webhooks service, in its transaction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../accounts/policy.js';
import { AppError } from '../lib/errors.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook.js';
import type { WebhookProblem, WebhooksService } from '../webhooks/webhooks.service.js';
import { idParams, ipOf, type Newsroom, render, signedIn } from './context.js';
import { renderWebhook, renderWebhooks } from './views/webhooks.view.js';

export interface WebhooksDeps {
  webhooks: WebhooksService;
}

type Form = { Body: Record<string, string | undefined> };
type Id = { Params: { id: number }; Querystring: { created?: string } };

const LABELS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  'article.published': 'An article is published',
  'article.updated': 'A published article is updated',
  'article.unpublished': 'An article is unpublished or archived',
};
/** One field per event: the form parser keeps one value per name. */
const fieldOf = (event: string) => `event-${event.split('.')[1]}`;

export async function webhookRoutes(app: FastifyInstance, nr: Newsroom & WebhooksDeps): Promise<void> {
  const admin = (request: FastifyRequest) => {
    const { user } = signedIn(request);
    authorize(user, 'webhooks.manage');
    return user;
  };
  const time = (d: Date) => ({ iso: d.toISOString(), text: nr.clock.format(d) });

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { url: string; events: readonly string[]; errors: Record<string, string> } = {
      url: '',
      events: WEBHOOK_EVENTS,
      errors: {},
    },
    statusCode = 200,
  ) {
    const hooks = await nr.webhooks.list();
    const main = renderWebhooks({
      csrf: request.caller.csrf,
      rows: hooks.map((h) => ({
        href: `/admin/webhooks/${h.id}`,
        url: h.url,
        events: h.events.join(', '),
        created: time(h.createdAt),
      })),
      form: {
        url: form.url,
        errors: form.errors,
        events: WEBHOOK_EVENTS.map((e) => ({
          name: fieldOf(e),
          value: e,
          label: LABELS[e],
          checked: form.events.includes(e),
        })),
      },
    });
    return render(nr, request, reply, main, { title: 'Webhooks', current: '/admin/webhooks', statusCode });
  }

  app.get('/webhooks', async (request, reply) => {
    admin(request);
    return listPage(request, reply);
  });

  app.post<Form>('/webhooks', async (request, reply) => {
    const user = admin(request);
    const url = request.body.url ?? '';
    const events = WEBHOOK_EVENTS.filter((e) => request.body[fieldOf(e)] === e);
    try {
      const hook = await nr.webhooks.create({ url, events }, { userId: user.id, ...ipOf(request) });
      return reply.redirect(`/admin/webhooks/${hook.id}?created=1`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'INVALID_WEBHOOK') throw err;
      const problems = (err.details as { problems: WebhookProblem[] }).problems;
      const errors = Object.fromEntries(problems.map((p) => [p.field, p.problem]));
      return listPage(request, reply, { url, events, errors }, 422);
    }
  });

  app.get<Id>('/webhooks/:id', idParams, async (request, reply) => {
    admin(request);
    const hook = await nr.webhooks.find(request.params.id);
    const deliveries = await nr.webhooks.deliveries(hook.id);
    const main = renderWebhook({
      csrf: request.caller.csrf,
      id: hook.id,
      url: hook.url,
      events: hook.events.join(', '),
      secret: hook.secret,
      created: request.query.created === '1',
      deliveries: deliveries.map((d) => ({
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        response: d.responseStatus === undefined ? '—' : `HTTP ${d.responseStatus}`,
        error: d.lastError ?? '',
        created: time(d.createdAt),
        ...(d.lastAttemptAt ? { last: time(d.lastAttemptAt) } : {}),
      })),
    });
    return render(nr, request, reply, main, { title: 'Webhook', current: '/admin/webhooks' });
  });

  app.post<Id>('/webhooks/:id/delete', idParams, async (request, reply) => {
    const user = admin(request);
    await nr.webhooks.remove(request.params.id, { userId: user.id, ...ipOf(request) });
    return reply.redirect('/admin/webhooks', 303);
  });
}
