/**
 * The article body editor in real Chromium, on a stand-in for the newsroom's
 * form (`e2e/editor-harness.ts`) served with the site's own security headers:
 * typing every block type, upload, embed, pasting from Word and Google Docs,
 * autosave (saved, conflict, retry, restore after a reload, cleared after a
 * submit), the page without JavaScript, accessibility, and no CSP violation.
 */
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../src/articles/article.js';
import { docToBlocks } from '../src/newsroom/editor/document.js';
import { EVERY_BLOCK } from '../src/newsroom/editor/fixtures/every-block.js';
import { importerInputs, storedForm } from '../src/newsroom/editor/fixtures/importer-bodies.js';
import { type Article, CSRF, type EditorHarness, PHOTO_PNG, startEditorHarness } from './editor-harness.js';
import { type EditorTab, type InPage, launchChromium, openTab, until, WAIT_MS } from './editor-tab.js';

const FIXTURES = new URL('../src/newsroom/editor/fixtures/', import.meta.url);
const WORD_HTML = readFileSync(new URL('word-clipboard.html', FIXTURES), 'utf8');
const GOOGLE_HTML = readFileSync(new URL('google-docs-clipboard.html', FIXTURES), 'utf8');

const STORED: Article = {
  id: '7',
  version: 3,
  updatedAt: '2024-04-10T09:00:00.000Z',
  headline: 'Ferry runs aground',
  body: [{ type: 'paragraph', html: 'The ferry ran aground at dawn.' }],
};

let harness: EditorHarness;
let browser: Browser;
let tab: EditorTab;
let page: Page;
/** Console errors, uncaught errors, CSP violations and requests elsewhere, from every page of this file. */
const problems: string[] = [];

