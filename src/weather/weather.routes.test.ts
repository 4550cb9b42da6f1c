import type { FastifyInstance } from 'fastify';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { fixture } from './fixtures/fixtures.js';
import { type MockUpstream, mockUpstream, OPEN_METEO_ORIGIN } from './fixtures/mock-upstream.js';

const NEW_YORK_LABEL = '3.8 degrees Celsius, overcast, in New York';
const AUSTIN = { 'cf-ipcity': 'Austin', 'cf-iplatitude': '30.27', 'cf-iplongitude': '-97.74' };
const SITE = 'http://news.test';
const PARIS_TX = 4717560;

/** Waits until the default city's weather has arrived (the first page render asked for it). */
async function defaultWeatherReady(app: FastifyInstance): Promise<void> {
  await vi.waitFor(
    () => {
      if (!app.dateline.weather?.defaultReport()) throw new Error('the default city weather never arrived');
    },
    { timeout: 10_000, interval: 10 },
  );
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeTargets('weather routes on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let upstream: MockUpstream;

  beforeAll(async () => {
    upstream = mockUpstream();
    t = await createTestApp({ WEATHER_PROVIDER: 'open-meteo,met-norway' }, target, { httpDispatcher: upstream.agent });
    app = t.app;
    // The geocoder's Paris matches, as a reader's search stores them.
    expect((await app.inject('/weather/city?q=Paris')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.cleanup();
    await upstream.agent.close();
  });
  beforeEach(() => {
    upstream.forecast.status = 200;
    upstream.met.status = 200;
    upstream.geocoding.status = 200;
  });

  describe('GET /api/weather', () => {
    it("answers the default city's weather to a reader without a choice or a location", async () => {
      const res = await app.inject('/api/weather');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        place: { id: 5128581, name: 'New York', admin1: 'New York', country: 'United States' },
        source: 'default',
        weather: {
          temperature: 3.8,
          text: '3.8',
          unit: 'celsius',
          unitSymbol: '°C',
          condition: 'overcast',
          conditionText: 'Overcast',
          icon: 'cloudy',
          label: NEW_YORK_LABEL,
          provider: 'open-meteo',
          stale: false,
        },
      });
      expect(res.headers['cache-control']).toBe('private, max-age=300');
      expect(res.headers.vary).toBe('cookie, cf-ipcity, cf-iplatitude, cf-iplongitude');
    });

    it('resolves the city in order: the cookie beats the CDN header, which beats the default', async () => {
      const both = await app.inject({
        url: '/api/weather',
        headers: { cookie: `weather_place=${PARIS_TX}`, ...AUSTIN },
      });
      expect(both.json()).toMatchObject({ source: 'choice', place: { id: PARIS_TX, name: 'Paris', admin1: 'Texas' } });

      const header = await app.inject({ url: '/api/weather', headers: AUSTIN });
      expect(header.json()).toMatchObject({
        source: 'location',
        place: { id: null, name: 'Austin', latitude: 30.27, longitude: -97.74 },
      });
      expect(header.json().weather.label).toBe('3.8 degrees Celsius, overcast, in Austin');

      const neither = await app.inject({ url: '/api/weather', headers: { cookie: 'weather_place=12345' } });
      expect(neither.json()).toMatchObject({ source: 'default', place: { name: 'New York' } });
    });

    it("uses the reader's units cookie, and ?units= over it", async () => {
      const cookie = await app.inject({ url: '/api/weather', headers: { cookie: 'weather_units=fahrenheit' } });
      expect(cookie.json().weather).toMatchObject({ temperature: 38.8, unitSymbol: '°F' });
      const query = await app.inject({
        url: '/api/weather?units=celsius',
        headers: { cookie: 'weather_units=fahrenheit' },
      });
      expect(query.json().weather.unitSymbol).toBe('°C');
    });

    it('answers a named city the same for everyone, cookies aside, and lets shared caches keep it', async () => {
      const res = await app.inject({
        url: '/api/weather?city=paris',
        headers: { cookie: `weather_place=5128581; weather_units=fahrenheit`, ...AUSTIN },
      });
      expect(res.json()).toMatchObject({ source: 'query', place: { id: 2988507, country: 'France' } });
      expect(res.json().weather.unit).toBe('celsius');
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.headers.vary).toBeUndefined();
      expect((await app.inject(`/api/weather?place=${PARIS_TX}`)).json().place.admin1).toBe('Texas');
      expect((await app.inject('/api/weather?lat=48.85&lon=2.35')).json().place.name).toBe('your area');
    });

    it('takes coordinates as decimals, negative ones and the edges of the map included', async () => {
      for (const [lat, lon] of [
        ['-33.8688', '151.2093'],
        ['90', '-180'],
        ['-90.0', '180.000'],
        ['0', '-0.1276'],
      ]) {
        const res = await app.inject(`/api/weather?lat=${lat}&lon=${lon}`);
        expect(res.statusCode, `${lat},${lon}`).toBe(200);
        expect(res.json().place).toMatchObject({ latitude: Number(lat), longitude: Number(lon) });
      }
    });

    it.each([
      ['/api/weather?lat=91&lon=0', 'a latitude off the Earth'],
      ['/api/weather?lat=40', 'a latitude without a longitude'],
      ['/api/weather?city=Paris&place=1', 'two ways to name a place'],
      ['/api/weather?city=x', 'a one-letter city'],
      [`/api/weather?city=${'x'.repeat(101)}`, 'a city name over 100 characters'],
      ['/api/weather?place=abc', 'a place id that is not a number'],
      ['/api/weather?lat=Infinity&lon=1', 'an infinite latitude'],
      ['/api/weather?lat=-Infinity&lon=1', 'a negative infinite latitude'],
      ['/api/weather?lat=1e999&lon=1', 'a latitude that overflows to infinity'],
      ['/api/weather?lat=NaN&lon=1', 'a latitude that is not a number'],
      ['/api/weather?lat=1&lon=Infinity', 'an infinite longitude'],
      ['/api/weather?lat=1&lon=-1e999', 'a longitude that overflows to minus infinity'],
      ['/api/weather?lat=0&lon=180.5', 'a longitude off the Earth'],
      ['/api/weather?place=Infinity', 'an infinite place id'],
      ['/api/weather?place=2147483648', 'a place id over the database range'],
      ['/api/weather?units=kelvin', 'unknown units'],
    ])('answers %s (%s) with 400 BAD_QUERY', async (url) => {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BAD_QUERY');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers an unknown city or place with 404 PLACE_NOT_FOUND', async () => {
      for (const url of ['/api/weather?city=Xyzzyville', '/api/weather?place=999999']) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('PLACE_NOT_FOUND');
      }
    });

    it('makes one upstream call for many concurrent readers of one place', async () => {
      const before = upstream.forecast.calls;
      const answers = await Promise.all(
        Array.from({ length: 200 }, () => app.inject('/api/weather?lat=51.5072&lon=-0.1276')),
      );
      expect(answers.every((a) => a.statusCode === 200 && a.json().weather.temperature === 3.8)).toBe(true);
      expect(upstream.forecast.calls - before).toBe(1);
    });

    it('answers weather: null, not a 5xx, when every provider is down', async () => {
      upstream.forecast.status = 503;
      upstream.met.status = 500;
      const res = await app.inject('/api/weather?lat=10&lon=10');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ place: { name: 'your area' }, weather: null });
      expect(res.headers['cache-control']).toBe('public, max-age=60');
    });

    it('answers place: null, not a 5xx, when the geocoder is down for a city never searched', async () => {
      upstream.geocoding.status = 503;
      const res = await app.inject('/api/weather?city=Lisbon');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ place: null, source: 'query', weather: null });
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('the city page without JavaScript', () => {
    it('lists the geocoder matches as a form and is never cached', async () => {
      const res = await app.inject('/weather/city?q=Paris&back=%2Fworld');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      const radios = [...res.body.matchAll(/<input type="radio" name="place" id="place-(\d+)" value="\d+"/g)];
      expect(radios.map((m) => Number(m[1]))).toEqual([2988507, PARIS_TX, 4647963]);
      expect(res.body).toContain('Paris, Île-de-France, France');
      expect(res.body).toContain('<form class="weather-form" method="post" action="/weather/city">');
      expect(res.body).toContain('<input type="hidden" name="back" value="/world">');
      expect(res.body).toContain('<a href="/world">Back to the page you were reading</a>');
    });

    it('finds the page to go back to in a same-origin Referer, and keeps it in its forms', async () => {
      const res = await app.inject({ url: '/weather/city', headers: { referer: `${SITE}/world?page=2` } });
      expect(res.body).toContain('<input type="hidden" name="back" value="/world?page=2">');
      expect(res.body).toContain('<a href="/world?page=2">Back to the page you were reading</a>');
      const foreign = await app.inject({ url: '/weather/city', headers: { referer: 'https://evil.example/x' } });
      expect(foreign.body).not.toContain('name="back"');
    });

    it('says so when no city matches, and when search is unavailable', async () => {
      expect((await app.inject('/weather/city?q=Xyzzyville')).body).toContain('No city matches “Xyzzyville”');
      upstream.geocoding.status = 500;
      const down = await app.inject('/weather/city?q=Lisbon');
      expect(down.statusCode).toBe(200);
      expect(down.body).toContain('City search is not available right now');
    });

    it('saves the chosen place and units in cookies and redirects back to the page (303)', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, origin: SITE },
        payload: form({ action: 'choose', place: String(PARIS_TX), units: 'fahrenheit', back: '/world' }),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/weather/city?saved=1&back=%2Fworld');
      expect(res.headers['set-cookie']).toEqual([
        `weather_place=${PARIS_TX}; Path=/; Max-Age=31536000; SameSite=Lax`,
        'weather_units=fahrenheit; Path=/; Max-Age=31536000; SameSite=Lax',
      ]);

      const page = await app.inject({
        url: res.headers.location as string,
        headers: { cookie: `weather_place=${PARIS_TX}; weather_units=fahrenheit` },
      });
      expect(page.body).toContain('Saved. This page shows the weather for Paris, Texas, United States');
      expect(page.body).toContain('38.8 degrees Fahrenheit, overcast, in Paris');
      expect(page.body).toContain('(your choice)');
      // The header widget of this (uncached, personal) page shows the reader's city too.
      const header = page.body.slice(page.body.indexOf('<header'), page.body.indexOf('</header>'));
      expect(header).toContain('<span class="weather-city">Paris</span>');
      expect(header).toContain('<span class="weather-unit">°F</span>');
    });

    it('forgets the chosen place', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, origin: SITE },
        payload: form({ action: 'forget' }),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/weather/city');
      expect(res.headers['set-cookie']).toEqual(['weather_place=; Path=/; Max-Age=0; SameSite=Lax']);
    });

    it('refuses a form posted from another site with 403 CROSS_ORIGIN', async () => {
      for (const headers of [{ origin: 'https://evil.example' }, { referer: 'https://evil.example/page' }]) {
        const res = await app.inject({
          method: 'POST',
          url: '/weather/city',
          headers: { ...FORM, ...headers },
          payload: form({ action: 'choose', place: String(PARIS_TX) }),
        });
        expect(res.statusCode).toBe(403);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const ours = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, referer: `${SITE}/weather/city?q=paris` },
        payload: form({ action: 'units', units: 'celsius' }),
      });
      expect(ours.statusCode).toBe(303);
    });

    it('refuses an unknown place (404 PLACE_NOT_FOUND) and a choice without a place (400)', async () => {
      const unknown = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, origin: SITE },
        payload: form({ action: 'choose', place: '999999' }),
      });
      expect(unknown.statusCode).toBe(404);
      const none = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, origin: SITE },
        payload: form({ action: 'choose' }),
      });
      expect(none.statusCode).toBe(400);
      const infinite = await app.inject({
        method: 'POST',
        url: '/weather/city',
        headers: { ...FORM, origin: SITE },
        payload: form({ action: 'choose', place: 'Infinity' }),
      });
      expect(infinite.statusCode).toBe(400);
      expect(infinite.headers['set-cookie']).toBeUndefined();
    });

    it('never sends a reader back to another site', async () => {
      for (const back of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
        const page = await app.inject(`/weather/city?back=${encodeURIComponent(back)}`);
        expect(page.body, back).not.toContain('Back to the page you were reading');
        const res = await app.inject({
          method: 'POST',
          url: '/weather/city',
          headers: { ...FORM, origin: SITE },
          payload: form({ action: 'units', units: 'celsius', back }),
        });
        expect(res.headers.location, back).toBe('/weather/city?saved=1');
      }
    });
  });

  describe('pages stay shared-cacheable', () => {
    it('puts the default city into every page, the same bytes for every reader, with no Vary: Cookie', async () => {
      await app.dateline.articles.save(articleInput({ headline: 'Weather widget story' }));
      const home = await app.inject('/');
      const url = home.body.match(/href="(\/world\/\d{4}\/\d{2}\/\d{2}\/weather-widget-story)"/)![1]!;
      await defaultWeatherReady(app);
      const plain = await app.inject(url);
      expect(plain.body).toContain(NEW_YORK_LABEL);
      expect(plain.body).toMatch(/<script src="\/assets\/weather\.[0-9a-f]{12}\.js" defer><\/script>/);
      expect(plain.headers.vary).toBe('Accept-Encoding');
      const personal = await app.inject({
        url,
        headers: { cookie: `weather_place=${PARIS_TX}; weather_units=fahrenheit`, ...AUSTIN },
      });
      expect(personal.body).toBe(plain.body);
      expect(personal.headers.etag).toBe(plain.headers.etag);
      expect(personal.headers['cache-control']).toBe(plain.headers['cache-control']);
    });

    it('serves the script and the icons under hashed, immutable names', async () => {
      const page = await app.inject('/');
      const script = page.body.match(/src="(\/assets\/weather\.[0-9a-f]{12}\.js)"/)![1]!;
      const icons = page.body.match(/data-weather-icons="(\/assets\/weather-icons\.[0-9a-f]{12}\.svg)"/)![1]!;
      const js = await app.inject(script);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(js.body).toContain('data-weather-api');
      const svg = await app.inject(icons);
      expect(svg.headers['content-type']).toBe('image/svg+xml');
      for (const id of ['clear-day', 'clear-night', 'partly-cloudy-day', 'cloudy', 'fog', 'rain', 'snow', 'thunder']) {
        expect(svg.body).toContain(`<symbol id="${id}"`);
      }
    });
  });
});

