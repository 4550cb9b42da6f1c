/**
 * The reader site in a real browser: the built server with the demo content
 * and one fixture article shaped like the reference page
 * (`e2e/fixtures/reference-article.jsonl`), driven through Chromium.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type ConfigData, HtmlValidate } from 'html-validate';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FILE, STORY_FIXTURE_FILE, startTestServer, type TestServer } from './server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'test-results');

interface Fixture {
  title: string;
  standfirst: string;
  section: string;
  authors: string[];
  tags: string[];
  dateline: string;
  published: string;
  updated: string;
  lead_image: { caption: string; credit: string };
  blocks: { type: string; text?: string; attribution?: string; style?: string; items?: string[] }[];
}

// The file's last line is the reference article; the line before it is earlier coverage of the same story.
const fixture = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8').trim().split('\n').at(-1) ?? '') as Fixture;
const crossheads = fixture.blocks.filter((b) => b.type === 'crosshead').map((b) => b.text ?? '');
const quote = fixture.blocks.find((b) => b.type === 'quote');
const bulleted = fixture.blocks.find((b) => b.type === 'list' && b.style === 'bulleted')?.items ?? [];
const numbered = fixture.blocks.find((b) => b.type === 'list' && b.style === 'numbered')?.items ?? [];

// The ferry story: three articles on one day (the middle one is opened), coverage a week before and after.
const ferry = readFileSync(STORY_FIXTURE_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { title: string; slug: string; published: string });
const [ferryBefore, ferryAground, ferryAshore, ferryInvestigation, ferryAfter] = ferry;
const STORY_PATH = `/world/2019/12/10/${ferryAshore?.slug}`;

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VISIBLE_TIMEOUT_MS = 5_000;

let server: TestServer;
let browser: Browser;
/** The fixture article's path, found by following the home page's link in the first test. */
let articlePath: string | undefined;

/** Everything any page of this file logged as an error, or requested from another origin. */
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
/** Pages expected to answer 404: the browser logs "Failed to load resource" for those, which is fine. */
const expected404 = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({
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
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh context and page whose console errors and cross-origin requests are recorded. */
async function openPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    const path = where.startsWith(server.url) ? where.slice(server.url.length) : where;
    if (expected404.has(path) && /status of 404/.test(message.text())) return;
    consoleErrors.push(`${page.url()}: ${message.text()}${where && where !== page.url() ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.url}/`) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  return { context, page };
}

async function withPage<T>(fn: (page: Page) => Promise<T>, options: BrowserContextOptions = {}): Promise<T> {
  const { context, page } = await openPage(options);
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** The page's clipboard, as the browser has it (the e2e build has no DOM types). */
type Clipboarded = { navigator: { clipboard: { readText(): Promise<string> } } };

/** Fails with a readable message unless the (single) element becomes visible. */
async function expectVisible(locator: Locator, what: string): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: VISIBLE_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`expected ${what} to be visible (${locator}): ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Every match visible, and at least `min` of them. */
async function expectAllVisible(locator: Locator, what: string, min = 1): Promise<void> {
  const count = await locator.count();
  expect(count, `number of ${what}`).toBeGreaterThanOrEqual(min);
  for (let i = 0; i < count; i++) await expectVisible(locator.nth(i), `${what} #${i + 1}`);
}

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function goto(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status(), `status of ${path}`).toBe(status);
}

/** The fixture's path, even when this test runs alone (-t). */
async function fixturePath(): Promise<string> {
  if (articlePath) return articlePath;
  const html = await (await fetch(`${server.url}/`)).text();
  const slug = fixture.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const found = html.match(new RegExp(`href="(/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/${slug}[a-z0-9-]*)"`))?.[1];
  if (!found) throw new Error('the fixture article is not linked from the home page');
  articlePath = found;
  return found;
}

/** The first section in the navigation that has a next page, if any. */
async function paginatedSection(page: Page): Promise<string | undefined> {
  const hrefs = await page
    .locator('nav[aria-label="Sections"] a')
    .evaluateAll((links) =>
      links.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute('href') ?? ''),
    );
  for (const href of hrefs) {
    const html = await (await fetch(`${server.url}${href}`)).text();
    if (/rel="next"/.test(html)) return href;
  }
  return undefined;
}

