/**
 * The newsroom in real Chromium, as a new newsroom would use it, on the built
 * server: the first administrator signs up, invites an author and an editor;
 * the author writes an article in the body editor (a crosshead, a quote, a
 * bulleted list, an uploaded image with its caption) with an uploaded lead
 * image, and submits it; the editor approves and publishes; a reader sees
 * every part of it; a correction follows and readers see it. Screenshots of
 * the editor and the article list go to `test-results/`; no admin page may
 * have a serious or critical axe violation, nor a CSP violation.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './editor-tab.js';
import { startTestServer, type TestServer } from './server.js';

const RESULTS_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'test-results');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PASSWORD = 'tide tables and ferry ropes';
const HEADLINE = 'Harbour tugs return to service after winter refit';
const WAIT_MS = 10_000;

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Console errors, uncaught errors and CSP violations, from every page. */
const problems: string[] = [];
/** Serious or critical accessibility violations, by page. */
const barriers: string[] = [];

/** A person's own browser: cookies of their own, problems recorded. */
async function person(label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  context.setDefaultTimeout(WAIT_MS);
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  // Nothing leaves the test server.
  await context.route(
    (url) => !url.href.startsWith(server.url),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: ${m.text().slice(0, 200)} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: uncaught ${e.message}`));
  return page;
}

async function checkAccessibility(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  for (const v of results.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    barriers.push(`${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
}

/** Invites someone from the People page; returns the invitation link shown once. */
async function invite(admin: Page, email: string, role: string): Promise<string> {
  await admin.goto(`${server.url}/admin/users`);
  await admin.getByLabel('Email').fill(email);
  await admin.getByLabel('Role', { exact: true }).selectOption(role);
  await admin.getByRole('button', { name: 'Create the invitation' }).click();
  const link = await admin.locator('.flash-ok code').textContent({ timeout: WAIT_MS });
  expect(link).toMatch(/\/admin\/invitations\/[\w-]+$/);
  return link!;
}

async function join_(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(`${server.url}/admin`),
    page.getByRole('button', { name: 'Create my account' }).click(),
  ]);
}

