import { describe, expect, it, vi } from 'vitest';
import { type ArticleEvent, createEventBus } from './event-bus.js';

const payload: ArticleEvent = { id: 1, sectionId: 2, tagIds: [3], authorIds: [4] };

function logger() {
  return { error: vi.fn<(obj: object, msg: string) => void>() };
}

describe('event bus', () => {
  it('runs handlers in the order they were registered, each with the payload', async () => {
    const bus = createEventBus(logger());
    const calls: string[] = [];
    bus.on('article.published', (p) => {
      calls.push(`first:${p.id}`);
    });
    bus.on('article.published', (p) => {
      calls.push(`second:${p.id}`);
    });
    await bus.emit('article.published', payload);
    expect(calls).toEqual(['first:1', 'second:1']);
  });

  it('waits for an async handler before running the next one and before resolving', async () => {
    const bus = createEventBus(logger());
    const calls: string[] = [];
    bus.on('article.updated', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      calls.push('slow');
    });
    bus.on('article.updated', () => {
      calls.push('fast');
    });
    await bus.emit('article.updated', payload);
    expect(calls).toEqual(['slow', 'fast']);
  });

  it('runs only the handlers of the emitted event', async () => {
    const bus = createEventBus(logger());
    const published = vi.fn();
    const unpublished = vi.fn();
    bus.on('article.published', published);
    bus.on('article.unpublished', unpublished);
    await bus.emit('article.unpublished', payload);
    expect(published).not.toHaveBeenCalled();
    expect(unpublished).toHaveBeenCalledWith(payload);
  });

  it('logs a throwing handler and still runs the others', async () => {
    const log = logger();
    const bus = createEventBus(log);
    const err = new Error('cache down');
    const after = vi.fn();
    bus.on('article.published', () => {
      throw err;
    });
    bus.on('article.published', after);
    await expect(bus.emit('article.published', payload)).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledWith(payload);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledWith({ err, event: 'article.published' }, expect.any(String));
  });

  it('logs a rejecting async handler and still runs the others', async () => {
    const log = logger();
    const bus = createEventBus(log);
    const err = new Error('index unavailable');
    const after = vi.fn();
    bus.on('article.updated', async () => {
      throw err;
    });
    bus.on('article.updated', after);
    await bus.emit('article.updated', payload);
    expect(after).toHaveBeenCalledOnce();
    expect(log.error).toHaveBeenCalledWith({ err, event: 'article.updated' }, expect.any(String));
  });

  it('logs nothing when every handler succeeds', async () => {
    const log = logger();
    const bus = createEventBus(log);
    bus.on('article.published', () => {});
    await bus.emit('article.published', payload);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('resolves when an event has no handlers', async () => {
    const log = logger();
    const bus = createEventBus(log);
    await expect(bus.emit('article.published', payload)).resolves.toBeUndefined();
    expect(log.error).not.toHaveBeenCalled();
  });

  it('runs a handler again for each emit, so replays reach it', async () => {
    const bus = createEventBus(logger());
    const handler = vi.fn();
    bus.on('article.published', handler);
    await bus.emit('article.published', payload);
    await bus.emit('article.published', { ...payload, id: 2 });
    expect(handler.mock.calls.map(([p]) => p.id)).toEqual([1, 2]);
  });

  it('does not run a handler registered while an emit is in progress until the next emit', async () => {
    const bus = createEventBus(logger());
    const late = vi.fn();
    bus.on('article.published', () => {
      bus.on('article.published', late);
    });
    await bus.emit('article.published', payload);
    expect(late).not.toHaveBeenCalled();
    await bus.emit('article.published', payload);
    expect(late).toHaveBeenCalledOnce();
  });
});
