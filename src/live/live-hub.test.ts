/**
 * The live hub on each database, with readers that are plain objects: a slow
 * reader is dropped without holding up the others (and resumes with its last
 * id), heartbeats reach quiet streams, the instance-wide cap holds, and
 * `Last-Event-ID` parsing refuses anything but an id we could have sent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServices, describeTargets, type TestServices, until } from '../../test/helpers.js';
import { liveEditor, para } from '../../test/live-helpers.js';
import { createPacer } from '../lib/pace.js';
import type { LiveActor } from './live.service.js';
import { createLiveHub, parseLastEventId, type StreamClient } from './live-hub.js';

class FakeClient implements StreamClient {
  text = '';
  closed = false;
  backlog = 0;
  /** The ids of each write that carried entries. */
  writes: number[][] = [];
  write(chunk: string | Buffer) {
    const text = String(chunk);
    this.text += text;
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    if (ids.length) this.writes.push(ids);
  }
  buffered() {
    return this.backlog;
  }
  close() {
    this.closed = true;
  }
  ids() {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

describeTargets('the live hub on $dialect', (target) => {
  let t: TestServices;
  let editor: LiveActor;

  beforeAll(async () => {
    t = await createTestServices({}, target);
    editor = await liveEditor(t.services);
  });
  afterAll(() => t.cleanup());

  it('drops a slow reader without holding up the others; it resumes from its last id', async () => {
    const { live, invalidator } = t.services;
    const hub = createLiveHub({ live, invalidator, log: console, limits: { maxBuffered: 1000, heartbeatMs: 20 } });
    try {
      const c = await live.createCoverage({ headline: 'Slow' }, editor);
      const fast = new FakeClient();
      const slow = new FakeClient();
      await hub.join(c.id, { ip: '10.0.0.1', client: fast });
      await hub.join(c.id, { ip: '10.0.0.2', client: slow });
      expect(hub.size).toBe(2);
      // Heartbeats reach quiet streams.
      await until(() => fast.text.includes(': heartbeat\n\n'));
      const first = await live.post(c.id, { body: para('One') }, editor);
      await until(() => fast.ids().length === 1 && slow.ids().length === 1);
      slow.backlog = 5000; // its socket stopped draining
      const second = await live.post(c.id, { body: para('Two') }, editor);
      await until(() => fast.ids().length === 2);
      await until(() => slow.closed);
      expect(slow.ids()).toEqual([first.id]);
      expect(hub.size).toBe(1);
      const back = new FakeClient();
      await hub.join(c.id, { ip: '10.0.0.2', lastEventId: String(first.id), client: back });
      expect(back.ids()).toEqual([second.id]);
    } finally {
      hub.close();
    }
  });

  it('rests after a fan-out to many on a busy machine; what is posted meanwhile goes out together, one write each', async () => {
    const { live, invalidator } = t.services;
    const rests: number[] = [];
    let endRest = () => {};
    const pacer = createPacer({
      duty: 0.5,
      sampleMs: 0,
      counters: (() => {
        let ticks = 0;
        return () => {
          ticks += 10;
          return { busy: ticks, total: ticks }; // always busy
        };
      })(),
      rest: (ms) => {
        rests.push(ms);
        return new Promise<void>((resolve) => {
          endRest = resolve;
        });
      },
    });
    const hub = createLiveHub({ live, invalidator, log: console, pacer, limits: { perAddress: 1000 } });
    try {
      const c = await live.createCoverage({ headline: 'Busy' }, editor);
      const readers = Array.from({ length: 120 }, () => new FakeClient());
      for (const client of readers) await hub.join(c.id, { ip: '10.0.2.1', client });
      const one = await live.post(c.id, { body: para('One') }, editor);
      await until(() => rests.length === 1); // delivered, then resting
      expect(readers.every((r) => r.writes.length === 1)).toBe(true);
      const two = await live.post(c.id, { body: para('Two') }, editor);
      const three = await live.post(c.id, { body: para('Three') }, editor);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readers[0]!.ids()).toEqual([one.id]); // nothing while it rests
      endRest();
      await until(() => readers.every((r) => r.ids().length === 3));
      for (const r of readers) expect(r.writes).toEqual([[one.id], [two.id, three.id]]);
    } finally {
      endRest();
      hub.close();
    }
  });

  it('holds the instance-wide cap', async () => {
    const { live, invalidator } = t.services;
    const hub = createLiveHub({ live, invalidator, log: console, limits: { total: 3, perAddress: 10 } });
    try {
      const c = await live.createCoverage({ headline: 'Capped' }, editor);
      for (const k of [1, 2, 3])
        expect((await hub.join(c.id, { ip: `10.0.1.${k}`, client: new FakeClient() })).ok).toBe(true);
      expect(await hub.join(c.id, { ip: '10.0.1.9', client: new FakeClient() })).toEqual({
        ok: false,
        reason: 'total',
        retryAfter: 30,
      });
    } finally {
      hub.close();
    }
  });
});

it('reads Last-Event-ID as an id we could have sent, or not at all', () => {
  expect(parseLastEventId('42')).toBe(42);
  expect(parseLastEventId(' 42 ')).toBe(42);
  for (const v of [undefined, '', 'abc', '-1', '4.2', '1e3', '99999999999', '2147483648', '1\nevent: x'])
    expect(parseLastEventId(v)).toBeUndefined();
});
