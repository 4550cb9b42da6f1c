import { readFileSync } from 'node:fs';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { raw } from '../../lib/html.js';
import { safeUrl } from '../../web/views/components.js';
import type {
  ArticlePageVM,
  CardVM,
  ContentPageVM,
  HomePageVM,
  ImageVM,
  LayoutVM,
  LinkVM,
  ListPageVM,
  NotFoundPageVM,
  RelatedDebugPageVM,
} from '../view-model.js';
import { renderArticleModules, renderArticlePage } from './article.view.js';
import { renderContentPage } from './content-page.view.js';
import { renderErrorPage, renderNotFoundPage } from './errors.view.js';
import { renderHomePage } from './home.view.js';
import { renderListPage } from './list.view.js';
import { renderRelatedDebugPage } from './related-debug.view.js';

/*
 * The shared html-validate config (.htmlvalidate.json) extends html-validate:recommended.
 * Relaxed rules, with reasons (JSON has no comments, so they live here):
 * - doctype-style: set to "lowercase" because our documents start with `<!doctype html>` by design.
 * - no-trailing-whitespace: off; whitespace in output is insignificant and sanitized body HTML from sources may carry it.
 * - long-title: off; the title is the editor's (or source's) headline and we never truncate it.
 * Tightened: heading-level (h1 → h2 → h3 order), no-missing-references (aria-labelledby targets), no-style-tag (CSP).
 */
const htmlValidateConfig = JSON.parse(
  readFileSync(new URL('../../../.htmlvalidate.json', import.meta.url), 'utf8'),
) as ConfigData;
const validator = new HtmlValidate(htmlValidateConfig);

async function expectValidHtml(page: string): Promise<void> {
  const report = await validator.validateString(page);
  const messages = report.results.flatMap((result) =>
    result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
  );
  expect(messages).toEqual([]);
  expect(report.valid).toBe(true);
}

const XSS = '<script>alert(1)</script>';
const ATTR = '" onmouseover="alert(1)';
const WIKINEWS = 'https://en.wikinews.org/wiki/US_and_Russia';
const CC_BY = 'https://creativecommons.org/licenses/by/2.5/';
const link = (href: string, label: string): LinkVM => ({ href, label });

function layout(overrides: Partial<LayoutVM> = {}): LayoutVM {
  return {
    siteName: `Dateline ${XSS}`,
    title: `Title ${XSS}`,
    description: `Description ${ATTR}`,
    canonicalUrl: `https://news.example/world/talks?a=1&b="2"`,
    language: 'en',
    iconHref: '/assets/favicon.abc.svg',
    stylesheetHref: '/assets/site.css',
    nav: [link('/', 'Home'), link('/world', 'World'), link('/science', `Science ${XSS}`)],
    currentPath: '/world',
    footer: {
      sections: [link('/world', 'World'), link('/science', `Science ${XSS}`)],
      pages: [link('/about', `About ${XSS}`), link('/corrections', 'Corrections policy')],
      tools: [link('/search', 'Search'), link('/feed.xml', 'RSS feed')],
      year: '2026',
    },
    ...overrides,
  };
}

function card(n: number, overrides: Partial<CardVM> = {}): CardVM {
  return {
    href: `/world/story-${n}`,
    headline: `Story ${n} ${XSS}`,
    standfirst: `Standfirst ${n} ${ATTR}`,
    section: link('/world', 'World'),
    published: { iso: `2014-04-0${n}T10:00:00Z`, text: `${n} April 2014` },
    ...overrides,
  };
}

