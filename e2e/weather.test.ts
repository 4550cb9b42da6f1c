/**
 * The weather widget in a real browser: the built server with a local
 * fixture server standing in for Open-Meteo (see e2e/server.ts).
 *
 * Pages are cached for everyone with the default city (New York). Without
 * JavaScript, a reader who picks a city sees it on the city page
 * (/weather/city), which is theirs alone; shared pages keep the default. With
 * JavaScript, the header of every page swaps in the reader's city.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'test-results');
const PARIS_TEXAS = '4717560';
const TIMEOUT_MS = 5_000;

let server: TestServer;
let browser: Browser;
let articlePath: string;
const problems: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  // The server fetches the default city's weather on start; wait until it has it.
  const deadline = Date.now() + 10_000;
  while (((await (await fetch(`${server.url}/api/weather`)).json()) as { weather: unknown }).weather === null) {
    if (Date.now() > deadline) throw new Error('the default city weather never arrived');
    await new Promise((r) => setTimeout(r, 100));
  }
  const home = await (await fetch(`${server.url}/`)).text();
  const found = home.match(/<h2 class="top-story-title"><a href="([^"]+)"/)?.[1];
  if (!found) throw new Error('no top story on the home page');
  articlePath = found;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs `fn` in a fresh context; records console errors and requests to other origins. */
async function withPage<T>(fn: (page: Page) => Promise<T>, options: BrowserContextOptions = {}): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(`${server.url}/`) && !r.url().startsWith('data:')) problems.push(`foreign: ${r.url()}`);
  });
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent({ timeout: TIMEOUT_MS })) ?? '').replace(/\s+/g, ' ').trim();

/** Searches a city on the city page, picks a match by its label, chooses units, and saves. */
async function chooseCity(page: Page, search: string, match: string, units: 'Celsius' | 'Fahrenheit') {
  await page.locator('a.weather-change').click();
  await page.waitForURL(/\/weather\/city$/);
  await page.getByLabel('City', { exact: true }).fill(search);
  // The city search's own button (the header has the site search's).
  await page.locator('main').getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/weather\/city\?q=/);
  await page.getByLabel(match).check();
  await page.locator('form:has(button[value="choose"])').getByLabel(units, { exact: false }).check();
  await page.getByRole('button', { name: 'Use this city' }).click();
  await page.waitForURL(/\/weather\/city\?saved=1/);
}

