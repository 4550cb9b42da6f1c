/**
 * Live streams served by the stream process (LIVE_STREAMS=process), over a
 * listening server on each database: the web process reads the request and
 * hands the socket over; the child resumes from Last-Event-ID, hears new
 * entries through the forwarded invalidation tags, and answers 503 with
 * Retry-After past the per-address cap.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp, until } from '../../test/helpers.js';
import { liveEditor, para } from '../../test/live-helpers.js';
import { openStream, type SseReader } from '../../test/sse-client.js';
import type { LiveActor } from '../live/live.service.js';

describeTargets('live streams from the stream process on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let base = '';
  let editor: LiveActor;
  const readers: SseReader[] = [];

  beforeAll(async () => {
    t = await createTestApp({ LIVE_STREAMS: 'process' }, target);
    app = t.app;
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    editor = await liveEditor(app.dateline);
  });
  afterAll(async () => {
    for (const r of readers) r.close();
    await t.cleanup();
  });

  const stream = (path: string, headers: Record<string, string> = {}) => {
    const r = openStream(`${base}${path}`, headers);
    readers.push(r);
    return r;
  };

  it('resumes from Last-Event-ID, then delivers each new entry, with the stream’s headers', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Elsewhere' }, editor);
    const first = await app.dateline.live.post(c.id, { body: para('One') }, editor);
    const r = stream(`/live/${c.id}/events`, { 'last-event-id': '0' });
    await until(() => r.ids().length === 1);
    expect(r.status).toBe(200);
    expect(r.ids()).toEqual([first.id]);
    const second = await app.dateline.live.post(c.id, { body: para('Two') }, editor);
    await until(() => r.ids().length === 2);
    expect(r.ids()).toEqual([first.id, second.id]);
    await app.dateline.live.setStatus(c.id, 'ended', editor);
    await until(() => r.ended);
    expect(r.events.at(-1)).toMatchObject({ event: 'end' });
  });

  it('answers 503 with Retry-After past the cap for one address', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Crowded' }, editor);
    const open = Array.from({ length: 8 }, () => stream(`/live/${c.id}/events`));
    await until(() => open.every((r) => r.status === 200));
    const refused = stream(`/live/${c.id}/events`);
    await until(() => refused.status !== 0);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
  });
});