function articlePage(
  overrides: Partial<ArticlePageVM['article']> = {},
  related = [card(3)],
  story = [card(4), card(5)],
): ArticlePageVM {
  return {
    layout: layout(),
    latest: [card(1), card(2, { image: { src: '/media/2.jpg', alt: `Alt ${ATTR}`, width: 400, height: 300 } })],
    modules: renderArticleModules(story, related),
    article: {
      headline: `US and Russia urge peaceful solution ${XSS}`,
      standfirst: `Kerry and Lavrov agree ${ATTR}`,
      canonicalUrl: 'https://news.example/world/us-russia',
      section: link('/world', 'World'),
      authors: [link('/authors/ann" onmouseover="x', `Ann ${XSS}`), link('/authors/bob', 'Bob')],
      tags: [link('/tags/ukraine', 'Ukraine'), link('/tags/russia', `Russia ${XSS}`)],
      datelinePlace: 'Kyiv',
      published: { iso: '2014-04-10T09:00:00Z', text: '10 April 2014, 09:00 UTC' },
      leadImage: {
        src: '/media/lead.jpg',
        alt: `Lead alt ${ATTR}`,
        caption: `Caption ${XSS}`,
        credit: `Credit ${ATTR}`,
        width: 1200,
        height: 675,
      },
      body: [
        { type: 'paragraph', html: raw('The government in Kiev has <em>warned</em> them.') },
        { type: 'crosshead', text: `Dialogue, not force ${XSS}`, id: 'dialogue-not-force' },
        { type: 'quote', text: `These incidents ${XSS}`, attribution: `Victoria Nuland ${ATTR}` },
        { type: 'list', ordered: false, items: [raw('56 members left'), raw('Putin suggested')] },
        { type: 'list', ordered: true, items: [raw('First'), raw('Second')] },
        { type: 'image', image: { src: '/media/body.jpg', alt: '', caption: 'Body caption' } },
        { type: 'embed', url: 'https://video.example/v/1?x="y"', title: `Video ${XSS}`, provider: `VideoSite ${XSS}` },
      ],
      source: { name: 'Wikinews', url: WIKINEWS, licence: 'CC BY 2.5', licenceUrl: CC_BY },
      language: 'en',
      share: {
        url: 'https://news.example/world/us-russia',
        links: [link(`https://x.com/intent/post?url=a&text=${XSS}`, 'X'), link('javascript:alert(1)', 'Evil')],
      },
      notes: [
        { label: 'Correction', iso: '2014-04-12T09:00:00.000Z', day: 'April 12, 2014', text: `The minister ${XSS}` },
        { label: 'Update', iso: '2014-04-13T09:00:00.000Z', day: 'April 13, 2014', text: 'Talks resumed.' },
      ],
      ...overrides,
    },
  };
}

function count(page: string, needle: RegExp): number {
  return page.match(needle)?.length ?? 0;
}

/** Hostile data must only ever appear escaped. */
function expectEscaped(page: string): void {
  expect(page).not.toContain('<script');
  expect(page).not.toContain('" onmouseover=');
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
}

