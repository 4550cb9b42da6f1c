import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../net/http-client.js';
import { FIXTURE_NOW, fixture, fixtureJson } from './fixtures/fixtures.js';
import { openMeteoProvider } from './open-meteo.provider.js';
import type { Fetched, WeatherProvider } from './provider.js';
import { WeatherCache } from './weather.cache.js';

const API = 'https://api.open-meteo.com';
const NEW_YORK = { latitude: 40.71, longitude: -74.01 };
const MINUTE = 60_000;

function forecastWith(temperature: number): string {
  const body = fixtureJson('open-meteo-forecast');
  (body.current as Record<string, unknown>).temperature_2m = temperature;
  return JSON.stringify(body);
}

/** An Open-Meteo behind a MockAgent whose answer each test sets, counting the calls that reach it. */
function upstream(agent: MockAgent) {
  const state = { calls: 0, status: 200, body: fixture('open-meteo-forecast') };
  agent
    .get(API)
    .intercept({ path: (p) => p.startsWith('/v1/forecast?') })
    .reply(() => {
      state.calls++;
      return { statusCode: state.status, data: state.body };
    })
    .delay(5)
    .persist();
  return state;
}

/**
 * A provider whose answers the test releases itself: until `release`, every
 * call stays pending, so a caller that waited for one could not go on.
 */
function heldProvider() {
  const pending: ((f: Fetched) => void)[] = [];
  const held = {
    name: 'held',
    calls: 0,
    current(): Promise<Fetched> {
      held.calls++;
      return new Promise((resolve) => pending.push(resolve));
    },
    /** Answers the oldest pending call with this temperature. */
    release(temperatureC: number): void {
      const answer = pending.shift();
      if (!answer) throw new Error('no call is waiting for an answer');
      answer({
        reading: {
          temperatureC,
          condition: { id: 'clear', text: 'clear sky' },
          isDay: true,
          observedAt: new Date(now),
          provider: 'held',
        },
      });
    },
  };
  return held satisfies WeatherProvider;
}

let agent: MockAgent;
let now: number;
let provider: WeatherProvider;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  now = FIXTURE_NOW;
  const http = createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 500, dispatcher: agent });
  provider = openMeteoProvider({ http, baseUrl: API, now: () => now });
});
afterEach(() => agent.close());

const newCache = (extra: Partial<ConstructorParameters<typeof WeatherCache>[0]> = {}) =>
  new WeatherCache({ provider, now: () => now, ...extra });

describe('single flight', () => {
  it('makes one upstream call for a thousand concurrent readers of one city', async () => {
    const up = upstream(agent);
    const cache = newCache();
    const answers = await Promise.all(Array.from({ length: 1000 }, () => cache.get(NEW_YORK)));
    expect(up.calls).toBe(1);
    expect(answers.every((a) => a?.reading.temperatureC === 3.8)).toBe(true);
  });

  it('shares a call between nearby coordinates (one grid cell) but not between cities', async () => {
    const up = upstream(agent);
    const cache = newCache();
    await Promise.all([
      cache.get({ latitude: 40.7128, longitude: -74.006 }),
      cache.get({ latitude: 40.7142, longitude: -74.0059 }),
      cache.get({ latitude: 48.85, longitude: 2.35 }),
    ]);
    expect(up.calls).toBe(2);
  });

  it('makes one call for concurrent page renders (peek) too, and never waits for it', async () => {
    const slow = heldProvider();
    const cache = new WeatherCache({ provider: slow, now: () => now });
    // The provider answers only when released below: a peek that waited for it could not return here.
    for (let i = 0; i < 1000; i++) expect(cache.peek(NEW_YORK)).toBeUndefined();
    expect(slow.calls).toBe(1);
    slow.release(1);
    await cache.refresh(NEW_YORK);
    expect(cache.peek(NEW_YORK)?.reading.temperatureC).toBe(1);
  });

  it('serves a stale value from peek while the refresh is still waiting for the provider', async () => {
    const slow = heldProvider();
    const cache = new WeatherCache({ provider: slow, now: () => now });
    cache.peek(NEW_YORK);
    slow.release(1);
    await cache.refresh(NEW_YORK);
    now += 11 * MINUTE;
    // Due for a refresh, which waits for a provider that has not answered: the old value is served meanwhile.
    for (let i = 0; i < 100; i++)
      expect(cache.peek(NEW_YORK)).toMatchObject({ reading: { temperatureC: 1 }, stale: true });
    expect(slow.calls).toBe(2);
    slow.release(2);
    await cache.refresh(NEW_YORK);
    expect(cache.peek(NEW_YORK)).toMatchObject({ reading: { temperatureC: 2 }, stale: false });
  });
});