describe('pages while the provider is slow or down', () => {
  it('renders pages at once without the widget, drops them from the cache when weather arrives', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const events: string[] = [];
    agent
      .get('https://geocoding-api.open-meteo.com')
      .intercept({ path: (p) => p.startsWith('/v1/search') })
      .reply(200, fixture('open-meteo-geocoding-new-york'))
      .persist();
    agent
      .get(OPEN_METEO_ORIGIN)
      .intercept({ path: (p) => p.startsWith('/v1/forecast') })
      .reply(() => {
        events.push('forecast answered');
        return { statusCode: 200, data: fixture('open-meteo-forecast') };
      });
    // Forecast requests are held until the test releases them: a page that waited for the weather could not be
    // answered before. Released anyway after 10 s, so that such a page fails the order check below, not the timeout.
    const held: (() => void)[] = [];
    let released = false;
    const release = () => {
      released = true;
      for (const go of held.splice(0)) go();
    };
    const fallback = setTimeout(release, 10_000);
    const dispatcher = agent.compose((dispatch) => (opts, handler) => {
      if (released || !String(opts.path).startsWith('/v1/forecast')) return dispatch(opts, handler);
      held.push(() => dispatch(opts, handler));
      return true;
    });
    // The provider's own time budget must not end the wait either.
    const t = await createTestApp({ WEATHER_PROVIDER: 'open-meteo', WEATHER_TIMEOUT_MS: '30000' }, undefined, {
      httpDispatcher: dispatcher,
    });
    try {
      await t.app.dateline.articles.save(articleInput({ headline: 'A slow weather day' }));
      const first = await t.app.inject('/');
      events.push('page answered');
      expect(events, 'the page waited for the forecast').toEqual(['page answered']);
      release();
      expect(first.statusCode).toBe(200);
      expect(first.body).not.toContain('weather-now');
      expect(first.body).toContain('<a class="weather-change" href="/weather/city">Change city</a>');
      expect(t.app.dateline.pageCache?.size).toBe(1);
      // The cached page carries the weather tag: when the weather arrives, it is dropped and rendered anew.
      await defaultWeatherReady(t.app);
      expect(events).toEqual(['page answered', 'forecast answered']);
      const second = await t.app.inject('/');
      expect(second.body).toContain(NEW_YORK_LABEL);
      expect(second.headers.etag).not.toBe(first.headers.etag);
    } finally {
      clearTimeout(fallback);
      release();
      await t.cleanup();
      await agent.close();
    }
  });

  it('never answers a page with a 5xx when every provider and the geocoder are down', async () => {
    const upstream = mockUpstream();
    upstream.forecast.status = 503;
    upstream.met.status = 429;
    upstream.geocoding.status = 500;
    const t = await createTestApp({}, undefined, { httpDispatcher: upstream.agent });
    const t2 = await createTestApp({ WEATHER_PROVIDER: 'open-meteo,met-norway', PAGE_CACHE: 'off' }, undefined, {
      httpDispatcher: upstream.agent,
    });
    try {
      await t2.app.dateline.articles.save(articleInput({ headline: 'Storm knocks out the forecast' }));
      for (let i = 0; i < 5; i++) {
        for (const url of ['/', '/world', '/api/weather', '/api/weather?city=Paris', '/weather/city?q=Paris']) {
          const res = await t2.app.inject(url);
          expect(res.statusCode, url).toBeLessThan(500);
        }
      }
      expect((await t2.app.inject('/api/weather')).json()).toEqual({ place: null, source: 'default', weather: null });
      // With the widget off there is no widget, no weather script, and no weather endpoints.
      const off = await t.app.inject('/');
      expect(off.body).not.toContain('class="weather"');
      expect(off.body).not.toMatch(/<script[^>]+weather/);
      expect((await t.app.inject('/api/weather')).statusCode).toBe(404);
      expect((await t.app.inject('/weather/city')).statusCode).toBe(404);
    } finally {
      await t.cleanup();
      await t2.cleanup();
      await upstream.agent.close();
    }
  });
});