describe('renderArticlePage', () => {
  const page = renderArticlePage(articlePage());

  it('shows each correction and update with its day, after the body, escaped', () => {
    const notes = page.match(/<aside class="article-notes"[^>]*>[\s\S]*?<\/aside>/)?.[0] ?? '';
    expect(notes).toContain(
      '<p class="note note-correction"><strong>Correction, <time datetime="2014-04-12T09:00:00.000Z">April 12, 2014</time>:</strong> The minister &lt;script&gt;',
    );
    expect(notes).toContain(
      '<strong>Update, <time datetime="2014-04-13T09:00:00.000Z">April 13, 2014</time>:</strong> Talks resumed.',
    );
    expect(page.indexOf('class="article-notes"')).toBeGreaterThan(page.indexOf('class="article-body"'));
    expect(renderArticlePage(articlePage({ notes: [] }))).not.toContain('article-notes');
  });

  it('escapes every text of an embed: its title and its provider', () => {
    const embed = page.match(/<figure class="embed">.*?<\/figure>/s)?.[0] ?? '';
    expect(embed).toContain('<figcaption>VideoSite &lt;script&gt;alert(1)&lt;/script&gt;</figcaption>');
    expect(embed).toContain('>Video &lt;script&gt;alert(1)&lt;/script&gt;</a>');
    expect(embed).toContain('href="https://video.example/v/1?x=&quot;y&quot;"');
  });

  it('renders every part of the article anatomy', () => {
    expect(page).toMatch(/<p class="kicker"><a href="\/world">World<\/a><\/p>/);
    expect(page).toMatch(/<h1>US and Russia urge peaceful solution /);
    expect(page).toContain('<p class="standfirst">Kerry and Lavrov agree');
    expect(page).toMatch(/<figure class="figure lead"><img src="\/media\/lead\.jpg"[^>]*><figcaption>Caption /);
    expect(page).toContain('<span class="credit">Credit &quot; onmouseover=&quot;alert(1)</span>');
    expect(page).toMatch(
      /<p class="byline">By <a href="[^"]*" rel="author">Ann [^<]*<\/a> and <a href="\/authors\/bob"/,
    );
    expect(page).toContain('<span class="dateline">Kyiv</span>');
    expect(page).toContain('<time datetime="2014-04-10T09:00:00Z">10 April 2014, 09:00 UTC</time>');
    expect(page).toContain('<p>The government in Kiev has <em>warned</em> them.</p>');
    expect(page).toMatch(/<h2 id="dialogue-not-force">Dialogue, not force /);
    expect(page).toMatch(/<blockquote><p>These incidents [^<]*<\/p><\/blockquote><figcaption>— Victoria Nuland/);
    expect(page).toContain('<ul><li>56 members left</li><li>Putin suggested</li></ul>');
    expect(page).toContain('<ol><li>First</li><li>Second</li></ol>');
    expect(page).toMatch(/<figure class="embed"><a href="https:\/\/video\.example\/v\/1\?x=&quot;y&quot;">Video /);
    expect(page).toContain('<ul class="tags"><li><a href="/tags/ukraine" rel="tag">Ukraine</a></li>');
    expect(page).toContain(
      `Originally published by <a href="${WIKINEWS}">Wikinews</a> under <a href="${CC_BY}" rel="license">CC BY 2.5</a>.`,
    );
    expect(page).not.toContain('<iframe');
  });

  it('has exactly one h1', () => {
    expect(count(page, /<h1[\s>]/g)).toBe(1);
  });

  it('renders the Latest news and Related news modules with card links under h3', () => {
    expect(page).toContain('<h2 id="latest-news-heading" class="module-title">Latest news</h2>');
    expect(page).toContain('<h2 id="related-news-heading" class="module-title">Related news</h2>');
    expect(page).toMatch(/<h3 class="card-title"><a href="\/world\/story-1">Story 1 /);
    expect(page).toMatch(/<h3 class="card-title"><a href="\/world\/story-3">Story 3 /);
  });

  it('renders "More on this story" in time order with times, between the article and Related news', () => {
    expect(page).toMatch(
      /<section class="module story" aria-labelledby="story-heading">\s*<h2 id="story-heading" class="module-title">More on this story<\/h2>\s*<ol class="cards">/,
    );
    const start = page.indexOf('id="story-heading"');
    const story = page.slice(start, page.indexOf('</ol>', start));
    expect(story.indexOf('/world/story-4')).toBeLessThan(story.indexOf('/world/story-5'));
    expect(story).toContain('<time datetime="2014-04-04T10:00:00Z">4 April 2014</time>');
    expect(page.indexOf('</article>')).toBeLessThan(page.indexOf('More on this story'));
    expect(page.indexOf('More on this story')).toBeLessThan(page.indexOf('Related news'));
  });

  it('omits "More on this story" when the story has no other articles', () => {
    const alone = renderArticlePage(articlePage({}, [card(3)], []));
    expect(alone).not.toContain('More on this story');
    expect(alone).not.toContain('<ol class="cards">');
    expect(alone).toContain('Related news');
  });

  it('loads the lead image eagerly and other images lazily, with known dimensions', () => {
    expect(page).toMatch(
      /<img src="\/media\/lead\.jpg" alt="[^"]*" width="1200" height="675" decoding="async" fetchpriority="high">/,
    );
    expect(page).toContain('<img src="/media/body.jpg" alt="" loading="lazy" decoding="async">');
    expect(page).toMatch(
      /<img src="\/media\/2\.jpg" alt="[^"]*" width="400" height="300" loading="lazy" decoding="async">/,
    );
  });

  it('escapes hostile data everywhere', () => {
    expectEscaped(page);
    expect(page).toContain('href="/authors/ann&quot; onmouseover=&quot;x"');
    expect(page).toContain('href="https://news.example/world/talks?a=1&amp;b=&quot;2&quot;"');
  });

  it('shows the updated time only when given', () => {
    expect(page).not.toContain('Updated');
    const updated = renderArticlePage(articlePage({ updated: { iso: '2014-04-11T08:00:00Z', text: '11 April 2014' } }));
    expect(updated).toContain(
      '<span class="updated">Updated <time datetime="2014-04-11T08:00:00Z">11 April 2014</time>',
    );
  });

  it('omits the related module when there are no related articles, and the byline without authors', () => {
    const bare = renderArticlePage(articlePage({ authors: [], tags: [] }, []));
    expect(bare).not.toContain('Related news');
    expect(bare).toContain('Latest news');
    expect(bare).not.toContain('class="byline"');
    expect(bare).not.toContain('class="tags"');
  });

  it('joins three authors as "A, B and C"', () => {
    const authors = ['A', 'B', 'C'].map((label) => link(`/authors/${label}`, label));
    const out = renderArticlePage(articlePage({ authors }));
    expect(out).toMatch(/By <a[^>]*>A<\/a>, <a[^>]*>B<\/a> and <a[^>]*>C<\/a>/);
  });

  it('links headline-only articles to the full story at the source', () => {
    const out = renderArticlePage(articlePage({ body: [], leadImage: undefined }));
    expect(out).toContain('<p class="standfirst">');
    expect(out).toContain(`<a href="${WIKINEWS}">Read the full story at Wikinews</a>`);
    const noUrl = renderArticlePage(articlePage({ body: [], source: { name: 'Agency' } }));
    expect(noUrl).not.toContain('Read the full story');
    expect(noUrl).toContain('Originally published by Agency.');
  });

  it('offers plain share links opening in a new tab, and the article’s own address as "Copy link"', () => {
    const share = page.slice(
      page.indexOf('<nav class="share"'),
      page.indexOf('</nav>', page.indexOf('<nav class="share"')),
    );
    expect(share).toContain('<h2 class="share-heading" id="share-heading">Share</h2>');
    expect(share).toContain('href="https://x.com/intent/post?url=a&amp;text=&lt;script&gt;');
    expect(share).toContain(
      'rel="noopener" target="_blank">X<span class="visually-hidden"> (opens in a new tab)</span>',
    );
    expect(share).toContain('<a href="#" rel="noopener" target="_blank">Evil');
    expect(share).toContain(
      '<a href="https://news.example/world/us-russia" class="copy-link" data-copy-link>Copy link</a>',
    );
    expect(share).toContain('role="status" data-copy-status');
    expect(share).not.toContain('<script');
  });

  it('neutralises script URLs', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' JaVa\tScRiPt:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,x')).toBe('#');
    expect(safeUrl('/world?page=2')).toBe('/world?page=2');
    expect(safeUrl('https://example.org/a:b')).toBe('https://example.org/a:b');
    const out = renderArticlePage(articlePage({ section: { href: 'javascript:alert(1)', label: 'World' } }));
    expect(out).not.toContain('javascript:');
  });

  it('produces valid HTML, with and without optional parts', async () => {
    await expectValidHtml(page);
    const bare = articlePage({ body: [], leadImage: undefined, authors: [], tags: [], source: undefined }, [], []);
    await expectValidHtml(renderArticlePage({ ...bare, latest: [] }));
  });
});

