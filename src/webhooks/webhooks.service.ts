/**
 * Webhooks without HTTP of their own: admins' registrations (each with its own
 * secret, every change in the audit log), and the jobs that deliver article
 * events to them.
 *
 * Delivery is durable and at least once: the event bus queues a fan-out job
 * in the transaction that published the article; the fan-out stores one
 * delivery per subscribed webhook (unique per event job, so a second run adds
 * none) and queues a job for each, in one transaction; each delivery job
 * POSTs the signed body through the outbound HTTP client (private addresses
 * refused unless WEBHOOK_ALLOW_HOSTS names the host) and, on anything but a
 * 2xx, records the outcome and fails, so the queue retries it with backoff.
 *
 * @example
 *   const webhooks = createWebhooksService({ database, audit });
 *   registerWebhookJobs({ events, jobs, database, http, articleUrl, log });
 *   const hook = await webhooks.create({ url: 'https://hooks.example/in', events: ['article.published'] }, { userId: 1 });
 *   hook.secret; // 'whsec_…': shown to the admin, who gives it to the receiver
 */
import type { ArticleSummary } from '../articles/article.js';
import { findArticleById } from '../articles/article.repository.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobLogger, JobQueue } from '../jobs/jobs.js';
import { AppError } from '../lib/errors.js';
import type { HttpClient } from '../net/http-client.js';
import {
  type Delivery,
  isWebhookEvent,
  newSecret,
  SIGNATURE_HEADER,
  signatureHeader,
  urlProblem,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
} from './webhook.js';
import {
  deleteWebhook,
  findDeliveryToSend,
  findWebhook,
  insertDeliveries,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  recordAttempt,
} from './webhook.repository.js';

export const FANOUT_JOB = 'webhooks-fanout';
export const DELIVER_JOB = 'webhook-deliver';
/** Retries after the first attempt: with the queue's backoff (2 s doubling), about half an hour in all. */
export const DELIVERY_RETRIES = 10;
const DELIVERY_TIMEOUT_MS = 10_000;
/** The receiver's answer is not read beyond its status: a little is enough. */
const RESPONSE_MAX_BYTES = 64 * 1024;
const ERROR_MAX = 500;

export interface Actor {
  userId: number;
  ip?: string;
}

export interface WebhookProblem {
  field: 'url' | 'events';
  problem: string;
}

export interface WebhooksService {
  /** Registers an address; throws INVALID_WEBHOOK (`details.problems`) for a bad address or no known event. */
  create(input: { url: string; events: readonly string[] }, by: Actor): Promise<Webhook>;
  /** Throws WEBHOOK_NOT_FOUND. */
  remove(id: number, by: Actor): Promise<void>;
  list(): Promise<Webhook[]>;
  /** Throws WEBHOOK_NOT_FOUND. */
  find(id: number): Promise<Webhook>;
  /** Newest first. */
  deliveries(webhookId: number, limit?: number): Promise<Delivery[]>;
}

export function createWebhooksService(deps: { database: Database; audit: AuditLog }): WebhooksService {
  const { db } = deps.database;
  const audit = (trx: typeof db, by: Actor, action: string, id: number, detail?: Record<string, unknown>) =>
    deps.audit.record(trx, {
      actorId: by.userId,
      action,
      subject: `webhook:${id}`,
      ...(detail ? { detail } : {}),
      ...(by.ip ? { ip: by.ip } : {}),
    });

  const service: WebhooksService = {
    async create(input, by) {
      const url = input.url.trim();
      const events = WEBHOOK_EVENTS.filter((e) => input.events.includes(e));
      const problems: WebhookProblem[] = [];
      const bad = urlProblem(url);
      if (bad) problems.push({ field: 'url', problem: `The address ${bad}` });
      if (events.length === 0 || input.events.some((e) => !isWebhookEvent(e)))
        problems.push({ field: 'events', problem: 'Choose at least one of the events listed' });
      if (problems.length) throw new AppError('INVALID_WEBHOOK', 'This webhook cannot be used', { problems });
      const id = await db.transaction().execute(async (trx) => {
        const id = await insertWebhook(trx, { url, events, secret: newSecret(), createdBy: by.userId, at: new Date() });
        // The secret is not logged: the audit log is read by every admin, for as long as it is kept.
        await audit(trx, by, 'webhook.created', id, { url, events });
        return id;
      });
      return service.find(id);
    },

    async remove(id, by) {
      await db.transaction().execute(async (trx) => {
        const hook = await findWebhook(trx, id);
        if (!hook || !(await deleteWebhook(trx, id))) throw new AppError('WEBHOOK_NOT_FOUND', 'No such webhook');
        await audit(trx, by, 'webhook.deleted', id, { url: hook.url });
      });
    },

    list: () => listWebhooks(db),

    async find(id) {
      const hook = await findWebhook(db, id);
      if (!hook) throw new AppError('WEBHOOK_NOT_FOUND', 'No such webhook');
      return hook;
    },

    deliveries: (webhookId, limit = 50) => listDeliveries(db, webhookId, limit),
  };
  return service;
}

