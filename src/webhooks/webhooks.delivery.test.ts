import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestServices, until } from '../../test/helpers.js';
import { verifySignature } from './webhook.js';
import { insertDeliveries, listDeliveries } from './webhook.repository.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real receiver on a local port: records each POST, answers with the next status of `answers` (then 200). */
function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  return {
    received,
    answers,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`)),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeTargets('webhook deliveries on $dialect', (target) => {
  let t: TestServices;
  let guarded: TestServices;
  const rx = receiver();
  let url = '';
  let admin = 0;

  beforeAll(async () => {
    url = await rx.start();
    t = await createTestServices({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, target);
    // The same receiver, without the operator's permission for a loopback address.
    guarded = await createTestServices({}, target);
    for (const s of [t, guarded]) {
      admin = (
        await s.services.accounts.createFirstAdmin({
          email: 'root@news.test',
          name: 'Root',
          password: 'correct horse battery',
        })
      ).id;
      await s.services.jobs.start();
    }
  });
  afterAll(async () => {
    await Promise.all([t?.cleanup(), guarded?.cleanup()]);
    await rx.stop();
  });
  beforeEach(() => {
    rx.received.length = 0;
    rx.answers.length = 0;
  });

  it('posts a signed article.published event to a real receiver, and records the outcome', async () => {
    const hook = await t.services.webhooks.create(
      { url, events: ['article.published', 'article.unpublished'] },
      { userId: admin },
    );
    const saved = await t.services.articles.save(
      articleInput({
        externalId: 'wh:1',
        headline: 'Dam opens',
        slug: 'dam-opens',
        publishedAt: new Date('2024-03-05T15:00:00Z'),
      }),
    );
    await until(() => rx.received.length === 1);
    const [got] = rx.received;
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['dateline-event']).toBe('article.published');
    expect(verifySignature(hook.secret, got!.body, got!.headers['dateline-signature'] as string)).toBe(true);
    expect(
      verifySignature(hook.secret, got!.body.replace('Dam', 'Dom'), got!.headers['dateline-signature'] as string),
    ).toBe(false);
    expect(JSON.parse(got!.body)).toEqual({
      event: 'article.published',
      eventId: expect.any(String),
      createdAt: expect.any(String),
      article: {
        id: saved.id,
        slug: 'dam-opens',
        headline: 'Dam opens',
        standfirst: expect.any(String),
        url: 'http://news.test/world/2024/03/05/dam-opens',
        section: { slug: 'world', name: 'World' },
        publishedAt: '2024-03-05T15:00:00.000Z',
        updatedAt: expect.any(String),
      },
    });
    await until(async () => (await t.services.webhooks.deliveries(hook.id))[0]?.status === 'delivered');
    expect(await t.services.webhooks.deliveries(hook.id)).toEqual([
      expect.objectContaining({ event: 'article.published', status: 'delivered', attempts: 1, responseStatus: 200 }),
    ]);

    // Unpublished: the article by its id alone. Updates are not subscribed: nothing is sent for them.
    await t.services.articles.unpublish(saved.id);
    await until(() => rx.received.length === 2);
    const gone = JSON.parse(rx.received[1]!.body);
    expect([gone.event, gone.article]).toEqual(['article.unpublished', { id: saved.id }]);
    await t.services.webhooks.remove(hook.id, { userId: admin });
  });

  it('retries a delivery the receiver answered with a 500, with backoff, until it succeeds', async () => {
    const hook = await t.services.webhooks.create({ url, events: ['article.published'] }, { userId: admin });
    rx.answers.push(500);
    await t.services.articles.save(articleInput({ externalId: 'wh:2', headline: 'Retry me' }));
    await until(async () => (await t.services.webhooks.deliveries(hook.id))[0]?.status === 'retrying');
    expect((await t.services.webhooks.deliveries(hook.id))[0]).toMatchObject({
      status: 'retrying',
      attempts: 1,
      responseStatus: 500,
      lastError: 'The receiver answered HTTP 500',
    });
    await until(async () => (await t.services.webhooks.deliveries(hook.id))[0]?.status === 'delivered', 30_000);
    expect((await t.services.webhooks.deliveries(hook.id))[0]).toMatchObject({ attempts: 2, responseStatus: 200 });
    // The same signed body both times, each with its own timestamp.
    expect(rx.received.map((r) => r.body)).toEqual([rx.received[0]!.body, rx.received[0]!.body]);
    expect(rx.received[0]!.headers['dateline-delivery']).toBe(rx.received[1]!.headers['dateline-delivery']);
    await t.services.webhooks.remove(hook.id, { userId: admin });
  }, 40_000);

  it('refuses a loopback receiver the operator did not allow (WEBHOOK_ALLOW_HOSTS)', async () => {
    const hook = await guarded.services.webhooks.create({ url, events: ['article.published'] }, { userId: admin });
    await guarded.services.articles.save(articleInput({ externalId: 'wh:3', headline: 'Not for localhost' }));
    await until(async () => (await guarded.services.webhooks.deliveries(hook.id))[0]?.status === 'retrying');
    const [d] = await guarded.services.webhooks.deliveries(hook.id);
    expect(d!.lastError).toMatch(/private|loopback|not allowed|refused/i);
    expect(d!.responseStatus).toBeUndefined();
    expect(rx.received).toEqual([]);
  });

  it('stores one delivery per webhook and event job, however often the event is handled', async () => {
    const hook = await t.services.webhooks.create({ url, events: ['article.updated'] }, { userId: admin });
    const row = { webhookId: hook.id, event: 'article.updated' as const, eventKey: 'job-42', payload: '{}' };
    const first = await insertDeliveries(t.services.database.db, [row], new Date());
    const second = await insertDeliveries(t.services.database.db, [row], new Date());
    expect([first.length, second]).toEqual([1, []]);
    expect(await listDeliveries(t.services.database.db, hook.id, 10)).toHaveLength(1);
    await t.services.webhooks.remove(hook.id, { userId: admin });
  });

  it('sends nothing for a draft, and refuses bad registrations with INVALID_WEBHOOK', async () => {
    const hook = await t.services.webhooks.create(
      { url, events: ['article.published', 'article.updated'] },
      { userId: admin },
    );
    await t.services.articles.save(articleInput({ externalId: 'wh:4', status: 'draft' }));
    await t.services.jobs.pending().then(() => new Promise((r) => setTimeout(r, 300)));
    expect(rx.received).toEqual([]);
    await expect(
      t.services.webhooks.create({ url: 'ftp://x.example/', events: ['article.published'] }, { userId: admin }),
    ).rejects.toMatchObject({
      code: 'INVALID_WEBHOOK',
      details: { problems: [{ field: 'url', problem: expect.any(String) }] },
    });
    await expect(
      t.services.webhooks.create({ url, events: ['article.deleted'] }, { userId: admin }),
    ).rejects.toMatchObject({ code: 'INVALID_WEBHOOK' });
    await t.services.webhooks.remove(hook.id, { userId: admin });
    await expect(t.services.webhooks.remove(hook.id, { userId: admin })).rejects.toMatchObject({
      code: 'WEBHOOK_NOT_FOUND',
    });
  });
});
