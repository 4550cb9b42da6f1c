import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { FIXTURE_NOW } from './fixtures/fixtures.js';
import {
  forecastBody,
  MET_ORIGIN,
  type MockUpstream,
  mockUpstream,
  OPEN_METEO_ORIGIN,
} from './fixtures/mock-upstream.js';
import { createWeatherService, type WeatherService } from './weather.service.js';

const quiet = { debug() {}, info() {}, warn() {} };
const MINUTE = 60_000;

describeTargets('weather service on $dialect', (target) => {
  let db: TestDb;
  let upstream: MockUpstream;
  /** The application's shared client, as the composition root would pass it. */
  let http: HttpClient;
  let service: WeatherService;
  let now: number;

  const build = (
    env: Record<string, string> = {},
    extra: { callsPerMinute?: number; tickMs?: number; http?: HttpClient } = {},
  ) =>
    createWeatherService({
      config: loadConfig({ WEATHER_PROVIDER: 'open-meteo,met-norway', ...env }).weather,
      language: 'en-US',
      database: db.database,
      log: quiet,
      http,
      now: () => now,
      ...extra,
    });

  beforeEach(async () => {
    db = await createTestDb(target);
    await migrate(db.database);
    upstream = mockUpstream();
    http = createHttpClient({ userAgent: 'Dateline-test', dispatcher: upstream.agent });
    now = FIXTURE_NOW;
    service = build();
  });
  afterEach(async () => {
    await service.close();
    await http.close();
    await upstream.agent.close();
    await db.cleanup();
  });

  describe('city resolution', () => {
    it("uses the reader's chosen place first", async () => {
      const [paris] = await service.search('Paris');
      const resolved = await service.resolve({
        placeId: paris?.id as number,
        location: { city: 'Austin', latitude: 30.27, longitude: -97.74 },
      });
      expect(resolved).toEqual({ place: paris, source: 'choice' });
    });

    it('uses the location headers when there is no choice, or the choice is unknown', async () => {
      const location = { city: 'Austin', latitude: 30.27, longitude: -97.74 };
      const expected = { place: { name: 'Austin', latitude: 30.27, longitude: -97.74 }, source: 'location' };
      expect(await service.resolve({ location })).toEqual(expected);
      expect(await service.resolve({ placeId: 999, location })).toEqual(expected);
    });

    it('looks up a location header that gives only a city', async () => {
      const resolved = await service.resolve({ location: { city: 'Paris' } });
      expect(resolved?.source).toBe('location');
      expect(resolved?.place.id).toBe(2988507);
    });

    it('falls back to the default city, looked up once and then kept in the database', async () => {
      const resolved = await service.resolve({ location: { latitude: 200, longitude: 0 } });
      expect(resolved?.source).toBe('default');
      expect(resolved?.place).toMatchObject({ id: 5128581, name: 'New York', admin1: 'New York' });
      expect(upstream.geocoding.calls).toBe(1);
      const second = build();
      try {
        expect((await second.resolve({}))?.place.id).toBe(5128581);
        expect(upstream.geocoding.calls).toBe(1);
      } finally {
        await second.close();
      }
    });

    it('has no place at all when the default city is unknown to the geocoder', async () => {
      const other = build({ WEATHER_DEFAULT_CITY: 'Xyzzyville' });
      try {
        expect(await other.resolve({})).toBeUndefined();
      } finally {
        await other.close();
      }
    });
  });

  describe('search', () => {
    it('asks the geocoder once per name and keeps the answer, empty answers too', async () => {
      expect((await service.search('  PARIS ')).map((p) => p.admin1)).toEqual(['Île-de-France', 'Texas', 'Tennessee']);
      expect((await service.search('paris')).length).toBe(3);
      expect(await service.search('Xyzzyville')).toEqual([]);
      expect(await service.search('xyzzyville')).toEqual([]);
      expect(upstream.geocoding.calls).toBe(2);
      expect(new URL(upstream.geocoding.paths[0] ?? '', 'http://x').searchParams.get('language')).toBe('en');
    });

    it('asks the geocoder once for a new name however many readers search it at once', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => service.search('Paris')));
      expect(answers.every((a) => a.length === 3)).toBe(true);
      expect(upstream.geocoding.calls).toBe(1);
    });

    it('does not ask for names shorter than two letters', async () => {
      expect(await service.search(' p ')).toEqual([]);
      expect(upstream.geocoding.calls).toBe(0);
    });

    it('fails with the provider error when the geocoder is down, and stores nothing', async () => {
      upstream.geocoding.status = 503;
      await expect(service.search('Paris')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      upstream.geocoding.status = 200;
      expect((await service.search('Paris')).length).toBe(3);
    });
  });

  describe('the default city on pages', () => {
    it('renders nothing until the first value arrives, then tells listeners once per change', async () => {
      let changes = 0;
      service.onDefaultChange(() => changes++);
      expect(service.defaultReport()).toBeUndefined();
      service.start();
      await waitFor(() => service.defaultReport() !== undefined);
      expect(service.defaultReport()?.reading.temperatureC).toBe(3.8);
      expect(changes).toBe(1);

      // Same value after the next refresh: nothing to tell.
      now += 11 * MINUTE;
      service.defaultReport();
      await waitFor(() => upstream.forecast.calls === 2);
      await settle();
      expect(changes).toBe(1);

      upstream.forecast.body = forecastBody(5.1, 61);
      now += 11 * MINUTE;
      service.defaultReport();
      await waitFor(() => service.defaultReport()?.reading.temperatureC === 5.1);
      expect(changes).toBe(2);
    });

    it('tells listeners when the last good value expires with the provider down, and then shows nothing', async () => {
      const ticking = build({}, { tickMs: 10 });
      let changes = 0;
      ticking.onDefaultChange(() => changes++);
      try {
        ticking.start();
        await waitFor(() => changes === 1);
        upstream.forecast.status = 503;
        upstream.met.status = 503;
        now += 2 * 60 * MINUTE;
        await settle();
        expect(ticking.defaultReport()?.reading.temperatureC).toBe(3.8);
        expect(changes).toBe(1);
        now += 2 * 60 * MINUTE;
        await waitFor(() => changes === 2);
        expect(ticking.defaultReport()).toBeUndefined();
      } finally {
        await ticking.close();
      }
    });

    it('fails over to MET Norway when Open-Meteo is down', async () => {
      upstream.forecast.status = 500;
      const [paris] = await service.search('Paris');
      now = Date.parse('2014-04-10T13:50:00Z');
      const report = await service.current(paris!);
      expect(report?.reading.provider).toBe('met-norway');
    });
  });

  describe('the shared HTTP client', () => {
    it('is used, not closed: closing the service leaves it to whoever created it', async () => {
      const shared = { ...http, close: vi.fn(http.close) };
      const own = build({}, { http: shared });
      expect((await own.search('Paris')).length).toBe(3);
      await own.close();
      expect(shared.close).not.toHaveBeenCalled();
    });

    it("asks for JSON within the widget's own budget, whatever the client's default", async () => {
      const silent = new MockAgent();
      silent.disableNetConnect();
      const accepts: string[] = [];
      // Never answers: only the widget's 100 ms budget ends these calls; the client's default would outlast the test.
      for (const origin of [OPEN_METEO_ORIGIN, MET_ORIGIN]) {
        silent
          .get(origin)
          .intercept({ path: () => true })
          .reply(200, (opts) => {
            accepts.push(String((opts.headers as Record<string, string>)['accept']));
            return new Promise<string>(() => {});
          })
          .persist();
      }
      const patient = createHttpClient({ userAgent: 'Dateline-test', timeoutMs: 600_000, dispatcher: silent });
      const hurried = build({ WEATHER_TIMEOUT_MS: '100' }, { http: patient });
      try {
        expect(await hurried.current({ name: 'Somewhere', latitude: 1, longitude: 1 })).toBeUndefined();
        expect(accepts).toEqual(['application/json', 'application/json']);
      } finally {
        await hurried.close();
        await patient.close();
        await silent.close();
      }
    });
  });

  describe('current weather', () => {
    it('asks the provider with coordinates on a one-kilometre grid', async () => {
      await service.current({ name: 'Somewhere', latitude: 40.712776, longitude: -74.005974 });
      const query = new URL(upstream.forecast.paths[0] ?? '', 'http://x').searchParams;
      expect([query.get('latitude'), query.get('longitude')]).toEqual(['40.71', '-74.01']);
    });

    it('answers nothing, quickly, when every provider is down', async () => {
      upstream.forecast.status = 503;
      upstream.met.status = 429;
      expect(await service.current({ name: 'Somewhere', latitude: 1, longitude: 1 })).toBeUndefined();
    });

    it('caps upstream calls per minute for readers asking many places, but not for the default city', async () => {
      const capped = build({}, { callsPerMinute: 3 });
      try {
        for (let i = 0; i < 6; i++) await capped.current({ name: `P${i}`, latitude: i, longitude: i });
        expect(upstream.forecast.calls).toBe(3);
        const resolved = await capped.resolve({});
        expect(await capped.current(resolved!.place)).toBeDefined();
        expect(upstream.forecast.calls).toBe(4);
        now += MINUTE;
        await capped.current({ name: 'Later', latitude: 50, longitude: 50 });
        expect(upstream.forecast.calls).toBe(5);
      } finally {
        await capped.close();
      }
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 20));
