import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { FIXTURE_NOW, failure, fixture, fixtureJson } from './fixtures/fixtures.js';
import { endpoint, OPEN_METEO, openMeteoGeocoder, openMeteoProvider } from './open-meteo.provider.js';

const API = 'https://api.open-meteo.com';
const GEO = 'https://geocoding-api.open-meteo.com';
const NEW_YORK = { latitude: 40.71, longitude: -74.01 };
const JSON_HEADERS = { headers: { 'content-type': 'application/json; charset=utf-8' } };

const forecastPath = (path: string) => path.startsWith('/v1/forecast?');
const searchPath = (path: string) => path.startsWith('/v1/search?');

let agent: MockAgent;
let http: HttpClient;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 300, dispatcher: agent });
});
afterEach(() => agent.close());

describe('Open-Meteo forecast', () => {
  const provider = () => openMeteoProvider({ http, baseUrl: API, now: () => FIXTURE_NOW });

  it('asks for current temperature, weather code and day/night at the coordinates', async () => {
    let asked = '';
    agent
      .get(API)
      .intercept({ path: forecastPath })
      .reply((opts) => {
        asked = opts.path;
        return { statusCode: 200, data: fixture('open-meteo-forecast'), responseOptions: JSON_HEADERS };
      });
    const { reading } = await provider().current(NEW_YORK);
    const query = new URL(asked, API).searchParams;
    expect(query.get('latitude')).toBe('40.71');
    expect(query.get('longitude')).toBe('-74.01');
    expect(query.get('current')).toBe('temperature_2m,weather_code,is_day');
    expect(reading).toEqual({
      temperatureC: 3.8,
      condition: { id: 'overcast', text: 'overcast' },
      isDay: true,
      observedAt: new Date('2014-04-10T13:45:00Z'),
      provider: OPEN_METEO,
    });
  });

  it('reads local times with the UTC offset the answer gives', async () => {
    const body = fixtureJson('open-meteo-forecast');
    Object.assign(body, { utc_offset_seconds: -14400, timezone: 'America/New_York' });
    (body.current as Record<string, unknown>).time = '2014-04-10T09:45';
    agent.get(API).intercept({ path: forecastPath }).reply(200, JSON.stringify(body));
    expect((await provider().current(NEW_YORK)).reading.observedAt).toEqual(new Date('2014-04-10T13:45:00Z'));
  });

  it('fails as PROVIDER_TIMEOUT when the answer does not come in time', async () => {
    let asked = false;
    // Open-Meteo never answers: only the client's budget can end the call (else the test times out).
    agent
      .get(API)
      .intercept({ path: forecastPath })
      .reply(200, () => {
        asked = true;
        return new Promise<string>(() => {});
      });
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_TIMEOUT');
    expect(asked).toBe(true);
  });

  it('accepts a slow answer that still fits the budget', async () => {
    agent.get(API).intercept({ path: forecastPath }).reply(200, fixture('open-meteo-forecast')).delay(150);
    expect((await provider().current(NEW_YORK)).reading.temperatureC).toBe(3.8);
  });

  it('fails as PROVIDER_RATE_LIMITED on 429, with the Retry-After it gave', async () => {
    agent
      .get(API)
      .intercept({ path: forecastPath })
      .reply(429, fixture('open-meteo-error-429'), { headers: { 'retry-after': '60' } });
    const err = await failure(provider().current(NEW_YORK));
    expect(err.code).toBe('PROVIDER_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('fails as PROVIDER_UNAVAILABLE on 500 and on a refused connection', async () => {
    agent.get(API).intercept({ path: forecastPath }).reply(500, 'Internal Server Error');
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_UNAVAILABLE');
    agent
      .get(API)
      .intercept({ path: forecastPath })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('fails as PROVIDER_REFUSED on its 400 error object', async () => {
    agent.get(API).intercept({ path: forecastPath }).reply(400, fixture('open-meteo-error-400'));
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_REFUSED');
  });

  it.each([
    ['malformed JSON', '{"current": {"temperature_2m": 3.8,'],
    ['an HTML error page', '<html><body>Bad gateway</body></html>'],
    ['the error object with a 200', fixture('open-meteo-error-400')],
    ['no current block', JSON.stringify({ latitude: 40.71, longitude: -74.01 })],
    ['a temperature as text', fixture('open-meteo-forecast').replace('3.8', '"3.8"')],
    ['an impossible temperature', fixture('open-meteo-forecast').replace('3.8', '380')],
    ['an unknown weather code', fixture('open-meteo-forecast').replace('"weather_code": 3', '"weather_code": 42')],
    ['Fahrenheit where Celsius was asked', fixture('open-meteo-forecast').replace('°C', '°F')],
  ])('fails as PROVIDER_BAD_RESPONSE on %s', async (_, body) => {
    agent.get(API).intercept({ path: forecastPath }).reply(200, body);
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('keeps a self-hosted base path and an API key in the base URL', () => {
    expect(endpoint('https://customer-api.open-meteo.com/?apikey=k1', '/v1/forecast', { latitude: '1' })).toBe(
      'https://customer-api.open-meteo.com/v1/forecast?apikey=k1&latitude=1',
    );
    expect(endpoint('http://meteo.internal:8080/om/', '/v1/search', { name: 'New York' })).toBe(
      'http://meteo.internal:8080/om/v1/search?name=New+York',
    );
  });
});

describe('Open-Meteo geocoding', () => {
  const geocoder = () => openMeteoGeocoder({ http, baseUrl: GEO });

  it('turns a city name into places, best first', async () => {
    let asked = '';
    agent
      .get(GEO)
      .intercept({ path: searchPath })
      .reply((opts) => {
        asked = opts.path;
        return { statusCode: 200, data: fixture('open-meteo-geocoding-new-york'), responseOptions: JSON_HEADERS };
      });
    const places = await geocoder().search('New York', { count: 5, language: 'en' });
    const query = new URL(asked, GEO).searchParams;
    expect([query.get('name'), query.get('count'), query.get('language')]).toEqual(['New York', '5', 'en']);
    expect(places[0]).toEqual({
      id: 5128581,
      name: 'New York',
      latitude: 40.71427,
      longitude: -74.00597,
      admin1: 'New York',
      country: 'United States',
      countryCode: 'US',
      timezone: 'America/New_York',
      population: 8175133,
    });
    expect(places.map((p) => p.admin1)).toEqual(['New York', 'New Jersey']);
  });

  it('answers an unknown city (no "results" key) with no places', async () => {
    agent.get(GEO).intercept({ path: searchPath }).reply(200, fixture('open-meteo-geocoding-empty'));
    expect(await geocoder().search('Xyzzyville', { count: 5, language: 'en' })).toEqual([]);
  });

  it('skips one unusable entry and keeps the rest', async () => {
    const body = fixtureJson('open-meteo-geocoding-paris');
    (body.results as Record<string, unknown>[])[1] = { id: 1, name: 'Nowhere' };
    agent.get(GEO).intercept({ path: searchPath }).reply(200, JSON.stringify(body));
    const places = await geocoder().search('Paris', { count: 10, language: 'en' });
    expect(places.map((p) => p.id)).toEqual([2988507, 4647963]);
  });

  it.each([
    ['malformed JSON', '{"results": [', 200, 'PROVIDER_BAD_RESPONSE'],
    ['results that are not places', '{"results": [{"id": "x"}]}', 200, 'PROVIDER_BAD_RESPONSE'],
    ['429', fixture('open-meteo-error-429'), 429, 'PROVIDER_RATE_LIMITED'],
    ['500', 'oops', 500, 'PROVIDER_UNAVAILABLE'],
  ])('fails on %s', async (_, body, status, code) => {
    agent.get(GEO).intercept({ path: searchPath }).reply(status, body);
    expect((await failure(geocoder().search('Paris', { count: 5, language: 'en' }))).code).toBe(code);
  });

  it('fails as PROVIDER_TIMEOUT on a slow answer', async () => {
    agent.get(GEO).intercept({ path: searchPath }).reply(200, fixture('open-meteo-geocoding-paris')).delay(2000);
    expect((await failure(geocoder().search('Paris', { count: 5, language: 'en' }))).code).toBe('PROVIDER_TIMEOUT');
  });
});