describe('renderContentPage', () => {
  const vm: ContentPageVM = {
    layout: layout({ title: 'About us' }),
    title: `About ${XSS}`,
    body: [
      { type: 'paragraph', html: raw('We are <em>independent</em>.') },
      { type: 'crosshead', text: 'Contact', id: 'contact' },
      { type: 'list', ordered: false, items: [raw('Email'), raw('Post')] },
    ],
    updated: { iso: '2026-12-01T10:00:00.000Z', text: 'December 1, 2026' },
  };
  const out = renderContentPage(vm);

  it('renders one h1, the body’s blocks and when the page last changed, escaped and valid', async () => {
    expect(count(out, /<h1>/g)).toBe(1);
    expect(out).toContain('<h1>About &lt;script&gt;');
    expect(out).toContain('<p>We are <em>independent</em>.</p>');
    expect(out).toContain('<h2 id="contact">Contact</h2>');
    expect(out).toContain('<ul><li>Email</li><li>Post</li></ul>');
    expect(out).toContain('Last updated <time datetime="2026-12-01T10:00:00.000Z">December 1, 2026</time>');
    await expectValidHtml(out);
  });
});

describe('responsive images', () => {
  const HASH = '0123456789abcdef0123456789abcdef';
  /** An uploaded image's view model, as the presenter makes it (here with a hostile srcset, which must stay inert). */
  const uploaded = (alt: string, srcset = 'w320'): ImageVM => {
    const set = (ext: string) => `/media/images/${HASH}/${srcset}.${ext} 320w, /media/images/${HASH}/w640.${ext} 640w`;
    return {
      src: `/media/images/${HASH}/w640.jpg`,
      alt,
      width: 640,
      height: 360,
      responsive: {
        sources: [
          { type: 'image/avif', srcset: set('avif') },
          { type: 'image/webp', srcset: set('webp') },
        ],
        srcset: set('jpg'),
      },
    };
  };
  const vm = articlePage({
    leadImage: { ...uploaded('Lead'), caption: 'Harbour at dawn' },
    body: [
      { type: 'paragraph', html: raw('Text.') },
      { type: 'image', image: uploaded(`Body ${ATTR}`, `w320" onerror="alert(1)`) },
    ],
  });
  const page = renderArticlePage({
    ...vm,
    latest: [
      card(1, { image: uploaded('Card') }),
      card(2, { image: { src: 'https://example.org/a.jpg', alt: 'Ext' } }),
    ],
  });
  const picture = (alt: string) =>
    page.match(new RegExp(`<picture>(?:(?!</picture>).)*alt="${alt}"[^>]*></picture>`, 's'))?.[0];

  it('gives an uploaded lead image AVIF and WebP sources, a JPEG srcset, the column sizes, and no lazy loading', () => {
    const lead = picture('Lead');
    const sizes = 'sizes="(min-width: 40rem) 36rem, calc(100vw - 2rem)"';
    expect(lead).toBe(
      `<picture><source type="image/avif" srcset="/media/images/${HASH}/w320.avif 320w, /media/images/${HASH}/w640.avif 640w" ${sizes}>` +
        `<source type="image/webp" srcset="/media/images/${HASH}/w320.webp 320w, /media/images/${HASH}/w640.webp 640w" ${sizes}>` +
        `<img src="/media/images/${HASH}/w640.jpg" srcset="/media/images/${HASH}/w320.jpg 320w, /media/images/${HASH}/w640.jpg 640w" ${sizes} ` +
        `alt="Lead" width="640" height="360" decoding="async" fetchpriority="high"></picture>`,
    );
    expect(page).toMatch(
      /<figure class="figure lead"><picture>.*?<\/picture><figcaption>Harbour at dawn<\/figcaption><\/figure>/s,
    );
  });

  it('loads body and card images lazily, cards with small sizes; other images keep a plain <img>', () => {
    expect(picture('Body &quot; onmouseover=&quot;alert\\(1\\)')).toMatch(
      /loading="lazy" decoding="async"><\/picture>$/,
    );
    const cardPicture = picture('Card');
    expect(cardPicture).toContain(
      'sizes="(min-width: 72rem) 22rem, (min-width: 54rem) 31vw, (min-width: 35rem) 47vw, calc(100vw - 2rem)"',
    );
    expect(cardPicture).toMatch(/loading="lazy" decoding="async"><\/picture>$/);
    expect(page).toContain('<img src="https://example.org/a.jpg" alt="Ext" loading="lazy" decoding="async">');
    expect(count(page, /<picture>/g)).toBe(3);
  });

  it('escapes srcsets and alt texts', () => {
    expect(page).toContain('w320&quot; onerror=&quot;alert(1).avif 320w');
    expect(page).not.toContain('" onerror=');
    expectEscaped(page);
  });

  it('gives the home page top story its own sizes', () => {
    const home = renderHomePage({
      layout: layout({ currentPath: '/' }),
      top: card(9, { image: uploaded('Top') }),
      latest: [],
      sections: [],
    });
    expect(home).toContain('sizes="(min-width: 72rem) 40rem, (min-width: 50rem) 58vw, calc(100vw - 2rem)"');
    expect(home).toMatch(/alt="Top" width="640" height="360" decoding="async" fetchpriority="high"><\/picture>/);
  });

  it('produces valid HTML', async () => {
    await expectValidHtml(page);
  });
});

