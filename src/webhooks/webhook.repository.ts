/**
 * Webhooks and their deliveries in the database. Plain functions over Kysely
 * (the database or the caller's transaction).
 *
 * @example
 *   const id = await insertWebhook(trx, { url, events: ['article.published'], secret, createdBy: 1, at: new Date() });
 *   const created = await insertDeliveries(trx, [{ webhookId: id, event: 'article.published', eventKey: job.id, payload }], new Date());
 *   await recordAttempt(db, created[0]!, { status: 'delivered', attempts: 1, responseStatus: 200, error: null, at: new Date() });
 */
import type { Kysely, Selectable } from 'kysely';
import type { Schema, WebhookDeliveriesTable, WebhooksTable } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import { type Delivery, isWebhookEvent, type Webhook, type WebhookEvent } from './webhook.js';

type Db = Kysely<Schema>;

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events.split(',').filter(isWebhookEvent),
    secret: row.secret,
    createdAt: toDate(row.created_at),
  };
}

function toDelivery(row: Omit<Selectable<WebhookDeliveriesTable>, 'payload' | 'event_key'>): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event as WebhookEvent,
    status: row.status,
    attempts: row.attempts,
    ...(row.response_status !== null ? { responseStatus: row.response_status } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    createdAt: toDate(row.created_at),
    ...(row.last_attempt_at ? { lastAttemptAt: toDateOrUndefined(row.last_attempt_at)! } : {}),
  };
}

export async function insertWebhook(
  db: Db,
  w: { url: string; events: readonly WebhookEvent[]; secret: string; createdBy: number | undefined; at: Date },
): Promise<number> {
  const row = await db
    .insertInto('webhooks')
    .values({
      url: w.url,
      events: w.events.join(','),
      secret: w.secret,
      created_at: w.at.toISOString(),
      created_by: w.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteWebhook(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return (await db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map(toWebhook);
}

export async function findWebhook(db: Db, id: number): Promise<Webhook | undefined> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toWebhook(row);
}

/**
 * One delivery per webhook and event job: a second call for the same job
 * inserts nothing. Returns the ids of the deliveries this call created.
 */
export async function insertDeliveries(
  db: Db,
  rows: { webhookId: number; event: WebhookEvent; eventKey: string; payload: string }[],
  at: Date,
): Promise<number[]> {
  const ids: number[] = [];
  for (const r of rows) {
    const inserted = await db
      .insertInto('webhook_deliveries')
      .values({
        webhook_id: r.webhookId,
        event: r.event,
        event_key: r.eventKey,
        payload: r.payload,
        status: 'pending',
        created_at: at.toISOString(),
      })
      .onConflict((oc) => oc.columns(['webhook_id', 'event_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) ids.push(inserted.id);
  }
  return ids;
}

/** What an attempt needs: the body, and where and how to sign it. */
export async function findDeliveryToSend(db: Db, id: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.event', 'd.payload', 'd.status', 'd.attempts', 'w.url', 'w.secret'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export async function recordAttempt(
  db: Db,
  id: number,
  outcome: {
    status: Delivery['status'];
    attempts: number;
    responseStatus: number | null;
    error: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: outcome.status,
      attempts: outcome.attempts,
      response_status: outcome.responseStatus,
      last_error: outcome.error,
      last_attempt_at: outcome.at.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(db: Db, webhookId: number, limit: number): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'webhook_id',
      'event',
      'status',
      'attempts',
      'response_status',
      'last_error',
      'created_at',
      'last_attempt_at',
    ])
    .where('webhook_id', '=', webhookId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}