beforeAll(async () => {
  harness = await startEditorHarness(STORED);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

beforeEach(async () => {
  harness.article = { ...STORED };
  harness.answers = [];
  harness.autosaves = [];
  harness.uploads = [];
  harness.submits = [];
  harness.autosaveDelay = 300;
  tab = await openTab(browser, harness, problems, expect.getState().currentTestName ?? '');
  page = tab.page;
});

afterEach(async () => {
  await tab?.close();
});

const openEditor = () => tab.open();
const bodyBlocks = (): Promise<Block[]> => tab.bodyBlocks();
const tool = (name: string) => tab.tool(name);
const localCopy = () => tab.localCopy();
const autosaveBody = (k: number) => JSON.parse(harness.autosaves[k]?.body.toString('utf8') ?? 'null');

describe('loading and saving a body', () => {
  it('takes over from the plain-text field and gives back a stored body unchanged', async () => {
    harness.article = { ...STORED, body: EVERY_BLOCK };
    await openEditor();
    const textarea = page.locator('textarea[name="body_text"]');
    expect(await textarea.isHidden()).toBe(true);
    expect(await textarea.isDisabled()).toBe(true);
    expect(await page.locator('[data-editor-fallback]').isHidden()).toBe(true);
    expect(await bodyBlocks()).toStrictEqual(EVERY_BLOCK);
    // Fields of the quote, image and embed show their attributes.
    expect(await page.getByLabel('Attribution').first().inputValue()).toBe('Mira Tallen, minister');
    expect(await page.getByLabel('Credit').first().inputValue()).toBe('Photo: A. Photographer');
    expect(await page.getByLabel('Title').first().inputValue()).toBe('The signing, on video');
    // Nothing in the editor carries an inline style the CSP would refuse.
    expect(await page.locator('[data-editor] [style]').count()).toBe(0);
  });

  it('gives back every importer body unchanged (all of them in one body, as the save stores them)', async () => {
    const everything = importerInputs().flatMap((input) => storedForm(input.body));
    expect(everything.length).toBeGreaterThan(1000);
    harness.article = { ...STORED, body: everything };
    await openEditor();
    expect(await bodyBlocks()).toStrictEqual(everything);
  });

  it('shows the plain-text field, and no editor, without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${harness.url}/edit`);
    expect(await plain.locator('textarea[name="body_text"]').isVisible()).toBe(true);
    expect(await plain.locator('textarea[name="body_text"]').inputValue()).toBe('The ferry ran aground at dawn.');
    expect(await plain.locator('.editor-toolbar').count()).toBe(0);
    await noJs.close();
  });
});

describe('writing', () => {
  it('writes a paragraph with bold and a link, a crosshead, a quote with attribution and both lists', async () => {
    harness.article = { ...STORED, body: [] };
    await openEditor();
    const editor = page.locator('.editor-content');
    await editor.click();
    await page.keyboard.type('Ferry ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('aground');
    expect(await page.getByRole('button', { name: 'Bold', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(' near the harbour');
    for (let k = 0; k < 'the harbour'.length; k++) await page.keyboard.press('Shift+ArrowLeft');
    tab.answerPrompts('example.org/harbour');
    await page.keyboard.press('Control+K');
    await page.locator('.editor-content a[href="https://example.org/harbour"]').waitFor({ timeout: WAIT_MS });
    await page.keyboard.press('End');
    await page.keyboard.type('.');
    await page.keyboard.press('Enter');
    await tool('Crosshead');
    await page.keyboard.type('Reaction');
    await page.keyboard.press('Enter');
    await tool('Quote');
    await page.keyboard.type('It was a shock.');
    await page.getByLabel('Attribution').fill('A passenger');
    await page.locator('.editor-quote-text').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await tool('Bulleted list');
    await page.keyboard.type('one');
    await page.keyboard.press('Enter');
    await page.keyboard.type('two');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await tool('Numbered list');
    await page.keyboard.type('first');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second');
    expect(await bodyBlocks()).toStrictEqual([
      {
        type: 'paragraph',
        html: 'Ferry <strong>aground</strong> near <a href="https://example.org/harbour">the harbour</a>.',
      },
      { type: 'crosshead', text: 'Reaction' },
      { type: 'quote', text: 'It was a shock.', attribution: 'A passenger' },
      { type: 'list', style: 'bulleted', items: ['one', 'two'] },
      { type: 'list', style: 'numbered', items: ['first', 'second'] },
    ]);
  });

  it('refuses a javascript: link and says why', async () => {
    await openEditor();
    await page.locator('.editor-content').click();
    await page.keyboard.press('Control+A');
    tab.answerPrompts('javascript:alert(1)');
    await tool('Link');
    await page.locator('[data-editor-message]').getByText('That link was not added').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.editor-content a').count()).toBe(0);
  });

  it('uploads an image with the CSRF token, then takes its alt text, caption and credit', async () => {
    await openEditor();
    await page.locator('.editor-content').click();
    await page.keyboard.press('Control+End');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), tool('Image')]);
    await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO_PNG });
    await page.locator('.editor-image img[src="/media/photo.png"]').waitFor({ timeout: WAIT_MS });
    expect(harness.uploads).toHaveLength(1);
    expect(harness.uploads[0]?.headers['x-csrf-token']).toBe(CSRF);
    expect(harness.uploads[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(harness.uploads[0]?.body.includes(PHOTO_PNG)).toBe(true);
    expect(harness.uploads[0]?.body.toString('latin1')).toContain('name="file"; filename="photo.png"');
    // The alt text field has the focus, ready to describe the image.
    await until(
      async () =>
        (await page.evaluate(() => (globalThis as InPage).document.activeElement?.getAttribute('data-field'))) ===
        'alt',
      'the alt text field to have the focus',
    );
    await page.keyboard.type('The ferry on the rocks');
    await page.getByLabel('Caption').fill('Low tide at Talvik');
    await page.getByLabel('Credit').fill('Photo: Harbour Office');
    expect((await bodyBlocks()).at(-1)).toStrictEqual({
      type: 'image',
      src: '/media/photo.png',
      alt: 'The ferry on the rocks',
      caption: 'Low tide at Talvik',
      credit: 'Photo: Harbour Office',
      width: 4,
      height: 3,
    });
  });

  it('embeds a URL with a title', async () => {
    await openEditor();
    await page.locator('.editor-content').click();
    await page.keyboard.press('Control+End');
    tab.answerPrompts('www.youtube.com/watch?v=ferry', 'The rescue, filmed from the shore');
    await tool('Embed');
    await page.locator('.editor-embed').waitFor({ timeout: WAIT_MS });
    expect((await bodyBlocks()).at(-1)).toStrictEqual({
      type: 'embed',
      url: 'https://www.youtube.com/watch?v=ferry',
      title: 'The rescue, filmed from the shore',
      provider: 'YouTube',
    });
  });

  it('moves between toolbar buttons with the arrow keys (one tab stop)', async () => {
    await openEditor();
    const bold = page.getByRole('button', { name: 'Bold', exact: true });
    await bold.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => (globalThis as InPage).document.activeElement?.textContent)).toBe('Italic');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => (globalThis as InPage).document.activeElement?.textContent)).toBe('Redo');
    expect(await page.locator('.editor-toolbar [tabindex="0"]').count()).toBe(1);
  });
});