describe('renderRelatedDebugPage', () => {
  const vm = (rows: RelatedDebugPageVM['rows'], story = [card(4)]): RelatedDebugPageVM => ({
    layout: layout({ noindex: true }),
    article: link('/world/2014/04/10/talks', `Talks ${XSS}`),
    story,
    rows,
  });
  const row = (n: number, overrides: Partial<RelatedDebugPageVM['rows'][number]> = {}) => ({
    href: `/world/story-${n}`,
    headline: `Related ${n} ${XSS}`,
    score: '0.612',
    similarity: '0.580',
    needed: '0.020',
    sharedNeighbours: '',
    sameStory: true,
    hoursApart: '1.0 h after',
    sharedTerms: ['dam', `river ${ATTR}`],
    sharedEntities: ['Geneva'],
    sharedLabels: [`#Dams ${XSS}`],
    ...overrides,
  });
  const page = renderRelatedDebugPage(
    vm([
      row(1),
      row(2, {
        sameStory: false,
        needed: '0.142',
        sharedNeighbours: '6 of 10, mutual',
        hoursApart: '170.0 h before',
        sharedTerms: [],
        sharedEntities: [],
        sharedLabels: [],
      }),
    ]),
  );

  it('renders each related article as a table row: linked headline, score, similarity, what it needed, neighbours, story, time, shared words', () => {
    expect(page).toMatch(/<h1>Why these are related<\/h1>/);
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toMatch(/<caption|aria-labelledby="related-table-heading"/);
    expect(count(page, /<th scope="col">/g)).toBe(10);
    expect(page).toMatch(
      /<th scope="row"><a href="\/world\/story-1">Related 1 [^<]*<\/a><\/th>\s*<td class="num">0\.612<\/td>\s*<td class="num">0\.580<\/td>\s*<td class="num">0\.020<\/td>\s*<td class="num"><span class="none">not asked<\/span><\/td>\s*<td>yes<\/td>\s*<td class="num">1\.0 h after<\/td>\s*<td>dam, river [^<]*<\/td>\s*<td>Geneva<\/td>\s*<td>#Dams [^<]*<\/td>/,
    );
    expect(page).toMatch(
      /<td class="num">0\.142<\/td>\s*<td class="num">6 of 10, mutual<\/td>\s*<td>no<\/td>\s*<td class="num">170\.0 h before<\/td>\s*<td><span class="none">none<\/span>/,
    );
    expect(page).toContain('More on this story');
    expect(page).toContain('href="/world/2014/04/10/talks"');
  });

  it('escapes hostile data', () => {
    expectEscaped(page);
  });

  it('says so when nothing is stored, and stays valid HTML either way', async () => {
    const empty = renderRelatedDebugPage(vm([], []));
    expect(empty).toContain('No related articles are stored');
    expect(empty).not.toContain('<table');
    expect(empty).not.toContain('More on this story');
    await expectValidHtml(page);
    await expectValidHtml(empty);
  });
});