const tool = (page: Page, name: string) =>
  page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name, exact: true }).click();

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('a new newsroom, from the first administrator to a correction', () => {
  let admin: Page;
  let author: Page;
  let editor: Page;
  let editPath: string;
  let readerPath: string;

  it('creates the first administrator on the first visit, and invites an author and an editor', async () => {
    admin = await person('admin');
    await admin.goto(`${server.url}/admin`);
    expect(admin.url()).toBe(`${server.url}/admin/setup`);
    await checkAccessibility(admin, 'set up');
    await admin.getByLabel('Your name').fill('Ada Admin');
    await admin.getByLabel('Email').fill('ada@harbour.test');
    await admin.getByLabel('Password').fill(PASSWORD);
    await Promise.all([
      admin.waitForURL(`${server.url}/admin`),
      admin.getByRole('button', { name: 'Create the administrator' }).click(),
    ]);
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Articles');
    await checkAccessibility(admin, 'articles');

    author = await person('author');
    await join_(author, await invite(admin, 'ann@harbour.test', 'author'), 'Ann Author');
    await checkAccessibility(admin, 'people');
    editor = await person('editor');
    await join_(editor, await invite(admin, 'ed@harbour.test', 'editor'), 'Ed Editor');
    expect(await editor.locator('.admin-user').textContent()).toBe('Ed Editor (editor)');
  });

  it('lets the author write the article in the editor and save it', async () => {
    await author.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'New article' }).click();
    await author.locator('.editor-content').waitFor({ timeout: WAIT_MS });
    await author.getByLabel('Headline').fill(HEADLINE);
    await author.getByLabel('Standfirst').fill('The three tugs spent the winter in dry dock at Talvik.');
    await author.getByLabel('Section').selectOption({ label: 'World' });
    await author.getByLabel('Dateline').fill('Talvik');
    await author.getByLabel('Bylines').fill('Ann Author');
    await author.getByLabel('Tags').fill('Harbour, Shipping');

    // The lead image, uploaded from the form.
    const lead = await sharp({ create: { width: 1200, height: 675, channels: 3, background: '#2f6fb3' } })
      .jpeg()
      .toBuffer();
    const [leadChooser] = await Promise.all([
      author.waitForEvent('filechooser'),
      author.getByRole('button', { name: 'Upload a lead image' }).click(),
    ]);
    await leadChooser.setFiles({ name: 'tugs.jpg', mimeType: 'image/jpeg', buffer: lead });
    await expect
      .poll(() => author.getByLabel('Image address').inputValue(), { timeout: WAIT_MS })
      .toMatch(/^\/media\//);
    await author.getByLabel('Alt text').fill('Three red tugs moored side by side');
    await author.getByLabel('Caption', { exact: true }).first().fill('The tugs back at their berth');

    const body = author.locator('.editor-content');
    await body.click();
    await author.keyboard.type('The three harbour tugs returned to service on Monday after a winter refit.');
    await author.keyboard.press('Enter');
    await tool(author, 'Crosshead');
    await author.keyboard.type('What was done');
    await author.keyboard.press('Enter');
    await tool(author, 'Quote');
    await author.keyboard.type('They are as good as new, and quieter.');
    await author.getByLabel('Attribution').fill('Mira Koval, harbour master');
    await author.locator('.editor-quote-text').click();
    await author.keyboard.press('End');
    await author.keyboard.press('Enter');
    await tool(author, 'Bulleted list');
    await author.keyboard.type('New propellers');
    await author.keyboard.press('Enter');
    await author.keyboard.type('Quieter engines');
    await author.keyboard.press('Enter');
    await author.keyboard.press('Enter');

    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c0392b' } })
      .jpeg()
      .toBuffer();
    const [chooser] = await Promise.all([author.waitForEvent('filechooser'), tool(author, 'Image')]);
    await chooser.setFiles({ name: 'dock.jpg', mimeType: 'image/jpeg', buffer: photo });
    await author.locator('.editor-image img[src^="/media/"]').waitFor({ timeout: WAIT_MS });
    await author.keyboard.type('A tug in dry dock');
    await author.locator('.editor-image').getByLabel('Caption').fill('In dry dock at Talvik in January');

    await author.screenshot({ path: join(RESULTS_DIR, 'newsroom-editor.png'), fullPage: true });
    await checkAccessibility(author, 'editor (new article)');
    await Promise.all([
      author.waitForURL(/\/admin\/articles\/\d+\?saved=created$/),
      author.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    editPath = new URL(author.url()).pathname;
    expect(await author.getByRole('status').filter({ hasText: 'Created.' }).count()).toBe(1);
    expect(await author.getByLabel('Headline').inputValue()).toBe(HEADLINE);
  });

  it('submits for review; the editor finds it in the review queue, approves and publishes it', async () => {
    await Promise.all([
      author.waitForURL(/saved=done$/),
      author.getByRole('button', { name: 'Submit for review' }).click(),
    ]);
    expect(await author.locator('.workflow .state').textContent()).toBe('In review');

    await editor.goto(`${server.url}/admin?state=in_review`);
    const row = editor.getByRole('link', { name: HEADLINE });
    await row.waitFor({ timeout: WAIT_MS });
    await editor.screenshot({ path: join(RESULTS_DIR, 'newsroom-articles.png'), fullPage: true });
    await checkAccessibility(editor, 'articles in review');
    await row.click();
    await editor.locator('.editor-content').waitFor({ timeout: WAIT_MS });
    await checkAccessibility(editor, 'editor (in review)');
    await Promise.all([
      editor.waitForURL(/saved=done$/),
      editor.getByRole('button', { name: 'Approve and publish' }).click(),
    ]);
    expect(await editor.locator('.workflow .state').textContent()).toBe('Published');
    readerPath = (await editor.getByRole('link', { name: 'On the site' }).getAttribute('href'))!;
    expect(readerPath).toMatch(/^\/world\/\d{4}\/\d{2}\/\d{2}\/harbour-tugs-return/);
  });

  it('shows readers every part of the article', async () => {
    const reader = await person('reader');
    // The home page and the article change as soon as the side-effect jobs run.
    await expect
      .poll(
        async () => {
          await reader.goto(`${server.url}/`);
          return reader.getByRole('link', { name: HEADLINE }).count();
        },
        { timeout: WAIT_MS },
      )
      .toBeGreaterThan(0);
    await reader.goto(`${server.url}${readerPath}`);
    const article = reader.locator('article').first();
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe(HEADLINE);
    expect(await article.getByText('The three tugs spent the winter in dry dock at Talvik.').count()).toBe(1);
    expect(await article.getByRole('heading', { level: 2, name: 'What was done' }).count()).toBe(1);
    const quote = article.locator('figure.quote');
    expect(await quote.locator('blockquote').textContent()).toContain('They are as good as new, and quieter.');
    expect(await quote.locator('figcaption').textContent()).toContain('Mira Koval, harbour master');
    expect(await article.locator('ul li').allTextContents()).toEqual(
      expect.arrayContaining(['New propellers', 'Quieter engines']),
    );
    const figures = article.locator('figure:not(.quote)');
    expect(await figures.count()).toBe(2);
    expect(await figures.first().locator('img').getAttribute('alt')).toBe('Three red tugs moored side by side');
    expect(await figures.first().locator('figcaption').textContent()).toContain('The tugs back at their berth');
    const bodyImage = figures.nth(1).locator('img');
    expect(await bodyImage.getAttribute('alt')).toBe('A tug in dry dock');
    expect(await figures.nth(1).locator('figcaption').textContent()).toContain('In dry dock at Talvik in January');
    // The uploaded images arrive, in a modern format, as real pictures.
    expect(
      await bodyImage.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await article.getByText('Ann Author').count()).toBeGreaterThan(0);
  });

  it('adds a correction that readers see on the article', async () => {
    await editor.goto(`${server.url}${editPath}`);
    await editor.getByLabel('Text', { exact: true }).fill('An earlier version said the refit took two winters.');
    await Promise.all([
      editor.waitForURL(/saved=done$/),
      editor.getByRole('button', { name: 'Add to the article' }).click(),
    ]);
    const reader = await person('reader, later');
    await expect
      .poll(
        async () => {
          await reader.goto(`${server.url}${readerPath}`);
          return reader.getByText('An earlier version said the refit took two winters.').count();
        },
        { timeout: WAIT_MS },
      )
      .toBe(1);
    expect(await reader.getByText(/Correction/).count()).toBeGreaterThan(0);
  });

  it('shows the history of the article, and the remaining admin pages are accessible', async () => {
    await editor.goto(`${server.url}${editPath}/history`);
    expect(await editor.getByText('Ann Author').count()).toBeGreaterThan(0);
    expect(await editor.getByText('Ed Editor').count()).toBeGreaterThan(0);
    await checkAccessibility(editor, 'history');
    for (const path of [
      '/admin/sections',
      '/admin/tags',
      '/admin/authors',
      '/admin/uploads',
      '/admin/account',
      '/admin/pages',
      '/admin/pages/1',
    ]) {
      await editor.goto(`${server.url}${path}`);
      await checkAccessibility(editor, path);
    }
    for (const path of ['/admin/settings', '/admin/audit', '/admin/webhooks']) {
      await admin.goto(`${server.url}${path}`);
      await checkAccessibility(admin, path);
    }
    const login = await person('signed out');
    await login.goto(`${server.url}/admin`);
    expect(login.url()).toMatch(/\/admin\/login/);
    await checkAccessibility(login, 'log in');
  });

  it('met no accessibility barrier, console error or CSP violation on the way', () => {
    expect(barriers, barriers.join('\n')).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