describe('pasting', () => {
  it('keeps the structure of a paste from Word and drops its junk', async () => {
    harness.article = { ...STORED, body: [] };
    await openEditor();
    await tab.paste(WORD_HTML);
    await page.locator('.editor-content h2').first().waitFor({ timeout: WAIT_MS });
    expect(await bodyBlocks()).toStrictEqual([
      { type: 'crosshead', text: 'Council approves winter ferry timetable' },
      {
        type: 'paragraph',
        html: 'The island council voted on <b>Tuesday</b> to keep the <i>Island Link</i> ferry running through the winter, after a <a href="https://example.org/ferry-petition">petition</a> signed by 2,300 residents.',
      },
      { type: 'crosshead', text: 'What changes' },
      { type: 'paragraph', html: 'From 1 November:' },
      {
        type: 'list',
        style: 'bulleted',
        items: [
          'The first sailing leaves at <b>06:15</b>',
          'Cars must be booked a day ahead',
          'online or at the harbour office',
          'Foot passengers pay on board',
        ],
      },
      { type: 'paragraph', html: 'The council will review the service in three steps:' },
      {
        type: 'list',
        style: 'numbered',
        items: ['Count passengers in December', 'Publish the figures in <i>January</i>'],
      },
      { type: 'quote', text: 'We listened to the people who depend on this boat every day.' },
      { type: 'paragraph', html: 'Tickets go on sale next week.' },
    ]);
    const text = await page.locator('.editor-content').textContent();
    expect(text).not.toMatch(/JS1|Check the signature|mso-|·/);
  });

  it('keeps the structure of a paste from Google Docs and drops its junk', async () => {
    harness.article = { ...STORED, body: [] };
    await openEditor();
    await tab.paste(GOOGLE_HTML);
    await page.locator('.editor-content h2').first().waitFor({ timeout: WAIT_MS });
    expect(await bodyBlocks()).toStrictEqual([
      { type: 'crosshead', text: 'Harbour repairs delayed until spring' },
      {
        type: 'paragraph',
        html: 'The harbour authority said <strong>on Monday</strong> that work on the <em>north pier</em> would not finish before March, according to <a href="https://example.org/harbour-statement">its statement</a>.',
      },
      { type: 'crosshead', text: 'Why it slipped' },
      {
        type: 'list',
        style: 'bulleted',
        items: ['Storms in <strong><em>October</em></strong>', 'A shortage of steel', 'imported from abroad'],
      },
      { type: 'list', style: 'numbered', items: ['Divers inspect the piles', 'The deck is replaced'] },
      { type: 'paragraph', html: 'Water levels are measured in m<sup>3</sup> per second.' },
    ]);
    expect(await page.locator('.editor-content img').count()).toBe(0);
  });
});