describe('reader site in a browser', () => {
  it('shows the home page and every part of the reference anatomy on an article page', async () => {
    await withPage(async (page) => {
      await goto(page, '/');
      await expectVisible(page.locator('.site-header .site-name'), 'site name');
      expect(await text(page.locator('.site-header .site-name'))).toBe('Dateline');
      await expectAllVisible(page.locator('nav[aria-label="Sections"] a'), 'section navigation links');
      await expectVisible(page.locator('.top-story .top-story-title a'), 'top story');
      await expectVisible(page.locator('#latest-news-heading'), '"Latest news" heading');
      expect(await text(page.locator('#latest-news-heading'))).toBe('Latest news');
      await expectAllVisible(page.locator('section.latest .card-title a'), 'latest news links');

      // The fixture is the newest article, so it is the top story.
      expect(await text(page.locator('.top-story .top-story-title a'))).toBe(fixture.title);
      await page.locator('.top-story .top-story-title a').click();
      await page.waitForURL(/\/world\/2020\/01\/15\/[a-z0-9-]+$/);
      articlePath = new URL(page.url()).pathname;

      const article = page.locator('main article.article');
      await expectVisible(article.locator('h1'), 'headline');
      expect(await text(article.locator('h1'))).toBe(fixture.title);
      await expectVisible(article.locator('.standfirst'), 'standfirst');
      expect(await text(article.locator('.standfirst'))).toBe(fixture.standfirst);

      const lead = article.locator('figure.lead');
      await expectVisible(lead.locator('img'), 'lead image');
      await expect
        .poll(() => lead.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
        .toBeGreaterThan(0);
      await expectVisible(lead.locator('figcaption'), 'lead image caption');
      expect(await text(lead.locator('figcaption'))).toContain(fixture.lead_image.caption);
      await expectVisible(lead.locator('figcaption .credit'), 'lead image credit');
      expect(await text(lead.locator('figcaption .credit'))).toBe(fixture.lead_image.credit);

      const authors = article.locator('.byline a[rel="author"]');
      await expectAllVisible(authors, 'byline author links', 2);
      expect(await authors.allTextContents()).toEqual(fixture.authors);
      expect(await authors.first().getAttribute('href')).toBe('/author/ana-ruiz');

      await expectVisible(article.locator('.dateline'), 'dateline place');
      expect(await text(article.locator('.dateline'))).toBe(fixture.dateline);
      const published = article.locator('.article-meta .published > time[datetime]');
      await expectVisible(published, 'publication time');
      expect(await published.getAttribute('datetime')).toBe(new Date(fixture.published).toISOString());
      const updated = article.locator('.article-meta .updated time[datetime]');
      await expectVisible(updated, 'update time');
      expect(await updated.getAttribute('datetime')).toBe(new Date(fixture.updated).toISOString());

      const body = article.locator('.article-body');
      await expectAllVisible(body.locator('h2'), 'crossheads', crossheads.length);
      expect(await body.locator('h2').allTextContents()).toEqual(crossheads);
      await expectVisible(body.locator('b').first(), 'bold text');
      await expectVisible(body.locator('i').first(), 'italic text');
      await expectVisible(body.locator('p a[href="/world"]'), 'inline link');
      await expectVisible(body.locator('figure.quote blockquote'), 'quote');
      expect(await text(body.locator('figure.quote blockquote'))).toBe(quote?.text);
      await expectVisible(body.locator('figure.quote figcaption'), 'quote attribution');
      expect(await text(body.locator('figure.quote figcaption'))).toContain(quote?.attribution);
      await expectAllVisible(body.locator('ul > li'), 'bulleted list items', bulleted.length);
      await expectAllVisible(body.locator('ol > li'), 'numbered list items', numbered.length);
      const intro = await body
        .locator('ul')
        .evaluate(
          (ul) =>
            (ul as unknown as { previousElementSibling: { textContent: string } | null }).previousElementSibling
              ?.textContent ?? '',
        );
      expect(intro.trim().endsWith(':'), 'the paragraph before the bulleted list ends with ":"').toBe(true);

      const tags = article.locator('.tags a[rel="tag"]');
      await expectAllVisible(tags, 'tag links', fixture.tags.length);
      expect(await tags.allTextContents()).toEqual(fixture.tags);

      await expectVisible(page.locator('#latest-news-heading'), '"Latest news" heading');
      expect(await text(page.locator('#latest-news-heading'))).toBe('Latest news');
      await expectAllVisible(page.locator('section.latest .card-title a'), 'latest news links');
      await expectVisible(page.locator('#related-news-heading'), '"Related news" heading');
      expect(await text(page.locator('#related-news-heading'))).toBe('Related news');
      await expectAllVisible(page.locator('section.related .card-title a'), 'related news links');
      // The fixture file's earlier article on the same negotiation must be among them.
      expect(await page.locator('section.related .card-title a').allTextContents()).toContain(
        'Estrava and Kolmland open talks on sharing the Sarn river',
      );

      // The weather widget opens the page, as on the reference page: the default city (e2e/server.ts).
      await expectVisible(page.locator('.site-header .weather-now'), 'weather widget');
      expect(await text(page.locator('.site-header .weather-city'))).toBe('New York');

      mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: join(RESULTS_DIR, 'article.png'), fullPage: true });
      await page.setViewportSize({ width: 375, height: 812 });
      await expectVisible(article.locator('h1'), 'headline at phone width');
      const overflow = await page
        .locator('html')
        .evaluate(
          (el) =>
            (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth -
            (el as unknown as { clientWidth: number }).clientWidth,
        );
      expect(overflow, 'horizontal overflow at 375 px').toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(RESULTS_DIR, 'article-phone.png'), fullPage: true });
    });
  });

  it('shows "More on this story" in time order, then Related news beyond the story, on a multi-article story', async () => {
    await withPage(async (page) => {
      await goto(page, STORY_PATH);
      expect(await text(page.locator('main article.article h1'))).toBe(ferryAshore?.title);

      await expectVisible(page.locator('#story-heading'), '"More on this story" heading');
      expect(await text(page.locator('#story-heading'))).toBe('More on this story');
      const story = page.locator('section.story');
      expect(await story.getAttribute('aria-labelledby')).toBe('story-heading');
      await expectAllVisible(story.locator('.card-title a'), 'story links', 2);
      expect(await story.locator('.card-title a').allTextContents()).toEqual([
        ferryAground?.title,
        ferryInvestigation?.title,
      ]);
      const times = await story
        .locator('.card-meta time')
        .evaluateAll((els) =>
          els.map((el) => (el as unknown as { getAttribute(name: string): string | null }).getAttribute('datetime')),
        );
      expect(times).toEqual([ferryAground, ferryInvestigation].map((a) => new Date(a?.published ?? '').toISOString()));

      await expectVisible(page.locator('#related-news-heading'), '"Related news" heading');
      const related = await page.locator('section.related .card-title a').allTextContents();
      expect(related.length).toBeGreaterThanOrEqual(1);
      expect(related.length).toBeLessThanOrEqual(5);
      for (const inStory of [ferryAground, ferryAshore, ferryInvestigation])
        expect(related).not.toContain(inStory?.title);
      // Coverage of the same ferry a week away is related news, not the same story.
      expect(
        related.some((t) => t === ferryBefore?.title || t === ferryAfter?.title),
        related.join(' | '),
      ).toBe(true);

      const order = await page
        .locator('main section.module h2')
        .evaluateAll((hs) => hs.map((h) => (h as unknown as { id: string }).id));
      expect(order.indexOf('story-heading')).toBeLessThan(order.indexOf('related-news-heading'));

      mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: join(RESULTS_DIR, 'article-story.png'), fullPage: true });
    });
  });

  it('shows the source and licence on a demo article', async () => {
    const fixtureHref = await fixturePath();
    await withPage(async (page) => {
      await goto(page, '/');
      const demoLink = page.locator(`main .card-title a:not([href="${fixtureHref}"])`).first();
      await expectVisible(demoLink, 'a demo article link');
      await demoLink.click();
      await page.waitForURL(/\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+$/);
      expect(new URL(page.url()).pathname).not.toBe(fixtureHref);

      const source = page.locator('article .source');
      await expectVisible(source, 'source and licence box');
      await expectVisible(
        source.locator('a[href^="https://en.wikinews.org/"]'),
        'link to the original Wikinews article',
      );
      const licence = source.locator('a[rel="license"]');
      await expectVisible(licence, 'link to the licence');
      expect(await licence.getAttribute('href')).toMatch(/^https:\/\/creativecommons\.org\/licenses\//);
    });
  });

  it('navigates to section, tag and author pages, with pagination on long lists', async () => {
    const fixtureHref = await fixturePath();
    await withPage(async (page) => {
      // Section, through the navigation.
      await goto(page, fixtureHref);
      const navLink = page.locator('nav[aria-label="Sections"] a', { hasText: fixture.section });
      await navLink.click();
      await page.waitForURL(`${server.url}/world`);
      await expectVisible(page.locator('main h1'), 'section heading');
      expect(await text(page.locator('main h1'))).toBe(fixture.section);
      expect(await page.locator('nav[aria-label="Sections"] a[aria-current="page"]').textContent()).toBe(
        fixture.section,
      );
      await expectVisible(page.locator(`main .card-title a[href="${fixtureHref}"]`), 'the fixture on its section page');

      // Pagination, on the first section long enough to have a second page.
      const long = await paginatedSection(page);
      if (long) {
        await goto(page, long);
        expect(await page.locator('main .card-title a').count()).toBe(20);
        await page.locator('nav[aria-label="Pagination"] a[rel="next"]').click();
        await page.waitForURL(`${server.url}${long}?page=2`);
        await expectVisible(page.locator('main h1'), 'heading of page 2');
        await expectAllVisible(page.locator('main .card-title a'), 'articles on page 2');
        await expectVisible(page.locator('nav[aria-label="Pagination"] a[rel="prev"]'), 'link to the previous page');
      }
      expected404.add('/world?page=999');
      await goto(page, '/world?page=999', 404);
      await expectVisible(page.locator('main h1'), '404 heading');

      // Tag and author, from the fixture article.
      await goto(page, fixtureHref);
      await page.locator('article .tags a', { hasText: fixture.tags[0] }).click();
      await page.waitForURL(/\/tag\/[a-z0-9-]+$/);
      expect(await text(page.locator('main h1'))).toBe(fixture.tags[0]);
      await expectVisible(page.locator(`main .card-title a[href="${fixtureHref}"]`), 'the fixture on its tag page');

      await goto(page, fixtureHref);
      await page.locator('article .byline a', { hasText: fixture.authors[0] }).click();
      await page.waitForURL(/\/author\/[a-z0-9-]+$/);
      expect(await text(page.locator('main h1'))).toBe(fixture.authors[0]);
      await expectVisible(page.locator(`main .card-title a[href="${fixtureHref}"]`), 'the fixture on its author page');
    });
  });

  it('answers an unknown URL with the 404 page and the latest news', async () => {
    await withPage(async (page) => {
      for (const path of ['/no-such-page-e2e', '/world/2020/01/15/no-such-article', '/tag/no-such-tag-e2e']) {
        expected404.add(path);
        await goto(page, path, 404);
        await expectVisible(page.locator('main h1'), `404 heading on ${path}`);
        expect(await text(page.locator('main h1'))).toBe('Page not found');
        await expectVisible(page.locator('#latest-news-heading'), `"Latest news" on ${path}`);
        await expectAllVisible(page.locator('section.latest .card-title a'), `latest news links on ${path}`);
      }
    });
  });

  it('has no serious or critical axe violations, in light and dark', async () => {
    const fixtureHref = await fixturePath();
    const pages: [string, number][] = [
      ['/', 200],
      [fixtureHref, 200],
      ['/world', 200],
      [`/tag/${fixture.tags[0]?.toLowerCase()}`, 200],
      ['/author/ana-ruiz', 200],
      [STORY_PATH, 200],
      ['/no-such-page-e2e', 404],
    ];
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await withPage(async (page) => {
        await page.emulateMedia({ colorScheme });
        for (const [path, status] of pages) {
          if (status === 404) expected404.add(path);
          await goto(page, path, status);
          const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
          for (const v of results.violations) {
            if (v.impact !== 'serious' && v.impact !== 'critical') continue;
            const where = v.nodes.map(
              (n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
            );
            problems.push(
              `[${colorScheme}] ${path}: ${v.id} (${v.impact}) ${v.help}\n    ${where.slice(0, 5).join('\n    ')}`,
            );
          }
        }
      });
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('serves HTML that html-validate accepts', async () => {
    const fixtureHref = await fixturePath();
    const config = JSON.parse(readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData;
    const validator = new HtmlValidate(config);
    const pages: [string, number][] = [
      ['/', 200],
      [fixtureHref, 200],
      ['/world', 200],
      [`/tag/${fixture.tags[0]?.toLowerCase()}`, 200],
      ['/author/ana-ruiz', 200],
      [STORY_PATH, 200],
      ['/no-such-page-e2e', 404],
    ];
    const problems: string[] = [];
    for (const [path, status] of pages) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, `status of ${path}`).toBe(status);
      const report = await validator.validateString(await res.text(), `${path}.html`);
      for (const result of report.results) {
        for (const m of result.messages) {
          if (m.severity === 2) problems.push(`${path}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('puts the skip link first, stays on its own origin and works without JavaScript', async () => {
    const fixtureHref = await fixturePath();
    const before = foreignRequests.length;
    await withPage(async (page) => {
      await goto(page, fixtureHref);
      await page.keyboard.press('Tab');
      expect(await page.locator('a.skip-link:focus').count(), 'skip link is the first Tab stop').toBe(1);
      await expectVisible(page.locator('a.skip-link'), 'focused skip link');
      await page.keyboard.press('Enter');
      await page.waitForURL(/#main$/);
      expect(await page.locator('main#main:focus').count(), 'focus moved to main').toBe(1);

      for (const path of ['/', '/world', `/tag/${fixture.tags[0]?.toLowerCase()}`]) await goto(page, path);
    });
    expect(foreignRequests.slice(before), 'requests to other origins').toEqual([]);

    await withPage(
      async (page) => {
        await goto(page, fixtureHref);
        await expectVisible(page.locator('article h1'), 'headline without JavaScript');
        expect(await text(page.locator('article h1'))).toBe(fixture.title);
        await expectVisible(page.locator('article .article-body p').first(), 'body without JavaScript');
        await expectVisible(page.locator('article figure.lead img'), 'lead image without JavaScript');
      },
      { javaScriptEnabled: false },
    );
  });

  it('on a phone, puts the headline under three short header rows: the name, search, the sections in one scrolling row', async () => {
    const fixtureHref = await fixturePath();
    await withPage(
      async (page) => {
        await goto(page, fixtureHref);
        const header = await page.locator('.site-header').boundingBox();
        const headline = await page.locator('article h1').boundingBox();
        // Three short rows: the name (and the weather), the search box, the sections (was about 220 px).
        expect(header?.height, 'header height at 390 px').toBeLessThanOrEqual(140);
        expect(headline?.y, 'headline top at 390 px').toBeLessThanOrEqual(200);
        const tops = await page
          .locator('nav[aria-label="Sections"] li')
          .evaluateAll((items) =>
            items.map((li) =>
              Math.round((li as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top),
            ),
          );
        expect(new Set(tops).size, 'section links on one row').toBe(1);
        const scrolls = await page.locator('nav[aria-label="Sections"]').evaluate((nav) => {
          const box = nav as unknown as { scrollWidth: number; clientWidth: number };
          return box.scrollWidth > box.clientWidth;
        });
        expect(scrolls, 'the row scrolls sideways').toBe(true);
      },
      { viewport: { width: 390, height: 844 } },
    );
  });

  it('shares by plain links, copies the link with JavaScript, and says "hours ago" beside a recent time', async () => {
    const fixtureHref = await fixturePath();
    await withPage(
      async (page) => {
        // The reader's clock two hours after the article: the page itself is the same for everyone.
        await page.clock.setFixedTime(new Date(Date.parse(fixture.published) + 2 * 3_600_000));
        await goto(page, fixtureHref);
        const share = page.locator('nav.share');
        await expectVisible(share, 'share links');
        expect(await share.locator('a[href^="https://bsky.app/intent/compose?text="]').count()).toBe(1);
        expect(await share.locator('a[href^="mailto:"]').count()).toBe(1);
        await share.locator('a[data-copy-link]').click();
        await expect.poll(() => text(share.locator('[data-copy-status]'))).toBe('Link copied');
        expect(await page.evaluate(() => (globalThis as unknown as Clipboarded).navigator.clipboard.readText())).toBe(
          `${server.url}${fixtureHref}`,
        );
        expect(page.url(), 'the copy link did not navigate').toBe(`${server.url}${fixtureHref}`);
        expect(await text(page.locator('.article-meta .relative-time'))).toBe('(2 hours ago)');
        // The footer links the site's own pages.
        await page.locator('footer a', { hasText: 'Corrections policy' }).click();
        await page.waitForURL(/\/corrections$/);
        expect(await text(page.locator('main h1'))).toBe('Corrections policy');
      },
      { permissions: ['clipboard-read', 'clipboard-write'] },
    );
  });

  it('logs no console errors (nor CSP violations) on any page', async () => {
    const fixtureHref = await fixturePath();
    await withPage(async (page) => {
      for (const path of ['/', fixtureHref, '/world', '/author/ana-ruiz']) {
        await goto(page, path);
        await page.waitForLoadState('load');
      }
    });
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    expect(foreignRequests, 'requests to other origins').toEqual([]);
  });
});