describe('renderLayout (through any page)', () => {
  const page = renderErrorPage({ layout: layout(), status: 500 });

  it('renders the head metadata', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en" dir="ltr">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<title>Title &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('<meta name="description" content="Description &quot; onmouseover=&quot;alert(1)">');
    expect(page).toContain('<link rel="canonical" href="https://news.example/world/talks?a=1&amp;b=&quot;2&quot;">');
    expect(page).toContain('<link rel="stylesheet" href="/assets/site.css">');
    expect(page).toContain('<meta name="color-scheme" content="light dark">');
    expect(page).toContain('<meta name="theme-color"');
    expect(page).not.toContain('noindex');
  });

  it('adds noindex and extra head markup only when asked', () => {
    const out = renderErrorPage({
      layout: layout({ noindex: true, head: raw('<meta property="og:type" content="article">') }),
      status: 500,
    });
    expect(out).toContain('<meta name="robots" content="noindex">');
    expect(out).toContain('<meta property="og:type" content="article">');
    const bare = renderErrorPage({ layout: layout({ description: undefined, canonicalUrl: undefined }), status: 500 });
    expect(bare).not.toContain('name="description"');
    expect(bare).not.toContain('rel="canonical"');
  });

  it('starts the body with a skip link to an existing, focusable main, and ends with the footer', () => {
    expect(page).toMatch(/<body>\s*<a class="skip-link" href="#main">Skip to content<\/a>/);
    expect(page).toContain('<main id="main" class="wrap" tabindex="-1">');
    expect(page).toMatch(/<footer class="site-footer">[\s\S]*Published with Dateline[\s\S]*<\/footer>/);
  });

  it('lists sections, the site’s own pages, search and feeds in the footer, each list named, escaped', async () => {
    const footer = page.slice(page.indexOf('<footer'));
    expect(footer).toContain('<nav class="footer-links" aria-labelledby="footer-sections">');
    expect(footer).toContain('<h2 class="footer-heading" id="footer-sections">Sections of the site</h2>');
    expect(footer).toContain('<a href="/science">Science &lt;script&gt;');
    expect(footer).toContain('<a href="/about">About &lt;script&gt;');
    expect(footer).toContain('<a href="/corrections">Corrections policy</a>');
    expect(footer).toContain('<a href="/feed.xml">RSS feed</a>');
    expect(footer).toContain('© 2026 Dateline');
    const bare = renderErrorPage({ layout: layout({ footer: undefined }), status: 500 });
    expect(bare).not.toContain('footer-links');
    await expectValidHtml(page);
  });

  it('marks the current section in the nav and escapes labels', () => {
    expect(page).toContain('<nav class="site-nav" aria-label="Sections">');
    expect(page).toContain('<a href="/world" aria-current="page">World</a>');
    expect(count(page, /aria-current/g)).toBe(1);
    expect(page).toContain('<a class="site-name" href="/">Dateline &lt;script&gt;');
    expectEscaped(page);
  });
});