describe('autosave', () => {
  const status = () => page.locator('[data-autosave-status]');

  async function typeAtEnd(text: string): Promise<void> {
    await page.locator('.editor-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(text);
  }

  it('saves a change with the version and the CSRF token, then shows when and takes the new version', async () => {
    await openEditor();
    await typeAtEnd(' Nobody was hurt.');
    await until(() => harness.autosaves.length === 1, 'the autosave request');
    const headers = harness.autosaves[0]?.headers;
    expect(headers?.['x-csrf-token']).toBe(CSRF);
    expect(headers?.['content-type']).toBe('application/json');
    const sent = autosaveBody(0);
    expect(sent.version).toBe(3);
    expect(sent.fields).toStrictEqual({ headline: 'Ferry runs aground' });
    expect(docToBlocks(sent.body_doc)).toStrictEqual([
      { type: 'paragraph', html: 'The ferry ran aground at dawn. Nobody was hurt.' },
    ]);
    await status()
      .getByText(/^Saved \d\d:\d\d$/)
      .waitFor({ timeout: WAIT_MS });
    expect(await page.locator('input[name="version"]').inputValue()).toBe('4');
    // A change to another field is saved too, based on the new version.
    await page.getByLabel('Headline').fill('Ferry runs aground off Talvik');
    await until(() => harness.autosaves.length === 2, 'the second autosave request');
    expect(autosaveBody(1).version).toBe(4);
    expect(autosaveBody(1).fields).toStrictEqual({ headline: 'Ferry runs aground off Talvik' });
  });

  it('keeps a local copy of every change, before any server save', async () => {
    harness.autosaveDelay = 600_000;
    await openEditor();
    await typeAtEnd(' Local words.');
    await until(async () => JSON.stringify(await localCopy()).includes('Local words.'), 'the local copy');
    expect(await localCopy()).toMatchObject({ version: 3, fields: { headline: 'Ferry runs aground' }, pending: true });
    expect(harness.autosaves).toHaveLength(0);
  });

  it('on 409 shows a banner linking to the comparison, and stops saving', async () => {
    await openEditor();
    // Someone else saves the article meanwhile.
    harness.article = { ...harness.article, version: 4 };
    await typeAtEnd(' Mine.');
    const banner = page.getByRole('alert').filter({ hasText: 'Someone else changed this article' });
    await banner.waitFor({ timeout: WAIT_MS });
    expect(await banner.getByRole('link', { name: 'Compare the two versions' }).getAttribute('href')).toBe(
      '/edit/compare',
    );
    expect(await status().textContent()).toBe('Not saved — someone else changed this article');
    await typeAtEnd(' More of mine.');
    await until(async () => JSON.stringify(await localCopy()).includes('More of mine.'), 'the local copy');
    // Ten times the autosave delay: long enough for a save that should not come.
    await page.waitForTimeout(harness.autosaveDelay * 10);
    expect(harness.autosaves).toHaveLength(1);
  });

  it('keeps the local copy and retries with backoff on a server error, then saves', async () => {
    harness.answers = [500];
    await openEditor();
    await typeAtEnd(' Retried.');
    await status().getByText('Not saved — will retry').waitFor({ timeout: WAIT_MS });
    expect(JSON.stringify(await localCopy())).toContain('Retried.');
    await status()
      .getByText(/^Saved /)
      .waitFor({ timeout: WAIT_MS });
    expect(harness.autosaves).toHaveLength(2);
    expect(autosaveBody(1)).toStrictEqual(autosaveBody(0));
  });

  it('retries when the connection comes back', async () => {
    await openEditor();
    await tab.context.setOffline(true);
    await typeAtEnd(' Written offline.');
    await status().getByText('Not saved — will retry').waitFor({ timeout: WAIT_MS });
    await tab.context.setOffline(false);
    await status()
      .getByText(/^Saved /)
      .waitFor({ timeout: WAIT_MS });
    expect(docToBlocks(autosaveBody(harness.autosaves.length - 1).body_doc)).toStrictEqual([
      { type: 'paragraph', html: 'The ferry ran aground at dawn. Written offline.' },
    ]);
  });

  it('after a reload, offers the unsaved local copy and restores it', async () => {
    harness.autosaveDelay = 600_000;
    await openEditor();
    await page.getByLabel('Headline').fill('Ferry aground: unsaved');
    await typeAtEnd(' Unsaved words.');
    await until(async () => JSON.stringify(await localCopy()).includes('Unsaved words.'), 'the local copy');
    await page.reload();
    const banner = page.getByRole('region', { name: 'Unsaved copy' });
    await banner.waitFor({ timeout: WAIT_MS });
    expect(await bodyBlocks()).toStrictEqual(STORED.body);
    await banner.getByRole('button', { name: 'Restore my copy' }).click();
    expect(await page.getByLabel('Headline').inputValue()).toBe('Ferry aground: unsaved');
    expect(await bodyBlocks()).toStrictEqual([
      { type: 'paragraph', html: 'The ferry ran aground at dawn. Unsaved words.' },
    ]);
    // Restored work is saved at once, against the version it was based on.
    await until(() => harness.autosaves.length === 1, 'the autosave of the restored copy');
    expect(autosaveBody(0)).toMatchObject({ version: 3, fields: { headline: 'Ferry aground: unsaved' } });
  });

  it('after a reload, discards the local copy when asked', async () => {
    harness.autosaveDelay = 600_000;
    await openEditor();
    await typeAtEnd(' Not wanted.');
    await until(async () => JSON.stringify(await localCopy()).includes('Not wanted.'), 'the local copy');
    await page.reload();
    await page.getByRole('button', { name: 'Discard it' }).click();
    expect(await localCopy()).toBeNull();
    expect(await bodyBlocks()).toStrictEqual(STORED.body);
  });

  it('a restored copy based on an older version meets the version check (409), never overwriting', async () => {
    harness.autosaveDelay = 600_000;
    await openEditor();
    await typeAtEnd(' Offline draft.');
    await until(async () => JSON.stringify(await localCopy()).includes('Offline draft.'), 'the local copy');
    harness.article = { ...harness.article, version: 5, updatedAt: new Date(Date.now() + 60_000).toISOString() };
    await page.reload();
    const banner = page.getByRole('region', { name: 'Unsaved copy' });
    await banner.getByText('The article has been saved since').waitFor({ timeout: WAIT_MS });
    await banner.getByRole('button', { name: 'Restore my copy' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Someone else changed this article' })
      .waitFor({ timeout: WAIT_MS });
    expect(autosaveBody(0).version).toBe(3);
    expect(harness.article.version).toBe(5);
  });

  it('a normal submit posts the body and the version, and the local copy is cleared once it is accepted', async () => {
    harness.autosaveDelay = 600_000;
    await openEditor();
    await typeAtEnd(' Submitted.');
    await until(async () => JSON.stringify(await localCopy()).includes('Submitted.'), 'the local copy');
    await Promise.all([page.waitForURL(`${harness.url}/edit`), page.getByRole('button', { name: 'Save' }).click()]);
    await page.locator('.editor-content').waitFor({ timeout: WAIT_MS });
    const form = harness.submits[0];
    expect(form?.get('version')).toBe('3');
    expect(form?.get('_csrf')).toBe(CSRF);
    expect(form?.has('body_text')).toBe(false);
    expect(docToBlocks(form?.get('body_doc') ?? '')).toStrictEqual([
      { type: 'paragraph', html: 'The ferry ran aground at dawn. Submitted.' },
    ]);
    expect(await page.locator('input[name="version"]').inputValue()).toBe('4');
    expect(await localCopy()).toBeNull();
    expect(await page.getByRole('region', { name: 'Unsaved copy' }).count()).toBe(0);
  });
});

describe('accessibility and the content security policy', () => {
  it('has no serious or critical axe violation on the editor (toolbar, fields, banners)', async () => {
    harness.article = { ...STORED, body: EVERY_BLOCK, version: 3 };
    await openEditor();
    harness.article = { ...harness.article, version: 4 };
    await page.locator('.editor-content').click();
    await page.keyboard.type('x');
    await page.getByRole('alert').filter({ hasText: 'Someone else changed' }).waitFor({ timeout: WAIT_MS });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
  });

  it('caused no CSP violation, console error, uncaught error or request elsewhere on any page above', () => {
    // Failed requests the tests caused on purpose (a 409, a 500, going offline) are logged by Chromium itself.
    const expected =
      /Failed to load resource: (the server responded with a status of (409|500)|net::ERR_INTERNET_DISCONNECTED)/;
    expect(problems.filter((p) => !expected.test(p))).toEqual([]);
  });
});
