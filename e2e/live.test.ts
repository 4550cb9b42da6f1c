/**
 * Live coverage in real Chromium, on the built server: an editor starts a
 * coverage and posts from the newsroom's composer while a reader has the live
 * page open, scrolled to an entry part-way down. The reader's page announces
 * the new entry ("1 new update", in a polite live region) and inserts it only
 * when asked; through both, the entry the reader is looking at stays exactly
 * where it was on the screen (its bounding box and the scroll position are
 * measured before and after).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './editor-tab.js';
import { startTestServer, type TestServer } from './server.js';

const WAIT_MS = 15_000;

/** What these tests touch of the page's window (this project compiles without the DOM's types). */
type InPage = { scrollY: number; scrollBy(o: { top: number; behavior: 'instant' }): void };
const PASSWORD = 'tide tables and ferry ropes';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

async function person(label: string, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height } });
  contexts.push(context);
  context.setDefaultTimeout(WAIT_MS);
  await context.route(
    (url) => !url.href.startsWith(server.url),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: ${m.text().slice(0, 200)}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: uncaught ${e.message}`));
  return page;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('an entry posted in the newsroom reaches a reader’s open live page', () => {
  let editor: Page;
  let reader: Page;
  let deskUrl = '';

  /** Posts one entry with the compact composer: type, then Post. */
  async function post(text: string) {
    await editor.getByLabel('New entry').fill(text);
    await Promise.all([editor.waitForURL(deskUrl), editor.getByRole('button', { name: 'Post', exact: true }).click()]);
  }

  it('lets an editor start a coverage and post entries from the newsroom', async () => {
    editor = await person('editor');
    await editor.goto(`${server.url}/admin`);
    await editor.getByLabel('Your name').fill('Ed Editor');
    await editor.getByLabel('Email').fill('ed@harbour.test');
    await editor.getByLabel('Password').fill(PASSWORD);
    await Promise.all([
      editor.waitForURL(`${server.url}/admin`),
      editor.getByRole('button', { name: 'Create the administrator' }).click(),
    ]);
    await editor.goto(`${server.url}/admin/live`);
    await editor.getByLabel('Headline').fill('Harbour storm: live');
    await Promise.all([
      editor.waitForURL(/\/admin\/live\/\d+$/),
      editor.getByRole('button', { name: 'Start' }).click(),
    ]);
    deskUrl = editor.url();
    for (let k = 1; k <= 8; k++)
      await post(`Update ${k}: ${'The wind keeps rising along the harbour wall. '.repeat(6)}`);
    expect(await editor.locator('.live-entries > li').count()).toBe(8);
  });

  it('announces the new entry on the reader’s page and inserts it when asked, without moving what they read', async () => {
    reader = await person('reader', 700);
    const readerPath = await editor.getByRole('link', { name: 'reader page' }).getAttribute('href');
    const stream = reader.waitForResponse((r) => r.url().includes('/events'));
    await reader.goto(`${server.url}${readerPath}`);
    expect((await stream).status()).toBe(200);

    // The reader is part-way down, reading the fourth newest entry.
    const reading = reader.locator('.live-entries .live-entry').nth(3);
    const readingId = await reading.getAttribute('id');
    await reading.evaluate((el) => {
      el.scrollIntoView({ behavior: 'instant' });
      (globalThis as unknown as InPage).scrollBy({ top: -150, behavior: 'instant' });
    });
    const where = async () => ({
      top: await reader.locator(`#${readingId}`).evaluate((el) => el.getBoundingClientRect().top),
      scrollY: await reader.evaluate(() => (globalThis as unknown as InPage).scrollY),
    });
    const before = await where();
    expect(before.scrollY).toBeGreaterThan(0);

    await post('Update 9: the harbour master closes the port.');
    const announce = reader.locator('[data-live-announce]');
    await expect.poll(() => announce.textContent(), { timeout: WAIT_MS }).toBe('1 new update');
    expect(await announce.getAttribute('aria-live')).toBe('polite');
    const show = reader.getByRole('button', { name: 'Show 1 new update' });
    await show.waitFor({ state: 'visible' });
    const announced = await where();
    expect(Math.abs(announced.top - before.top)).toBeLessThan(1);
    // Nothing was inserted yet: the reader decides.
    expect(await reader.locator('.live-entries .live-entry').count()).toBe(8);

    await show.click();
    await expect.poll(() => reader.locator('.live-entries .live-entry').count(), { timeout: WAIT_MS }).toBe(9);
    const newest = reader.locator('.live-entries .live-entry').first();
    expect(await newest.textContent()).toContain('the harbour master closes the port');
    const inserted = await where();
    expect(Math.abs(inserted.top - before.top)).toBeLessThan(1);
    // The page grew above what the reader reads; the scroll position followed it.
    expect(inserted.scrollY).toBeGreaterThan(before.scrollY);
    expect(await show.isHidden()).toBe(true);
    expect(await announce.textContent()).toBe('');
    expect(problems).toEqual([]);
  });
});
