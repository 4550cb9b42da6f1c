import { describe, expect, it, vi } from 'vitest';
import { createInvalidator, EVERYTHING, type Transport } from './invalidation.js';

/** A transport joining invalidators in memory, as Redis would. */
function bus() {
  const members: { deliver: (m: string) => void; reconnect: () => void }[] = [];
  const published: string[] = [];
  const transport = (): Transport & { member: (typeof members)[0] } => {
    const member = { deliver: (_m: string) => {}, reconnect: () => {} };
    members.push(member);
    return {
      name: 'memory',
      member,
      publish: async (m) => {
        published.push(m);
        for (const other of members) other.deliver(m);
      },
      start: async (onMessage, onReconnect) => {
        member.deliver = onMessage;
        member.reconnect = onReconnect;
      },
      ready: async () => true,
      close: async () => {},
    };
  };
  return { transport, published };
}

const log = { warn: vi.fn(), error: vi.fn() };

describe('invalidator', () => {
  it('applies tags here at once and on the other instances through the transport, not twice here', async () => {
    const { transport } = bus();
    const here = createInvalidator({ transport: transport(), log });
    const there = createInvalidator({ transport: transport(), log });
    const seenHere: string[][] = [];
    const seenThere: string[][] = [];
    here.subscribe((t) => seenHere.push(t));
    there.subscribe((t) => seenThere.push(t));
    await here.start();
    await there.start();
    here.invalidate(['latest', 'article:1']);
    await new Promise((r) => setImmediate(r));
    expect(seenHere).toEqual([['latest', 'article:1']]);
    expect(seenThere).toEqual([['latest', 'article:1']]);
  });

  it('closes only after the messages on their way out were sent (a command that exits must not lose its last change)', async () => {
    const order: string[] = [];
    let release = () => {};
    const transport: Transport = {
      name: 'slow',
      publish: (m) =>
        new Promise<void>((resolve) => {
          release = () => {
            order.push(`sent ${JSON.parse(m).tags}`);
            resolve();
          };
        }),
      start: async () => {},
      ready: async () => true,
      close: async () => {
        order.push('transport closed');
      },
    };
    const invalidator = createInvalidator({ transport, log });
    await invalidator.start();
    invalidator.invalidate([EVERYTHING]);
    const closed = invalidator.close().then(() => order.push('closed'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    release();
    await closed;
    expect(order).toEqual(['sent *', 'transport closed', 'closed']);
  });

  it('drops everything after the transport reconnects, since messages may have been lost', async () => {
    const { transport } = bus();
    const t = transport();
    const inv = createInvalidator({ transport: t, log });
    const seen: string[][] = [];
    inv.subscribe((tags) => seen.push(tags));
    await inv.start();
    t.member.reconnect();
    expect(seen).toEqual([[EVERYTHING]]);
  });

  it('ignores malformed messages and keeps working without a transport', async () => {
    const { transport } = bus();
    const t = transport();
    const inv = createInvalidator({ transport: t, log });
    const seen: string[][] = [];
    inv.subscribe((tags) => seen.push(tags));
    await inv.start();
    t.member.deliver('not json');
    t.member.deliver(JSON.stringify({ from: 'other', tags: 'nope' }));
    expect(seen).toEqual([]);
    expect(log.warn).toHaveBeenCalled();
    const alone = createInvalidator({ log });
    const local: string[][] = [];
    alone.subscribe((tags) => local.push(tags));
    alone.invalidate(['x']);
    expect(local).toEqual([['x']]);
    expect(await alone.ready()).toBe(true);
  });
});
