import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { FIXTURE_NOW, failure, fixture, fixtureJson } from './fixtures/fixtures.js';
import { MET_NORWAY, metNorwayProvider, pickCurrent } from './met-norway.provider.js';

const MET = 'https://api.met.no';
const BASE = `${MET}/weatherapi/locationforecast/2.0`;
const NEW_YORK = { latitude: 40.71427, longitude: -74.00597 };
const compactPath = (path: string) => path.startsWith('/weatherapi/locationforecast/2.0/compact?');
// As MET Norway sends them (RFC 1123 dates).
const HEADERS = {
  'content-type': 'application/json',
  expires: 'Thu, 10 Apr 2014 14:21:04 GMT',
  'last-modified': 'Thu, 10 Apr 2014 13:48:27 GMT',
};

let agent: MockAgent;
let http: HttpClient;
let now: number;
const warnings: string[] = [];
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = createHttpClient({ userAgent: 'dateline news.test ops@news.test', timeoutMs: 300, dispatcher: agent });
  now = FIXTURE_NOW;
  warnings.length = 0;
});
afterEach(() => agent.close());

const provider = () =>
  metNorwayProvider({ http, baseUrl: BASE, now: () => now, warn: (message) => warnings.push(message) });

describe('MET Norway locationforecast', () => {
  it('identifies itself, sends at most four decimals, and reads the current hour', async () => {
    let seen: { path: string; ua: string } = { path: '', ua: '' };
    agent
      .get(MET)
      .intercept({ path: compactPath })
      .reply((opts) => {
        seen = { path: opts.path, ua: (opts.headers as Record<string, string>)['user-agent'] ?? '' };
        return { statusCode: 200, data: fixture('met-norway-compact'), responseOptions: { headers: HEADERS } };
      });
    const fetched = await provider().current(NEW_YORK);
    const query = new URL(seen.path, MET).searchParams;
    expect([query.get('lat'), query.get('lon')]).toEqual(['40.7143', '-74.006']);
    expect(seen.ua).toBe('dateline news.test ops@news.test');
    expect(fetched.reading).toEqual({
      temperatureC: 3.6,
      condition: { id: 'overcast', text: 'overcast' },
      isDay: true,
      observedAt: new Date('2014-04-10T13:00:00Z'),
      provider: MET_NORWAY,
    });
    expect(fetched.notBefore).toEqual(new Date('2014-04-10T14:21:04Z'));
    expect(fetched.lastModified).toBe('Thu, 10 Apr 2014 13:48:27 GMT');
    expect(fetched.upcoming).toHaveLength(3);
  });

  it('sends If-Modified-Since with the previous Last-Modified, and on 304 moves on to the current hour', async () => {
    agent.get(MET).intercept({ path: compactPath }).reply(200, fixture('met-norway-compact'), { headers: HEADERS });
    const first = await provider().current(NEW_YORK);

    let ifModifiedSince: string | undefined;
    agent
      .get(MET)
      .intercept({ path: compactPath })
      .reply((opts) => {
        ifModifiedSince = (opts.headers as Record<string, string>)['if-modified-since'];
        return {
          statusCode: 304,
          data: '',
          responseOptions: { headers: { expires: 'Thu, 10 Apr 2014 14:51:04 GMT' } },
        };
      });
    now = Date.parse('2014-04-10T14:20:00Z');
    const second = await provider().current(NEW_YORK, first);
    expect(ifModifiedSince).toBe('Thu, 10 Apr 2014 13:48:27 GMT');
    expect(second.reading.temperatureC).toBe(4.4);
    expect(second.reading.condition.id).toBe('partly-cloudy');
    expect(second.notBefore).toEqual(new Date('2014-04-10T14:51:04Z'));
    expect(second.lastModified).toBe('Thu, 10 Apr 2014 13:48:27 GMT');
  });

  it('does not send If-Modified-Since for an answer another provider gave', async () => {
    let ifModifiedSince: string | undefined = 'unset';
    agent
      .get(MET)
      .intercept({ path: compactPath })
      .reply((opts) => {
        ifModifiedSince = (opts.headers as Record<string, string>)['if-modified-since'];
        return { statusCode: 200, data: fixture('met-norway-compact') };
      });
    const other = {
      reading: {
        temperatureC: 1,
        condition: { id: 'clear', text: 'clear sky' } as const,
        isDay: true,
        observedAt: new Date(FIXTURE_NOW),
        provider: 'open-meteo',
      },
      lastModified: 'Thu, 10 Apr 2014 13:00:00 GMT',
    };
    await provider().current(NEW_YORK, other);
    expect(ifModifiedSince).toBeUndefined();
  });

  it('uses a 203 answer and warns that the product version is deprecated', async () => {
    agent.get(MET).intercept({ path: compactPath }).reply(203, fixture('met-norway-compact'), { headers: HEADERS });
    expect((await provider().current(NEW_YORK)).reading.temperatureC).toBe(3.6);
    expect(warnings).toEqual([expect.stringContaining('203')]);
  });

  it('falls back to the six-hour symbol where the one-hour one is missing', async () => {
    now = Date.parse('2014-04-10T18:30:00Z');
    agent.get(MET).intercept({ path: compactPath }).reply(200, fixture('met-norway-compact'));
    const { reading } = await provider().current(NEW_YORK);
    expect(reading.temperatureC).toBe(5.1);
    expect(reading.condition.id).toBe('mainly-clear');
  });

  it.each([
    [429, 'PROVIDER_RATE_LIMITED'],
    [500, 'PROVIDER_UNAVAILABLE'],
    [503, 'PROVIDER_UNAVAILABLE'],
    [403, 'PROVIDER_REFUSED'],
  ])('fails on %i as %s', async (status, code) => {
    agent.get(MET).intercept({ path: compactPath }).reply(status, '<html>Error</html>');
    expect((await failure(provider().current(NEW_YORK))).code).toBe(code);
  });

  it('fails as PROVIDER_TIMEOUT on a slow answer', async () => {
    agent.get(MET).intercept({ path: compactPath }).reply(200, fixture('met-norway-compact')).delay(2000);
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_TIMEOUT');
  });

  it.each([
    ['malformed JSON', '{"type": "Feature", "properties": {'],
    ['no timeseries', JSON.stringify({ type: 'Feature', properties: { meta: {}, timeseries: [] } })],
    ['unknown symbols only', fixture('met-norway-compact').replace(/"symbol_code": "[a-z_]+"/g, '"symbol_code": "x"')],
    [
      'an impossible temperature',
      fixture('met-norway-compact').replace(/"air_temperature": [\d.]+/g, '"air_temperature": 999'),
    ],
  ])('fails as PROVIDER_BAD_RESPONSE on %s', async (_, body) => {
    agent.get(MET).intercept({ path: compactPath }).reply(200, body);
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('refuses a forecast whose hours are all long past', async () => {
    now = Date.parse('2014-04-12T00:00:00Z');
    agent.get(MET).intercept({ path: compactPath }).reply(200, fixture('met-norway-compact'));
    expect((await failure(provider().current(NEW_YORK))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('picks the latest hour that has begun, or the first one when it starts within the hour', () => {
    const body = fixtureJson('met-norway-compact');
    const times = ((body.properties as { timeseries: { time: string }[] }).timeseries ?? []).map((s) => s.time);
    const series = times.map((t) => ({
      temperatureC: 0,
      condition: { id: 'clear' as const, text: 'clear sky' },
      isDay: true,
      observedAt: new Date(t),
      provider: MET_NORWAY,
    }));
    expect(pickCurrent(series, Date.parse('2014-04-10T12:30:00Z'))?.observedAt.toISOString()).toBe(
      '2014-04-10T13:00:00.000Z',
    );
    expect(pickCurrent(series, Date.parse('2014-04-10T15:00:00Z'))?.observedAt.toISOString()).toBe(
      '2014-04-10T14:00:00.000Z',
    );
    expect(pickCurrent(series, Date.parse('2014-04-10T10:00:00Z'))).toBeUndefined();
  });
});
