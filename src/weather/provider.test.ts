import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { FIXTURE_NOW, fixture } from './fixtures/fixtures.js';
import { MET_NORWAY, metNorwayProvider } from './met-norway.provider.js';
import { OPEN_METEO, openMeteoGeocoder, openMeteoProvider } from './open-meteo.provider.js';
import { failover, ProviderError, retryAfter, withBreaker } from './provider.js';

const API = 'https://api.open-meteo.com';
const MET = 'https://api.met.no';
const AT = { latitude: 40.71, longitude: -74.01 };
const forecast = (path: string) => path.startsWith('/v1/forecast?');
const compact = (path: string) => path.startsWith('/weatherapi/locationforecast/2.0/compact?');

let agent: MockAgent;
let http: HttpClient;
let now: number;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 200, dispatcher: agent });
  now = FIXTURE_NOW;
});
afterEach(() => agent.close());

function stack() {
  const breakers = {
    openMeteo: new CircuitBreaker({ threshold: 2, baseMs: 1000, now: () => now }),
    met: new CircuitBreaker({ threshold: 2, baseMs: 1000, now: () => now }),
  };
  const provider = failover([
    withBreaker(openMeteoProvider({ http, baseUrl: API, now: () => now }), breakers.openMeteo),
    withBreaker(
      metNorwayProvider({ http, baseUrl: `${MET}/weatherapi/locationforecast/2.0`, now: () => now }),
      breakers.met,
    ),
  ]);
  return { provider, breakers };
}

describe('failover', () => {
  it('answers from Open-Meteo while it works, without asking MET Norway', async () => {
    agent.get(API).intercept({ path: forecast }).reply(200, fixture('open-meteo-forecast'));
    const { provider } = stack();
    expect((await provider.current(AT)).reading.provider).toBe(OPEN_METEO);
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it.each([
    ['down', (i: ReturnType<MockAgent['get']>) => i.intercept({ path: forecast }).reply(503, 'unavailable')],
    ['rate-limiting', (i: ReturnType<MockAgent['get']>) => i.intercept({ path: forecast }).reply(429, '{}')],
    ['talking nonsense', (i: ReturnType<MockAgent['get']>) => i.intercept({ path: forecast }).reply(200, '<html>')],
    [
      'slow',
      (i: ReturnType<MockAgent['get']>) =>
        i.intercept({ path: forecast }).reply(200, fixture('open-meteo-forecast')).delay(1000),
    ],
  ])('answers from MET Norway when Open-Meteo is %s', async (_, setUp) => {
    setUp(agent.get(API));
    agent.get(MET).intercept({ path: compact }).reply(200, fixture('met-norway-compact'));
    const { provider } = stack();
    const { reading } = await provider.current(AT);
    expect(reading.provider).toBe(MET_NORWAY);
    expect(reading.temperatureC).toBe(3.6);
  });

  it('fails with the last provider error when both fail', async () => {
    agent.get(API).intercept({ path: forecast }).reply(500, 'x');
    agent
      .get(MET)
      .intercept({ path: compact })
      .reply(429, 'x', { headers: { 'retry-after': '120' } });
    const err = await stack()
      .provider.current(AT)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('PROVIDER_RATE_LIMITED');
  });
});

describe('circuit breakers in front of providers', () => {
  it('stops asking a failing provider, goes straight to the next, and tries again after the backoff', async () => {
    let openMeteoCalls = 0;
    let healthy = false;
    agent
      .get(API)
      .intercept({ path: forecast })
      .reply(() => {
        openMeteoCalls++;
        return healthy ? { statusCode: 200, data: fixture('open-meteo-forecast') } : { statusCode: 500, data: 'down' };
      })
      .persist();
    agent.get(MET).intercept({ path: compact }).reply(200, fixture('met-norway-compact')).persist();
    const { provider, breakers } = stack();

    for (let i = 0; i < 5; i++) expect((await provider.current(AT)).reading.provider).toBe(MET_NORWAY);
    expect(openMeteoCalls).toBe(2); // the threshold; then the circuit is open
    expect(breakers.openMeteo.state).toBe('open');

    now += 1000;
    healthy = true;
    expect((await provider.current(AT)).reading.provider).toBe(OPEN_METEO);
    expect(openMeteoCalls).toBe(3);
    expect(breakers.openMeteo.state).toBe('closed');
  });

  it('opens at once on a 429 for as long as Retry-After says', async () => {
    agent
      .get(API)
      .intercept({ path: forecast })
      .reply(429, fixture('open-meteo-error-429'), { headers: { 'retry-after': '60' } });
    agent.get(MET).intercept({ path: compact }).reply(200, fixture('met-norway-compact'));
    const { provider, breakers } = stack();
    await provider.current(AT);
    expect(breakers.openMeteo.state).toBe('open');
    expect(breakers.openMeteo.retryAt - now).toBe(60_000);
  });

  it('does not count our own refused request (4xx) as the provider being down', async () => {
    agent.get(API).intercept({ path: forecast }).reply(400, fixture('open-meteo-error-400')).times(3);
    agent.get(MET).intercept({ path: compact }).reply(200, fixture('met-norway-compact')).times(3);
    const { provider, breakers } = stack();
    for (let i = 0; i < 3; i++) await provider.current(AT);
    expect(breakers.openMeteo.state).toBe('closed');
  });

  it('guards a geocoder the same way', async () => {
    const GEO = 'https://geocoding-api.open-meteo.com';
    agent
      .get(GEO)
      .intercept({ path: /^\/v1\/search/ })
      .reply(500, 'x')
      .times(2);
    const breaker = new CircuitBreaker({ threshold: 2, baseMs: 1000, now: () => now });
    const geocoder = withBreaker(openMeteoGeocoder({ http, baseUrl: GEO }), breaker);
    for (let i = 0; i < 2; i++) await geocoder.search('Paris', { count: 5, language: 'en' }).catch(() => undefined);
    const err = await geocoder.search('Paris', { count: 5, language: 'en' }).catch((e: unknown) => e);
    expect((err as ProviderError).code).toBe('CIRCUIT_OPEN');
  });
});

describe('retryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfter('120', 0)).toBe(120_000);
    expect(retryAfter('Thu, 10 Apr 2014 14:00:00 GMT', Date.parse('2014-04-10T13:59:00Z'))).toBe(60_000);
    expect(retryAfter('soon', 0)).toBeUndefined();
    expect(retryAfter(undefined, 0)).toBeUndefined();
  });
});
