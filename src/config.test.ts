import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The variable names a ConfigError lists, in order. */
function problemVariables(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.slice(0, p.indexOf('=')));
    throw err;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig defaults', () => {
  it('uses a default for every setting when the environment is empty', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: 'localhost',
      databaseUrl: 'sqlite:./data/dateline.db',
      siteUrl: 'http://localhost:3000',
      siteName: 'Dateline',
      siteDescription: 'Independent news, updated around the clock.',
      timeZone: 'America/New_York',
      language: 'en',
      mediaDir: './data/media',
      uploads: { maxBytes: 20 * 1024 * 1024 },
      pageCache: { enabled: true, maxBytes: 64 * 1024 * 1024 },
      heapGrowthPercent: 25,
      sharedCacheSeconds: 30,
      liveStreams: 'inline',
      demoContent: true,
      logLevel: 'info',
      logRequests: false,
      trustProxy: false,
      redisUrl: undefined,
      cacheChannel: 'dateline',
      jobs: { enabled: true, schema: 'pgboss', workerNice: 10 },
      weather: {
        providers: ['open-meteo', 'met-norway'],
        openMeteoUrl: 'https://api.open-meteo.com',
        openMeteoGeocodingUrl: 'https://geocoding-api.open-meteo.com',
        metNorwayUrl: 'https://api.met.no/weatherapi/locationforecast/2.0',
        userAgent: 'Dateline/0.1 (+http://localhost:3000)',
        timeoutMs: 2000,
        defaultCity: 'New York',
        units: 'celsius',
        cityHeader: 'cf-ipcity',
        latHeader: 'cf-iplatitude',
        lonHeader: 'cf-iplongitude',
        allowPrivateHosts: [],
      },
      contentApi: { key: undefined, corsOrigins: '*', rateLimitPerMinute: 600 },
      webhooks: { allowPrivateHosts: [] },
      feeds: { websubHub: undefined, sitemapPageSize: 2_000 },
      sources: { allowPrivateHosts: [], maxBytes: 20 * 1024 * 1024, perHost: 2 },
    });
  });

  it('reads HEAP_GROWTH_PERCENT from 0 (V8 decides) to 400, and refuses anything else', () => {
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '60' }).heapGrowthPercent).toBe(60);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-1' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '401' })).toThrow(/HEAP_GROWTH_PERCENT/);
  });

  it('reads WEBSUB_HUB and SITEMAP_PAGE_SIZE, and refuses a hub that is not an http(s) URL or a size past 50,000', () => {
    expect(loadConfig({ WEBSUB_HUB: 'https://hub.example/', SITEMAP_PAGE_SIZE: '1000' }).feeds).toEqual({
      websubHub: 'https://hub.example/',
      sitemapPageSize: 1000,
    });
    expect(() => loadConfig({ WEBSUB_HUB: 'ftp://hub.example/', SITEMAP_PAGE_SIZE: '50001' })).toThrow(
      /WEBSUB_HUB[\s\S]*SITEMAP_PAGE_SIZE/,
    );
  });

  it('reads JOBS, JOBS_SCHEMA and WORKER_NICE, and rejects a schema name that is not one', () => {
    expect(loadConfig({ JOBS: 'off', JOBS_SCHEMA: 'site_a_jobs', WORKER_NICE: '0' }).jobs).toEqual({
      enabled: false,
      schema: 'site_a_jobs',
      workerNice: 0,
    });
    expect(() => loadConfig({ JOBS: 'maybe', JOBS_SCHEMA: 'Bad-Name' })).toThrow(/JOBS[\s\S]*JOBS_SCHEMA/);
  });

  it('rejects a WORKER_NICE outside 0 to 19 (a worker may only lower its own priority)', () => {
    expect(() => loadConfig({ WORKER_NICE: '-5' })).toThrow(/WORKER_NICE/);
    expect(() => loadConfig({ WORKER_NICE: '20' })).toThrow(/WORKER_NICE/);
  });

  it('reads REDIS_URL and CACHE_CHANNEL, and rejects malformed ones together', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', CACHE_CHANNEL: 'site_a' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(config.cacheChannel).toBe('site_a');
    expect(() => loadConfig({ REDIS_URL: 'http://x', CACHE_CHANNEL: 'Bad Name' })).toThrow(
      /REDIS_URL[\s\S]*CACHE_CHANNEL/,
    );
  });

  it('reads the weather settings, and turns the widget off with WEATHER_PROVIDER=none', () => {
    const config = loadConfig({
      SITE_URL: 'https://news.example',
      WEATHER_PROVIDER: 'met-norway',
      MET_NORWAY_URL: 'https://met.example/locationforecast/2.0',
      WEATHER_USER_AGENT: 'news.example ops@news.example',
      WEATHER_TIMEOUT_MS: '1500',
      WEATHER_DEFAULT_CITY: ' Oslo ',
      WEATHER_UNITS: 'fahrenheit',
      WEATHER_CITY_HEADER: 'X-Geo-City',
      WEATHER_LAT_HEADER: 'x-geo-lat',
      WEATHER_LON_HEADER: 'x-geo-lon',
    }).weather;
    expect(config).toMatchObject({
      providers: ['met-norway'],
      metNorwayUrl: 'https://met.example/locationforecast/2.0',
      userAgent: 'news.example ops@news.example',
      timeoutMs: 1500,
      defaultCity: 'Oslo',
      units: 'fahrenheit',
      cityHeader: 'x-geo-city',
      latHeader: 'x-geo-lat',
      lonHeader: 'x-geo-lon',
    });
    expect(loadConfig({ SITE_URL: 'https://news.example' }).weather.userAgent).toBe(
      'Dateline/0.1 (+https://news.example)',
    );
    expect(loadConfig({ WEATHER_PROVIDER: 'met-norway, open-meteo' }).weather.providers).toEqual([
      'met-norway',
      'open-meteo',
    ]);
    expect(loadConfig({ WEATHER_PROVIDER: 'none' }).weather.providers).toEqual([]);
  });

  it('trusts private addresses only for the weather URLs set explicitly (a self-hosted Open-Meteo)', () => {
    const config = loadConfig({
      OPEN_METEO_URL: 'http://127.0.0.1:8080',
      OPEN_METEO_GEOCODING_URL: 'http://[::1]:8081/geo',
    }).weather;
    expect(config.openMeteoUrl).toBe('http://127.0.0.1:8080');
    expect(config.allowPrivateHosts).toEqual(['127.0.0.1', '::1']);
  });

  it('derives the default site URL from PORT', () => {
    expect(loadConfig({ PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: '???' }).port).toBe(3000);
  });
});

