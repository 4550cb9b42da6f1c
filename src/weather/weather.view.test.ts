import { readFileSync } from 'node:fs';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { LayoutVM } from '../web/view-model.js';
import { renderLayout } from '../web/views/layout.js';
import { fromWmoCode } from './weather.js';
import { createWeatherPresenter, localPath, refererPath } from './weather.presenter.js';
import type { Report } from './weather.service.js';
import { renderWeatherMain, renderWeatherWidget, type WeatherPageVM, type WeatherWidgetVM } from './weather.view.js';

const validator = new HtmlValidate(
  JSON.parse(readFileSync(new URL('../../.htmlvalidate.json', import.meta.url), 'utf8')) as ConfigData,
);

async function expectValidHtml(page: string): Promise<void> {
  const report = await validator.validateString(page);
  expect(
    report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)),
  ).toEqual([]);
}

const XSS = '<script>alert(1)</script>';
const presenter = createWeatherPresenter({ iconsHref: '/assets/weather-icons.abc.svg' });

const report = (name = 'New York', temperatureC = 3.8): Report => ({
  place: { id: 5128581, name, latitude: 40.71, longitude: -74.01, admin1: 'New York', country: 'United States' },
  reading: {
    temperatureC,
    condition: fromWmoCode(3)!,
    isDay: true,
    observedAt: new Date('2014-04-10T13:45:00Z'),
    provider: 'open-meteo',
  },
  fetchedAt: Date.parse('2014-04-10T13:50:00Z'),
  stale: false,
});

function layout(weather: WeatherWidgetVM): LayoutVM {
  return {
    siteName: 'Dateline',
    title: 'Weather | Dateline',
    language: 'en',
    stylesheetHref: '/assets/site.css',
    iconHref: '/assets/favicon.svg',
    nav: [{ href: '/world', label: 'World' }],
    headerWidgets: [renderWeatherWidget(weather)],
    scripts: ['/assets/weather.abc.js'],
  };
}

describe('the header widget', () => {
  it('shows temperature, unit, condition and city, with one sentence for screen readers', () => {
    const out = renderWeatherWidget(presenter.widget(report(), 'celsius')).toString();
    expect(out).toContain('<span class="weather-temp">3.8</span><span class="weather-unit">°C</span>');
    expect(out).toContain('<span class="weather-condition">Overcast</span>');
    expect(out).toContain('<span class="weather-city">New York</span>');
    expect(out).toContain('<span class="visually-hidden">3.8 degrees Celsius, overcast, in New York</span>');
    expect(out).toContain('<span class="weather-reading" aria-hidden="true">');
    expect(out).toContain('aria-hidden="true" focusable="false"');
    expect(out).toContain('<use href="/assets/weather-icons.abc.svg#cloudy">');
    expect(out).toContain('<a class="weather-change" href="/weather/city">Change city</a>');
    expect(out).toContain('data-weather-api="/api/weather"');
  });

  it('is made once per reading: the same view model and markup for every page until the next refresh', () => {
    const r = report();
    const first = presenter.widget(r, 'celsius');
    const again = presenter.widget({ ...r, stale: true }, 'celsius');
    expect(again).toBe(first);
    expect(renderWeatherWidget(again)).toBe(renderWeatherWidget(first));
    expect(presenter.widget(r, 'fahrenheit')).not.toBe(first);
    expect(presenter.widget({ ...r, reading: { ...r.reading, temperatureC: 4 } }, 'celsius').now?.temperature).toBe(
      '4.0',
    );
  });

  it('shows only the link while nothing is known', () => {
    const out = renderWeatherWidget(presenter.widget(undefined, 'celsius')).toString();
    expect(out).not.toContain('weather-now');
    expect(out).toContain('<a class="weather-change" href="/weather/city">Change city</a>');
  });

  it('escapes a hostile city name', () => {
    const out = renderWeatherWidget(presenter.widget(report(XSS), 'fahrenheit')).toString();
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
  });

  it('is valid HTML inside the layout, with and without a reading', async () => {
    await expectValidHtml(renderLayout(layout(presenter.widget(report(), 'celsius')), renderWeatherMain(page())));
    await expectValidHtml(renderLayout(layout(presenter.widget(undefined, 'celsius')), renderWeatherMain(page())));
  });
});

function page(overrides: Partial<Parameters<typeof presenter.page>[0]> = {}): WeatherPageVM {
  return presenter.page({
    report: report(),
    place: report().place,
    source: 'default',
    units: 'celsius',
    chosen: false,
    query: undefined,
    matches: undefined,
    saved: false,
    back: undefined,
    ...overrides,
  });
}

describe('the city page', () => {
  it.each([
    ['with matches', { query: 'Paris', matches: [report('Paris').place, { ...report('Paris').place, id: 2 }] }],
    ['with no match', { query: `Nowhere ${XSS}`, matches: [] }],
    ['with search unavailable', { query: 'Paris', matches: undefined }],
    ['after saving a choice', { saved: true, chosen: true, source: 'choice' as const, back: '/world' }],
    ['with no weather', { report: undefined }],
  ])('is valid HTML %s', async (_, overrides) => {
    const html = renderLayout(layout(presenter.widget(report(), 'celsius')), renderWeatherMain(page(overrides)));
    await expectValidHtml(html);
    expect(html).not.toContain('<script>alert');
  });

  it('keeps the back path in every form and links back', () => {
    const html = renderWeatherMain(page({ back: '/world?page=2', query: 'Paris', matches: [] })).toString();
    expect(html.match(/<input type="hidden" name="back" value="\/world\?page=2">/g)?.length).toBe(2);
    expect(html).toContain('<a href="/world?page=2">Back to the page you were reading</a>');
  });

  it('offers to forget only a chosen city', () => {
    expect(renderWeatherMain(page({ chosen: true })).toString()).toContain('Forget my city');
    expect(renderWeatherMain(page({ chosen: false })).toString()).not.toContain('Forget my city');
  });
});

describe('local paths', () => {
  it.each(['/', '/world', '/world?page=2', '/tag/diplomacy#x'])('accepts %s', (path) => {
    expect(localPath(path)).toBe(path);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    'world',
    '/a b',
    '',
    42,
  ])('refuses %j', (path) => {
    expect(localPath(path)).toBeUndefined();
  });

  it('finds the page a reader came from in a same-origin Referer', () => {
    const origins = new Set(['http://news.test']);
    expect(refererPath('http://news.test/world/2014/04/10/talks?page=2', origins)).toBe(
      '/world/2014/04/10/talks?page=2',
    );
    expect(refererPath('https://evil.example/world', origins)).toBeUndefined();
    expect(refererPath('http://news.test/weather/city?q=paris', origins)).toBeUndefined();
    expect(refererPath('not a url', origins)).toBeUndefined();
    expect(refererPath(undefined, origins)).toBeUndefined();
  });
});
