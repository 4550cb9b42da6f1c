/**
 * JSON-LD in a real browser under the site's CSP (`script-src 'self'`): the
 * inline `application/ld+json` element is a data block, never run, so the
 * policy reports nothing, and its text parses to the article's NewsArticle.
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('reads an article page’s JSON-LD without a single CSP violation', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // In-page code as strings: this project's TypeScript has no DOM types. An init script is not subject to the CSP.
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective));`,
  });
  await page.goto(`${server.url}/`);
  const href = await page.locator('main a[href*="/20"]').first().getAttribute('href');
  const response = await page.goto(`${server.url}${href}`);
  expect(String(response?.headers()['content-security-policy'])).toContain("script-src 'self'");
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  const [article, crumbs] = JSON.parse(blocks[0] ?? '[]') as { '@type': string; headline?: string }[];
  expect(article?.['@type']).toBe('NewsArticle');
  expect(article?.headline).toBe(await page.locator('h1').first().textContent());
  expect(crumbs?.['@type']).toBe('BreadcrumbList');
  await page.waitForLoadState('load');
  const violations = () => page.evaluate('window.cspViolations') as Promise<string[]>;
  expect(await violations()).toEqual([]);
  // The listener does hear the policy: an inline script that would run is refused and reported.
  await page.evaluate(`{
    const script = document.createElement('script');
    script.textContent = 'document.title = "ran"';
    document.body.append(script);
  }`);
  await expect.poll(violations).toEqual([expect.stringMatching(/^script-src/)]);
  expect(await page.title()).not.toBe('ran');
  await context.close();
});