describe('renderHomePage', () => {
  const vm: HomePageVM = {
    layout: layout({ currentPath: '/' }),
    top: card(9, { image: { src: '/media/top.jpg', alt: 'Top', caption: `Top caption ${XSS}` } }),
    latest: [card(1), card(2)],
    sections: [
      { section: link('/world', 'World'), cards: [card(3), card(4)] },
      { section: link('/science', `Science ${XSS}`), cards: [card(5)] },
      { section: link('/empty', 'Empty'), cards: [] },
    ],
  };
  const page = renderHomePage(vm);

  it('renders one h1, the top story, latest news and one block per section', () => {
    expect(count(page, /<h1[\s>]/g)).toBe(1);
    expect(page).toMatch(/<h2 class="top-story-title"><a href="\/world\/story-9">Story 9 /);
    expect(page).toMatch(
      /<img src="\/media\/top\.jpg" alt="Top" decoding="async" fetchpriority="high"><figcaption>Top caption /,
    );
    expect(page).toContain('<h2 id="latest-news-heading" class="module-title">Latest news</h2>');
    expect(page).toContain('<h2 id="home-section-1" class="module-title"><a href="/world">World</a></h2>');
    expect(page).toContain('aria-labelledby="home-section-2"');
    expect(page).not.toContain('/empty');
    expectEscaped(page);
  });

  it('produces valid HTML, also without a top story', async () => {
    await expectValidHtml(page);
    await expectValidHtml(renderHomePage({ ...vm, top: undefined, latest: [], sections: [] }));
  });
});

