/**
 * Live streams over real sockets on each database: a new entry reaches a
 * connected reader; `Last-Event-ID` resumes exactly what was missed, and a
 * hostile one is ignored; an ended coverage sends its final state and closes;
 * one address gets a 503 with Retry-After past its cap; and, on PostgreSQL,
 * an entry posted through one instance reaches a reader of another (NOTIFY,
 * then Redis).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp, until, withInstancePairs } from '../../test/helpers.js';
import { liveEditor, para } from '../../test/live-helpers.js';
import { openStream, type SseReader } from '../../test/sse-client.js';
import type { Coverage } from '../live/live.js';
import type { LiveActor } from '../live/live.service.js';

const editorOf = (app: FastifyInstance, email?: string) => liveEditor(app.dateline, email);

describeTargets('live streams on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let base = '';
  let editor: LiveActor;
  const open: SseReader[] = [];
  const stream = (path: string, headers: Record<string, string> = {}) => {
    const r = openStream(`${base}${path}`, headers);
    open.push(r);
    return r;
  };

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    editor = await editorOf(app);
  });
  afterAll(async () => {
    for (const r of open) r.close();
    await t.cleanup();
  });

  const ready = (r: SseReader) => until(() => r.events.length > 0 || r.status !== 0);

  it('pushes a new entry to a connected reader', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Pushed' }, editor);
    await app.dateline.live.post(c.id, { body: para('Before') }, editor);
    const r = stream(`/live/${c.id}/events`);
    await ready(r);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    const e = await app.dateline.live.post(c.id, { body: para('Now') }, editor);
    await until(() => r.ids().length === 1);
    expect(r.ids()).toEqual([e.id]);
    expect(JSON.parse(r.events.at(-1)!.data)).toMatchObject({ id: e.id, authors: ['Eve Editor'] });
    r.close();
  });

  it('resumes with Last-Event-ID, sending exactly what was missed, in order', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Resumed' }, editor);
    const posted: number[] = [];
    for (const k of [1, 2, 3, 4]) posted.push((await app.dateline.live.post(c.id, { body: para(`U${k}`) }, editor)).id);
    const r = stream(`/live/${c.id}/events`, { 'last-event-id': String(posted[1]) });
    await until(() => r.ids().length === 2);
    const next = await app.dateline.live.post(c.id, { body: para('U5') }, editor);
    await until(() => r.ids().length === 3);
    expect(r.ids()).toEqual([posted[2], posted[3], next.id]);
    r.close();

    // The page's own newest entry as ?after=, for a first connection.
    const fromPage = stream(`/live/${c.id}/events?after=${posted[3]}`);
    await until(() => fromPage.ids().length === 1);
    expect(fromPage.ids()).toEqual([next.id]);
    fromPage.close();
  });

  it('ignores hostile Last-Event-ID values safely', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Hostile' }, editor);
    await app.dateline.live.post(c.id, { body: para('Old') }, editor);
    for (const hostile of ['abc', '-1', '1e9', '99999999999999999999', "1' or 1=1", ' '.repeat(500)]) {
      const r = stream(`/live/${c.id}/events`, { 'last-event-id': hostile });
      await ready(r);
      expect(r.status, hostile).toBe(200);
      r.close();
      await until(() => r.ended);
    }
    const fresh = stream(`/live/${c.id}/events`, { 'last-event-id': 'abc' });
    await ready(fresh);
    const e = await app.dateline.live.post(c.id, { body: para('New') }, editor);
    await until(() => fresh.ids().length > 0);
    expect(fresh.ids()).toEqual([e.id]);
    fresh.close();
    expect((await app.inject(`/live/${c.id}/events?after=${'9'.repeat(30)}`)).statusCode).toBe(400);
    expect((await app.inject('/live/999999/events')).statusCode).toBe(404);
    expect((await app.inject({ method: 'HEAD', url: `/live/${c.id}/events` })).statusCode).toBe(404);
  });

  it('sends an ended coverage’s final state and closes, also to readers already connected', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Ending' }, editor);
    const e = await app.dateline.live.post(c.id, { body: para('Last one') }, editor);
    const r = stream(`/live/${c.id}/events`, { 'last-event-id': '0' });
    await until(() => r.ids().length === 1);
    await app.dateline.live.setStatus(c.id, 'ended', editor);
    await until(() => r.ended);
    expect(r.events.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(r.events.at(-1)!.data)).toMatchObject({ status: 'ended' });

    const late = await app.inject({ url: `/live/${c.id}/events`, headers: { 'last-event-id': String(e.id - 1) } });
    expect(late.statusCode).toBe(200);
    expect(late.body).toContain(`id: ${e.id}\nevent: entry`);
    expect(late.body).toContain('event: end\ndata: {"status":"ended"');
  });

  it('answers 503 with Retry-After past the cap for one address', async () => {
    const c = await app.dateline.live.createCoverage({ headline: 'Crowded' }, editor);
    const readers = Array.from({ length: 8 }, () => stream(`/live/${c.id}/events`));
    for (const r of readers) await ready(r);
    expect(readers.map((r) => r.status)).toEqual(Array(8).fill(200));
    const refused = stream(`/live/${c.id}/events`);
    await until(() => refused.status !== 0);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    readers[0]!.close();
    await until(async () => {
      const again = openStream(`${base}/live/${c.id}/events`);
      await until(() => again.status !== 0);
      again.close();
      return again.status === 200;
    });
    for (const r of readers) r.close();
  });

  it.runIf(target.dialect === 'postgres')(
    'delivers an entry posted through instance A to a reader of instance B',
    async () => {
      await withInstancePairs(target, 'live', async (a, b, transport) => {
        const bBase = await b.listen({ port: 0, host: '127.0.0.1' });
        const ed = await editorOf(a, `ed-${transport}@news.test`);
        const c: Coverage = await a.dateline.live.createCoverage({ headline: 'Across' }, ed);
        const r = openStream(`${bBase}/live/${c.id}/events`);
        await until(() => r.status === 200 && r.events.length === 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const e = await a.dateline.live.post(c.id, { body: para(`Through A (${transport})`) }, ed);
        await until(() => r.ids().length === 1);
        expect(r.ids(), transport).toEqual([e.id]);
        r.close();
      });
    },
  );
});