describe('loadConfig parsing', () => {
  it('parses PORT as an integer, including 0 for "any free port"', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('reads HOST, SITE_NAME, SITE_DESCRIPTION and MEDIA_DIR as given', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      SITE_NAME: 'The Daily Planet',
      SITE_DESCRIPTION: 'Metropolis news.',
      MEDIA_DIR: '/var/lib/dateline/media',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.siteName).toBe('The Daily Planet');
    expect(config.siteDescription).toBe('Metropolis news.');
    expect(config.mediaDir).toBe('/var/lib/dateline/media');
  });

  it.each([
    'sqlite:./data/test.db',
    'file:/var/lib/dateline.db',
    'postgres://user:secret@db:5432/dateline',
    'postgresql://db/dateline',
    './relative/path.db',
    '/absolute/path.db',
    'dateline.db',
    ':memory:',
  ])('accepts DATABASE_URL %s', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('keeps an http or https SITE_URL, including a path', () => {
    expect(loadConfig({ SITE_URL: 'https://news.example.com' }).siteUrl).toBe('https://news.example.com');
    expect(loadConfig({ SITE_URL: 'http://localhost:8080/news' }).siteUrl).toBe('http://localhost:8080/news');
  });

  it('removes trailing slashes from SITE_URL', () => {
    expect(loadConfig({ SITE_URL: 'https://news.example.com/' }).siteUrl).toBe('https://news.example.com');
    expect(loadConfig({ SITE_URL: 'https://example.com/news//' }).siteUrl).toBe('https://example.com/news');
  });

  it('prefers SITE_URL over the URL derived from PORT', () => {
    expect(loadConfig({ PORT: '8080', SITE_URL: 'https://news.example.com' }).siteUrl).toBe('https://news.example.com');
  });

  it('reads SITE_TIMEZONE and SITE_LANGUAGE', () => {
    const config = loadConfig({ SITE_TIMEZONE: 'Europe/London', SITE_LANGUAGE: 'en-GB' });
    expect(config.timeZone).toBe('Europe/London');
    expect(config.language).toBe('en-GB');
  });

  it('converts PAGE_CACHE_MAX_MB to bytes', () => {
    expect(loadConfig({ PAGE_CACHE_MAX_MB: '128' }).pageCache.maxBytes).toBe(128 * 1024 * 1024);
    expect(loadConfig({ PAGE_CACHE_MAX_MB: '1.5' }).pageCache.maxBytes).toBe(1.5 * 1024 * 1024);
  });

  it('converts UPLOAD_MAX_MB to bytes', () => {
    expect(loadConfig({ UPLOAD_MAX_MB: '5' }).uploads.maxBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({ UPLOAD_MAX_MB: '2.5' }).uploads.maxBytes).toBe(2.5 * 1024 * 1024);
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts LOG_LEVEL %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each([
    ['1', true],
    ['true', true],
    ['on', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['off', false],
    ['no', false],
  ])('reads the switch value %s as %s for every on/off setting', (value, expected) => {
    const config = loadConfig({
      PAGE_CACHE: value,
      DEMO_CONTENT: value,
      LOG_REQUESTS: value,
      TRUST_PROXY: value,
    });
    expect(config.pageCache.enabled).toBe(expected);
    expect(config.demoContent).toBe(expected);
    expect(config.logRequests).toBe(expected);
    expect(config.trustProxy).toBe(expected);
  });
});

describe('loadConfig empty strings', () => {
  it('treats empty strings as unset, as .env files write them', () => {
    const config = loadConfig({
      PORT: '',
      HOST: '',
      DATABASE_URL: '',
      SITE_URL: '',
      SITE_NAME: '',
      SITE_TIMEZONE: '',
      PAGE_CACHE: '',
      PAGE_CACHE_MAX_MB: '',
      UPLOAD_MAX_MB: '',
      LOG_LEVEL: '',
    });
    expect(config).toEqual(loadConfig({}));
  });

  it('treats undefined values as unset', () => {
    expect(loadConfig({ PORT: undefined, SITE_URL: undefined })).toEqual(loadConfig({}));
  });
});

describe('loadConfig validation', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', '~/dateline.db'],
    ['DATABASE_URL', 'mysql://root@localhost/news'],
    ['DATABASE_URL', 'postgress://typo@localhost/news'],
    ['SITE_URL', 'not-a-url'],
    ['SITE_URL', 'localhost:3000'],
    ['SITE_URL', 'ftp://example.com'],
    ['SITE_URL', 'javascript:alert(1)'],
    ['SITE_NAME', 'x'.repeat(101)],
    ['SITE_DESCRIPTION', 'x'.repeat(301)],
    ['SITE_TIMEZONE', 'Mars/Base'],
    ['SITE_LANGUAGE', 'English'],
    ['SITE_LANGUAGE', 'EN'],
    ['PAGE_CACHE', 'maybe'],
    ['PAGE_CACHE', 'TRUE'],
    ['PAGE_CACHE_MAX_MB', '0'],
    ['PAGE_CACHE_MAX_MB', '5000'],
    ['PAGE_CACHE_MAX_MB', 'lots'],
    ['UPLOAD_MAX_MB', '0'],
    ['UPLOAD_MAX_MB', '2048'],
    ['UPLOAD_MAX_MB', 'big'],
    ['DEMO_CONTENT', 'sometimes'],
    ['LOG_LEVEL', 'verbose'],
    ['LOG_REQUESTS', '2'],
    ['TRUST_PROXY', 'proxy'],
    ['WEATHER_PROVIDER', 'openweathermap'],
    ['WEATHER_PROVIDER', 'open-meteo,none'],
    ['WEATHER_PROVIDER', 'open-meteo,open-meteo'],
    ['OPEN_METEO_URL', 'api.open-meteo.com'],
    ['OPEN_METEO_GEOCODING_URL', 'ftp://geo.example'],
    ['MET_NORWAY_URL', 'not a url'],
    ['WEATHER_TIMEOUT_MS', '50'],
    ['WEATHER_TIMEOUT_MS', 'fast'],
    ['WEATHER_DEFAULT_CITY', 'x'],
    ['WEATHER_UNITS', 'kelvin'],
    ['WEATHER_CITY_HEADER', 'city header'],
    ['WEATHER_LAT_HEADER', 'lat:'],
  ])('rejects %s=%s', (name, value) => {
    expect(problemVariables({ [name]: value })).toEqual([name]);
  });

  it('lists every bad variable at once', () => {
    const problems = problemVariables({
      PORT: 'abc',
      SITE_TIMEZONE: 'Mars/Base',
      SITE_URL: 'not-a-url',
      PAGE_CACHE: 'maybe',
      HOST: 'fine.example.com',
    });
    expect(problems.sort()).toEqual(['PAGE_CACHE', 'PORT', 'SITE_TIMEZONE', 'SITE_URL']);
  });

  it('throws a ConfigError with the stable code CONFIG_INVALID', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'abc' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('shows the offending value in each problem and every problem in the message', () => {
    try {
      loadConfig({ PORT: 'abc', PAGE_CACHE: 'maybe' });
      expect.unreachable('loadConfig should throw');
    } catch (err) {
      const { problems, message } = err as ConfigError;
      expect(problems).toHaveLength(2);
      expect(problems.find((p) => p.startsWith('PORT='))).toContain('"abc"');
      expect(problems.find((p) => p.startsWith('PAGE_CACHE='))).toContain('"maybe"');
      for (const problem of problems) expect(message).toContain(problem);
    }
  });
});

describe('loadConfig result', () => {
  it('is frozen, nested page cache settings included', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.pageCache)).toBe(true);
    expect(Object.isFrozen(config.weather)).toBe(true);
    expect(Object.isFrozen(config.weather.providers)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.pageCache as { enabled: boolean }).enabled = false;
    }).toThrow(TypeError);
    expect(config.port).toBe(3000);
    expect(config.pageCache.enabled).toBe(true);
  });
});