describe('renderListPage', () => {
  const vm: ListPageVM = {
    layout: layout(),
    kind: 'tag',
    heading: `Ukraine ${XSS}`,
    intro: `All about Ukraine ${ATTR}`,
    cards: [card(1), card(2)],
    pagination: { page: 2, prev: '/tags/ukraine', next: '/tags/ukraine?page=3&x="y"' },
  };
  const page = renderListPage(vm);

  it('renders the heading, intro, cards and pagination', () => {
    expect(count(page, /<h1[\s>]/g)).toBe(1);
    expect(page).toMatch(/<h1>Ukraine &lt;script&gt;/);
    expect(page).toContain('<p class="intro">All about Ukraine');
    expect(page).toMatch(/<h2 class="card-title"><a href="\/world\/story-1">/);
    expect(page).toContain('<nav class="pagination" aria-label="Pagination">');
    expect(page).toContain('<a href="/tags/ukraine" rel="prev">');
    expect(page).toContain('<a href="/tags/ukraine?page=3&amp;x=&quot;y&quot;" rel="next">');
    expectEscaped(page);
  });

  it('says "No articles yet." for an empty list and omits pagination for a single page', () => {
    const empty = renderListPage({ ...vm, intro: undefined, cards: [], pagination: { page: 1 } });
    expect(empty).toContain('<p class="empty">No articles yet.</p>');
    expect(empty).not.toContain('Pagination');
  });

  it('produces valid HTML', async () => {
    await expectValidHtml(page);
    await expectValidHtml(renderListPage({ ...vm, cards: [], pagination: { page: 1 } }));
  });
});

describe('error pages', () => {
  const notFound: NotFoundPageVM = { layout: layout({ noindex: true }), latest: [card(1)] };

  it('renders a valid 404 page with a link home and the latest news', async () => {
    const page = renderNotFoundPage(notFound);
    expect(page).toContain('<h1>Page not found</h1>');
    expect(page).toContain('<a href="/">front page</a>');
    expect(page).toContain('Latest news');
    expect(count(page, /<h1[\s>]/g)).toBe(1);
    await expectValidHtml(page);
    await expectValidHtml(renderNotFoundPage({ ...notFound, latest: [] }));
  });

  it('renders a valid error page without any details', async () => {
    const page = renderErrorPage({ layout: layout({ noindex: true }), status: 503 });
    expect(page).toContain('<h1>Something went wrong</h1>');
    expect(page).toContain('try again later');
    expect(page).toContain('<a href="/">');
    expect(page).not.toContain('503');
    await expectValidHtml(page);
  });
});
