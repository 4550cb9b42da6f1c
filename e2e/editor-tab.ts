/**
 * A Chromium tab on the editor harness for the editor's browser tests: it
 * records every console error, uncaught error, CSP violation and request
 * that leaves the harness (those requests are refused: the network is never
 * reached), and drives the editor as a person would.
 *
 * @example
 *   const tab = await openTab(browser, harness, problems, 'writing');
 *   await tab.open();
 *   await tab.tool('Bold');
 */
import { type Browser, type BrowserContext, chromium, type Dialog, type Page } from 'playwright-core';
import type { Block } from '../src/articles/article.js';
import { docToBlocks } from '../src/newsroom/editor/document.js';
import { type EditorHarness, PHOTO_PNG } from './editor-harness.js';

export const WAIT_MS = 10_000;
/** Images the test bodies show from elsewhere: answered by the test, never fetched. */
const OUTSIDE_IMAGES = 'https://images.example/';

/**
 * The browser globals the in-page callbacks use, typed for them: this
 * project's typecheck has no DOM library. A callback runs in the page, so
 * it reads `globalThis as InPage` itself.
 */
export type InPage = typeof globalThis & {
  document: {
    activeElement: { getAttribute(name: string): string | null; textContent: string | null } | null;
    querySelector(selector: string): { dispatchEvent(event: unknown): boolean } | null;
  };
  localStorage: { getItem(key: string): string | null };
  DataTransfer: new () => { setData(type: string, value: string): void };
  ClipboardEvent: new (type: string, init: Record<string, unknown>) => unknown;
};

/** Debian's Chromium, headless, with its background services off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Waits for a condition the page or the harness will reach (a request arriving, storage written). */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface EditorTab {
  context: BrowserContext;
  page: Page;
  /** Loads the harness's form and waits for the editor. */
  open(): Promise<void>;
  /** The blocks the server would store from the form's hidden `body_doc` field. */
  bodyBlocks(): Promise<Block[]>;
  /** Clicks a toolbar button by its name. */
  tool(name: string): Promise<void>;
  /** Answers the next `window.prompt`s with these values, in order. */
  answerPrompts(...values: string[]): void;
  /** Pastes HTML at the end of the body, as the clipboard would hand it over. */
  paste(html: string): Promise<void>;
  /** The local copy autosave keeps for this article, or null. */
  localCopy(): Promise<{ version: number; fields: Record<string, string>; pending: boolean } | null>;
  close(): Promise<void>;
}

/** A fresh context and page; what goes wrong in it is pushed to `problems`, prefixed with `label`. */
export async function openTab(
  browser: Browser,
  harness: EditorHarness,
  problems: string[],
  label: string,
): Promise<EditorTab> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  // Chromium logs CSP violations; the event adds the directive. An init script is not subject to the CSP.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));`,
  });
  await context.route(
    (url) => !url.href.startsWith(harness.url),
    (route) =>
      route.request().url().startsWith(OUTSIDE_IMAGES)
        ? route.fulfill({ status: 200, contentType: 'image/png', body: PHOTO_PNG })
        : route.abort(),
  );
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: ${m.text().slice(0, 160)} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: uncaught ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    const local = url.startsWith(harness.url) || url.startsWith('data:') || url.startsWith(OUTSIDE_IMAGES);
    if (!local) problems.push(`${label}: request elsewhere ${url}`);
  });

  return {
    context,
    page,
    async open() {
      await page.goto(`${harness.url}/edit`);
      await page.locator('.editor-content').waitFor({ timeout: WAIT_MS });
    },
    async bodyBlocks() {
      return docToBlocks(await page.locator('input[name="body_doc"]').inputValue());
    },
    async tool(name) {
      await page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name, exact: true }).click();
    },
    answerPrompts(...values) {
      const queue = [...values];
      const onDialog = async (dialog: Dialog) => {
        await dialog.accept(queue.shift() ?? '');
        if (queue.length === 0) page.off('dialog', onDialog);
      };
      page.on('dialog', onDialog);
    },
    async paste(html) {
      await page.locator('.editor-content').click();
      await page.keyboard.press('Control+End');
      await page.evaluate((content) => {
        const w = globalThis as InPage;
        const data = new w.DataTransfer();
        data.setData('text/html', content);
        data.setData('text/plain', 'plain text that must not be used');
        const target = w.document.querySelector('.editor-content');
        target?.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, html);
    },
    async localCopy() {
      const key = `dateline:draft:${harness.article.id}`;
      return page.evaluate((k) => JSON.parse((globalThis as InPage).localStorage.getItem(k) ?? 'null'), key);
    },
    close: () => context.close(),
  };
}
