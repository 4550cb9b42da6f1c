import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and forgets failures after a success', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 3, baseMs: 1000, now: c.now });
    breaker.failed();
    breaker.failed();
    expect(breaker.state).toBe('closed');
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.allows()).toBe(true);
  });

  it('opens after the threshold, refuses calls while open, then lets one trial through', () => {
    const c = clock();
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      threshold: 3,
      baseMs: 1000,
      now: c.now,
      onChange: (state, { waitMs }) => changes.push(`${state} ${waitMs}`),
    });
    for (let i = 0; i < 3; i++) breaker.failed();
    expect(breaker.state).toBe('open');
    expect(breaker.allows()).toBe(false);
    c.advance(999);
    expect(breaker.allows()).toBe(false);
    c.advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allows()).toBe(true);
    // Only one trial at a time.
    expect(breaker.allows()).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allows()).toBe(true);
    expect(changes).toEqual(['open 1000', 'closed 0']);
  });

  it('doubles the wait after each failed trial, up to the maximum', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 1, baseMs: 1000, maxMs: 5000, now: c.now });
    const waits: number[] = [];
    breaker.failed();
    for (let i = 0; i < 5; i++) {
      waits.push(breaker.retryAt - c.now());
      c.advance(breaker.retryAt - c.now());
      expect(breaker.allows()).toBe(true);
      breaker.failed();
    }
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
    c.advance(breaker.retryAt - c.now());
    expect(breaker.allows()).toBe(true);
    breaker.succeeded();
    breaker.failed();
    expect(breaker.retryAt - c.now()).toBe(1000);
  });

  it('opens at once for as long as a Retry-After asks', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 3, baseMs: 1000, now: c.now });
    breaker.failed(60_000);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAt - c.now()).toBe(60_000);
  });

  it('does not double the wait for calls that were already out when it opened', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 2, baseMs: 1000, now: c.now });
    breaker.failed();
    breaker.failed();
    breaker.failed();
    breaker.failed();
    expect(breaker.retryAt - c.now()).toBe(1000);
  });
});