describe('weather widget in a browser', () => {
  it("shows the default city's weather in the header of an article, even without JavaScript", async () => {
    await withPage(
      async (page) => {
        await page.goto(`${server.url}${articlePath}`);
        const widget = page.locator('.site-header .weather-now');
        await widget.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        expect(await text(page, '.site-header .weather-temperature')).toBe('3.8°C');
        expect(await text(page, '.site-header .weather-city')).toBe('New York');
        expect(await text(page, '.site-header .weather-condition')).toBe('Overcast');
        expect(await text(page, '.site-header .weather-reading')).toBe('3.8°C Overcast New York');
        expect(await text(page, '.site-header .weather .visually-hidden')).toBe(
          '3.8 degrees Celsius, overcast, in New York',
        );
        const box = await page.locator('.site-header .weather-icon').boundingBox();
        expect(box?.width).toBeGreaterThan(16);
        mkdirSync(RESULTS_DIR, { recursive: true });
        await page.screenshot({
          path: join(RESULTS_DIR, 'weather-header.png'),
          clip: { x: 0, y: 0, width: 1280, height: 160 },
        });
      },
      { javaScriptEnabled: false },
    );
  });

  it('lets a reader without JavaScript pick a city: search, choose a match, saved in a cookie', async () => {
    await withPage(
      async (page) => {
        await page.goto(`${server.url}${articlePath}`);
        await chooseCity(page, 'Paris', 'Paris, Texas, United States', 'Fahrenheit');
        expect(await text(page, '[role="status"]')).toContain('Saved. This page shows the weather for Paris, Texas');
        // The city page is the reader's own: its header shows their city, in their units.
        expect(await text(page, '.site-header .weather-city')).toBe('Paris');
        expect(await text(page, '.site-header .weather-temperature')).toBe('38.8°F');
        expect(await text(page, 'main .weather-now .visually-hidden')).toBe(
          '38.8 degrees Fahrenheit, overcast, in Paris',
        );
        const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c]));
        expect(cookies.weather_place?.value).toBe(PARIS_TEXAS);
        expect(cookies.weather_place?.sameSite).toBe('Lax');
        expect(cookies.weather_units?.value).toBe('fahrenheit');
        mkdirSync(RESULTS_DIR, { recursive: true });
        await page.screenshot({ path: join(RESULTS_DIR, 'weather-city.png'), fullPage: true });

        // Back on the shared, cached article page: the default city (this design, without JavaScript).
        await page.getByRole('link', { name: 'Back to the page you were reading' }).click();
        await page.waitForURL(`${server.url}${articlePath}`);
        expect(await text(page, '.site-header .weather-city')).toBe('New York');
      },
      { javaScriptEnabled: false },
    );
  });

  it("swaps the reader's city into the cached page with JavaScript, from the same page bytes", async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}${articlePath}`);
      await chooseCity(page, 'Paris', 'Paris, Île-de-France, France', 'Celsius');
      const response = await page.goto(`${server.url}${articlePath}`);
      // What the server sent is the shared page with New York in it…
      expect(await response?.text()).toContain('3.8 degrees Celsius, overcast, in New York');
      // …and the script put the reader's city in its place.
      // The script names the place it asked for by id (from the cookie): an answer any reader of Paris may share.
      await page
        .locator('.site-header .weather[data-weather-source="query"]')
        .waitFor({ state: 'attached', timeout: TIMEOUT_MS });
      expect(await text(page, '.site-header .weather-city')).toBe('Paris');
      // The swapped markup reads like the server's: the same words and spaces.
      expect(await text(page, '.site-header .weather-reading')).toBe('3.8°C Overcast Paris');
      expect(await text(page, '.site-header .weather .visually-hidden')).toBe(
        '3.8 degrees Celsius, overcast, in Paris',
      );
      await page.locator('.site-header .weather-icon').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    });
  });

  it('keeps the default city with JavaScript when the reader has no choice and no location', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/`);
      await page
        .locator('.site-header .weather[data-weather-source="default"]')
        .waitFor({ state: 'attached', timeout: TIMEOUT_MS });
      expect(await text(page, '.site-header .weather-city')).toBe('New York');
    });
  });

  it('has no serious or critical axe violations on the city page and a page with the widget, light and dark', async () => {
    const found: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await withPage(async (page) => {
        await page.emulateMedia({ colorScheme });
        for (const path of [articlePath, '/weather/city?q=Paris&back=%2F', '/weather/city?q=Xyzzyville']) {
          await page.goto(`${server.url}${path}`);
          const results = await new AxeBuilder({ page })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
            .analyze();
          for (const v of results.violations) {
            if (v.impact === 'serious' || v.impact === 'critical') {
              found.push(`[${colorScheme}] ${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
            }
          }
        }
      });
    }
    expect(found, found.join('\n')).toEqual([]);
  });

  it('serves a city page that html-validate accepts', async () => {
    const validator = new HtmlValidate(
      JSON.parse(readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData,
    );
    const messages: string[] = [];
    for (const path of ['/weather/city?q=Paris&back=%2Fworld', '/weather/city?q=Xyzzyville', '/weather/city']) {
      const report = await validator.validateString(await (await fetch(`${server.url}${path}`)).text(), path);
      for (const r of report.results)
        for (const m of r.messages) messages.push(`${path}:${m.line} ${m.ruleId}: ${m.message}`);
    }
    expect(messages, messages.join('\n')).toEqual([]);
  });

  it('logged no console errors and made no request to another origin', () => {
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