describe('freshness and stale-while-revalidate', () => {
  it('serves a fresh value for 10 minutes without asking again', async () => {
    const up = upstream(agent);
    const cache = newCache();
    await cache.get(NEW_YORK);
    now += 9 * MINUTE;
    expect((await cache.get(NEW_YORK))?.stale).toBe(false);
    expect(up.calls).toBe(1);
  });

  it('serves the stale value at once while one background refresh runs, then the new value', async () => {
    const up = upstream(agent);
    const cache = newCache();
    await cache.get(NEW_YORK);
    now += 11 * MINUTE;
    up.body = forecastWith(7.2);
    const during = await Promise.all(Array.from({ length: 100 }, () => cache.get(NEW_YORK)));
    expect(during.every((a) => a?.reading.temperatureC === 3.8 && a.stale)).toBe(true);
    expect(up.calls).toBe(2);
    const after = await cache.refresh(NEW_YORK);
    expect(after?.reading.temperatureC).toBe(7.2);
    expect(after?.stale).toBe(false);
  });

  it('keeps serving the last good value while the provider is down, up to 3 hours', async () => {
    const up = upstream(agent);
    const cache = newCache();
    await cache.get(NEW_YORK);
    up.status = 503;
    up.body = 'Service Unavailable';
    for (const minutes of [11, 60, 120, 179]) {
      now = FIXTURE_NOW + minutes * MINUTE;
      await cache.refresh(NEW_YORK);
      const served = cache.peek(NEW_YORK);
      expect(served?.reading.temperatureC, `after ${minutes} min`).toBe(3.8);
      expect(served?.stale).toBe(true);
    }
    now = FIXTURE_NOW + 181 * MINUTE;
    expect(cache.peek(NEW_YORK)).toBeUndefined();
  });

  it('keeps the last good value when the provider answers nonsense or 429', async () => {
    const up = upstream(agent);
    const cache = newCache();
    await cache.get(NEW_YORK);
    now += 11 * MINUTE;
    up.body = '{"current": "nonsense"}';
    await cache.refresh(NEW_YORK);
    expect(cache.peek(NEW_YORK)?.reading.temperatureC).toBe(3.8);
    now += 2 * MINUTE;
    up.status = 429;
    await cache.refresh(NEW_YORK);
    expect(cache.peek(NEW_YORK)?.reading.temperatureC).toBe(3.8);
  });

  it('waits a minute before asking again for a location whose refresh failed', async () => {
    const up = upstream(agent);
    up.status = 500;
    const cache = newCache();
    expect(await cache.get(NEW_YORK)).toBeUndefined();
    expect(await cache.get(NEW_YORK)).toBeUndefined();
    expect(up.calls).toBe(1);
    now += MINUTE;
    up.status = 200;
    expect((await cache.get(NEW_YORK))?.reading.temperatureC).toBe(3.8);
    expect(up.calls).toBe(2);
  });

  it("honours a provider's Expires beyond the 10 minutes, within two hours", async () => {
    let calls = 0;
    const expiring: WeatherProvider = {
      name: 'expiring',
      current: async () => {
        calls++;
        return {
          reading: {
            temperatureC: 2,
            condition: { id: 'clear', text: 'clear sky' },
            isDay: true,
            observedAt: new Date(now),
            provider: 'expiring',
          },
          notBefore: new Date(now + 30 * MINUTE),
        };
      },
    };
    const cache = new WeatherCache({ provider: expiring, now: () => now });
    await cache.get(NEW_YORK);
    now += 20 * MINUTE;
    await cache.refresh(NEW_YORK);
    expect(calls).toBe(1);
    now += 11 * MINUTE;
    await cache.refresh(NEW_YORK);
    expect(calls).toBe(2);
  });

  it('tells a listener when a refresh stored a value', async () => {
    upstream(agent);
    const refreshed: string[] = [];
    const cache = newCache({ onRefreshed: (key) => refreshed.push(key) });
    await cache.get(NEW_YORK);
    expect(refreshed).toEqual(['40.71,-74.01']);
  });

  it('keeps at most maxEntries locations, dropping the least recently used', async () => {
    upstream(agent);
    const cache = newCache({ maxEntries: 2 });
    await cache.get({ latitude: 1, longitude: 1 });
    await cache.get({ latitude: 2, longitude: 2 });
    cache.peek({ latitude: 1, longitude: 1 });
    await cache.get({ latitude: 3, longitude: 3 });
    expect(cache.size).toBe(2);
    expect(cache.peek({ latitude: 1, longitude: 1 })).toBeDefined();
  });
});