export interface WebhookJobsDeps {
  events: EventBus;
  jobs: JobQueue;
  database: Database;
  http: HttpClient;
  /** The article's public address. */
  articleUrl(article: Pick<ArticleSummary, 'slug' | 'section' | 'publishedAt'>): string;
  log: JobLogger;
}

/** The body of one event, the same for every webhook and every attempt. */
async function eventBody(deps: WebhookJobsDeps, event: WebhookEvent, articleId: number, eventId: string) {
  const article = event === 'article.unpublished' ? undefined : await findArticleById(deps.database.db, articleId);
  // An article withdrawn again before its event was handled is told by its id alone, like an unpublished one.
  const visible =
    article?.status === 'published' && article.publishedAt
      ? { ...article, publishedAt: article.publishedAt }
      : undefined;
  return JSON.stringify({
    event,
    eventId,
    createdAt: new Date().toISOString(),
    article: visible
      ? {
          id: visible.id,
          slug: visible.slug,
          headline: visible.headline,
          standfirst: visible.standfirst,
          url: deps.articleUrl(visible),
          section: { slug: visible.section.slug, name: visible.section.name },
          publishedAt: visible.publishedAt.toISOString(),
          updatedAt: visible.updatedAt.toISOString(),
        }
      : { id: articleId },
  });
}

/** The durable handler of the article events, and the delivery job. */
export function registerWebhookJobs(deps: WebhookJobsDeps): void {
  const { db } = deps.database;

  /** `eventKey` names the event for every webhook and every run of the job: a retried fan-out adds nothing. */
  async function fanOut(event: WebhookEvent, articleId: number, eventKey: string) {
    const hooks = (await listWebhooks(db)).filter((h) => h.events.includes(event));
    if (hooks.length === 0) return;
    const payload = await eventBody(deps, event, articleId, eventKey);
    const rows = hooks.map((h) => ({ webhookId: h.id, event, eventKey, payload }));
    const created = await db.transaction().execute(async (trx) => {
      const ids = await insertDeliveries(trx, rows, new Date());
      for (const deliveryId of ids)
        await deps.jobs.sendWithin(trx, DELIVER_JOB, { deliveryId }, { retryLimit: DELIVERY_RETRIES });
      return ids;
    });
    if (created.length) deps.jobs.wake();
  }

  for (const event of WEBHOOK_EVENTS) deps.events.handle(event, FANOUT_JOB, (e, job) => fanOut(event, e.id, job.id));
  // A feed's poll tells its articles' changes in one event: each is an event of its own to a receiver.
  deps.events.handle('content.bulkChanged', FANOUT_JOB, async ({ changes = [] }, job) => {
    for (const { event, article } of changes) await fanOut(event, article.id, `${job.id}:${article.id}`);
  });

  deps.jobs.work<{ deliveryId: number }>(DELIVER_JOB, async ({ deliveryId }, job) => {
    const d = await findDeliveryToSend(db, deliveryId);
    // Deleted with its webhook, or settled by an earlier run of this job: nothing to send.
    if (!d || d.status === 'delivered' || d.status === 'failed') return;
    const attempts = Math.max(d.attempts + 1, job.attempt);
    const at = new Date();
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await deps.http.post(d.url, d.payload, {
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(d.secret, d.payload, at),
          'dateline-event': d.event,
          'dateline-delivery': String(d.id),
        },
        // A redirect is an answer, not a new address to post the event to.
        redirect: 'manual',
        timeoutMs: DELIVERY_TIMEOUT_MS,
        maxBytes: RESPONSE_MAX_BYTES,
      });
      responseStatus = res.status;
      if (res.status < 200 || res.status > 299) error = `The receiver answered HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message.slice(0, ERROR_MAX);
    }
    const last = job.attempt > DELIVERY_RETRIES;
    await recordAttempt(db, d.id, {
      status: error === null ? 'delivered' : last ? 'failed' : 'retrying',
      attempts,
      responseStatus,
      error,
      at,
    });
    if (error !== null) {
      deps.log.warn({ deliveryId: d.id, attempt: job.attempt, error }, 'webhook delivery failed');
      throw new Error(`webhook delivery ${d.id}: ${error}`);
    }
  });
}

/** Both job names, for `jobs.prepare` (the fan-out's queue is prepared by the event bus). */
export const WEBHOOK_JOBS = [DELIVER_JOB] as const;
