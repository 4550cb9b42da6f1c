/**
 * Turns domain objects into view models: URLs, times in the site's zone,
 * trusted markup. The only bridge between `articles/` and `views/`.
 */
import type { Article, ArticleSummary, Block, Image, Section, Source } from '../articles/article.js';
import type { Config } from '../config.js';
import type { ContentPage } from '../content-pages/content-page.js';
import { responsiveImage } from '../images/responsive.js';
import { html, raw } from '../lib/html.js';
import type { Clock } from '../lib/time.js';
import type { SiteSettings } from '../settings/settings.js';
import type { ChromeAssets } from '../web/assets.js';
import type { HeaderExtras } from '../web/view-model.js';
import { breadcrumbs, jsonLdScript, newsArticle } from './structured-data.js';
import {
  articlePath,
  authorPath,
  contentPagePath,
  FEED_FORMATS,
  type FeedFormat,
  feedPath,
  pagePath,
  sectionPath,
  tagPath,
} from './urls.js';
import type {
  ArticleVM,
  BlockVM,
  CardVM,
  ContentPageVM,
  ImageVM,
  LayoutVM,
  LinkVM,
  PaginationVM,
  TimeVM,
} from './view-model.js';

const META_DESCRIPTION_MAX = 200;
const CARD_STANDFIRST_MAX = 220;

/** Search and the site's feeds, in every footer. */
const FOOTER_TOOLS: LinkVM[] = [
  { href: '/search', label: 'Search' },
  { href: '/feed.xml', label: 'RSS feed' },
  { href: '/atom.xml', label: 'Atom feed' },
  { href: '/feed.json', label: 'JSON Feed' },
];

/** Tells whether a local image's file exists, cheaply enough to ask while rendering. */
export interface MediaCheck {
  isAvailable(src: string): boolean;
}

/** What a page says about itself in its head. `feed`: the list whose feeds it announces (autodiscovery). */
export interface PageHead {
  title?: string;
  description?: string;
  path?: string;
  currentPath?: string;
  noindex?: boolean;
  /** Its title defaults to the site's name. */
  feed?: { path: string; title?: string };
}

export interface Presenter {
  layout(page: PageHead, sections: Section[]): LayoutVM;
  /** A list's feeds as links readers can follow (RSS, Atom, JSON Feed). */
  feedLinks(listPath: string): LinkVM[];
  article(article: Article): ArticleVM;
  contentPage(page: ContentPage, sections: Section[]): ContentPageVM;
  articleLayout(article: Article, vm: ArticleVM, sections: Section[]): LayoutVM;
  card(summary: ArticleSummary): CardVM;
  /** A time as people read it; a date-only one (a source that gave no time) as its date alone. */
  time(date: Date, dayOnly?: boolean): TimeVM;
  pagination(base: string, page: number, hasNext: boolean): PaginationVM;
  sectionLink(section: Pick<Section, 'slug' | 'name'>): LinkVM;
  /** An image readers can see (responsive when uploaded), or undefined when its file is missing. */
  image(image: Image): ImageVM | undefined;
  /** Body blocks as views show them (a live entry's). */
  blocks(body: Block[]): BlockVM[];
  /** The publisher's logo, absolute (the site's logo, else its icon): structured data. */
  logoUrl(): string;
}

export function createPresenter(deps: {
  config: Config;
  clock: Clock;
  assets: ChromeAssets;
  /** The settings an admin may change while the site runs (its name, description, logo). */
  settings: { current(): Pick<SiteSettings, 'siteName' | 'siteDescription' | 'logo'> };
  /** What other faces add to the header (the weather widget: the default city, from memory, the same on every page). */
  header?: HeaderExtras;
  /**
   * Whether a local image's file is there (`ImageService.isAvailable`: a memo, no I/O per image per page).
   * Without it every image is shown.
   */
  media?: MediaCheck;
  /** Same-origin scripts every page loads (deferred; pages work without them). */
  scripts?: string[];
  /** The site's own pages linked from every footer (from memory). */
  footerPages?: () => { slug: string; title: string }[];
}): Presenter {
  const { config, clock } = deps;
  const site = () => deps.settings.current();
  const shown: MediaCheck = deps.media ?? { isAvailable: () => true };
  /** An image readers can see, or undefined for a local one whose file is missing: never a broken image. */
  const image = (img: Image): ImageVM | undefined => (shown.isAvailable(img.src) ? toImageVM(img) : undefined);
  const { stylesheetHref, iconHref } = deps.assets;
  /** A time as people read it; a date-only one (a source that gave no time) as its date alone, never "7:00 AM". */
  const time = (d: Date, dayOnly?: boolean): TimeVM =>
    dayOnly
      ? { iso: d.toISOString().slice(0, 10), text: clock.day(d) }
      : { iso: d.toISOString(), text: clock.format(d) };
  const absolute = (path: string): string => `${config.siteUrl}${path}`;
  // The footer's year, from the current minute: the clock remembers its answer per instant, and a new instant on
  // every page would make it format a date (slow) on every page.
  const thisYear = () => clock.ymd(new Date(Math.floor(Date.now() / 60_000) * 60_000)).year;
  const sectionLink = (s: Pick<Section, 'slug' | 'name'>): LinkVM => ({ href: sectionPath(s.slug), label: s.name });

  const formats = Object.keys(FEED_FORMATS) as FeedFormat[];
  /** `<link rel="alternate">` to a list's feeds, so feed readers find them from the page. */
  const feedAlternates = (feed: { path: string; title?: string }) =>
    formats.map(
      (f) =>
        html`<link rel="alternate" type="${FEED_FORMATS[f].type}" title="${feed.title ?? site().siteName} (${FEED_FORMATS[f].label})" href="${absolute(feedPath(feed.path, f))}">
`,
    );

  function layout(page: PageHead, sections: Section[]): LayoutVM {
    return {
      siteName: site().siteName,
      title: page.title ? `${page.title} | ${site().siteName}` : site().siteName,
      description: truncate(page.description ?? site().siteDescription, META_DESCRIPTION_MAX),
      ...(site().logo ? { logoSrc: site().logo! } : {}),
      ...(page.path !== undefined ? { canonicalUrl: absolute(page.path) } : {}),
      language: config.language,
      stylesheetHref,
      iconHref,
      nav: sections.map(sectionLink),
      ...(page.currentPath ? { currentPath: page.currentPath } : {}),
      ...(page.noindex ? { noindex: true } : {}),
      ...(deps.header ? { headerWidgets: deps.header.widgets() } : {}),
      scripts: [...(deps.scripts ?? []), ...(deps.header?.scripts ?? [])],
      footer: {
        sections: sections.map(sectionLink),
        pages: (deps.footerPages?.() ?? []).map((p) => ({ href: contentPagePath(p.slug), label: p.title })),
        tools: FOOTER_TOOLS,
        year: thisYear(),
      },
      ...(page.feed ? { head: html`${feedAlternates(page.feed)}` } : {}),
    };
  }

  function article(a: Article): ArticleVM {
    const published = a.publishedAt ?? a.updatedAt;
    const updated = a.updatedAt.getTime() - published.getTime() > 60_000 ? time(a.updatedAt) : undefined;
    const leadImage = a.leadImage && image(a.leadImage);
    const canonicalUrl = absolute(articlePath({ ...a, publishedAt: published }, clock));
    return {
      headline: a.headline,
      standfirst: a.standfirst,
      canonicalUrl,
      section: sectionLink(a.section),
      authors: a.authors.map((au) => ({ href: authorPath(au.slug), label: au.name })),
      tags: a.tags.map((t) => ({ href: tagPath(t.slug), label: t.name })),
      ...(a.datelinePlace ? { datelinePlace: a.datelinePlace } : {}),
      published: time(published, a.publishedDayOnly && !!a.publishedAt),
      ...(updated ? { updated } : {}),
      ...(leadImage ? { leadImage } : {}),
      body: blocks(a.body, image),
      // Our own articles need no credit line; anything from elsewhere does.
      ...(a.source && !isOwn(a.source, site().siteName) ? { source: { ...a.source } } : {}),
      language: a.language,
      notes: a.notes.map((n) => ({
        label: n.kind === 'correction' ? 'Correction' : 'Update',
        iso: n.at.toISOString(),
        day: clock.day(n.at),
        text: n.text,
      })),
      share: { links: shareLinks(canonicalUrl, a.headline), url: canonicalUrl },
    };
  }

  function contentPage(page: ContentPage, sections: Section[]): ContentPageVM {
    return {
      layout: layout(
        { title: page.title, path: contentPagePath(page.slug), currentPath: contentPagePath(page.slug) },
        sections,
      ),
      title: page.title,
      body: blocks(page.body, image),
      updated: { iso: page.updatedAt.toISOString(), text: clock.day(page.updatedAt) },
    };
  }

  return {
    time,
    layout,
    feedLinks: (listPath) => formats.map((f) => ({ href: feedPath(listPath, f), label: FEED_FORMATS[f].label })),
    article,
    contentPage,
    blocks: (body) => blocks(body, image),
    logoUrl: () => absoluteMaybe(site().logo ?? iconHref, config.siteUrl),
    articleLayout(a, articleVm, sections) {
      const vm = layout(
        {
          title: a.headline,
          description: a.standfirst || a.headline,
          path: urlPath(articleVm.canonicalUrl, config.siteUrl),
          currentPath: sectionPath(a.section.slug),
        },
        sections,
      );
      const published = (a.publishedAt ?? a.updatedAt).toISOString();
      const ogImage = articleVm.leadImage ? absoluteMaybe(articleVm.leadImage.src, config.siteUrl) : undefined;
      const canonicalUrl = vm.canonicalUrl ?? articleVm.canonicalUrl;
      const jsonLd = { siteUrl: config.siteUrl, siteName: site().siteName, canonicalUrl, imageUrl: ogImage };
      const logoUrl = absoluteMaybe(site().logo ?? iconHref, config.siteUrl);
      const image = ogImage
        ? html`<meta property="og:image" content="${ogImage}">
<meta property="og:image:alt" content="${articleVm.leadImage?.alt ?? ''}">
<meta name="twitter:image" content="${ogImage}">
`
        : '';
      return {
        ...vm,
        head: html`<meta property="og:type" content="article">
<meta property="og:title" content="${a.headline}">
<meta property="og:description" content="${vm.description}">
<meta property="og:url" content="${canonicalUrl}">
<meta property="og:site_name" content="${site().siteName}">
<meta property="og:locale" content="${a.language.replace('-', '_')}">
<meta name="twitter:card" content="${ogImage ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${a.headline}">
<meta name="twitter:description" content="${vm.description}">
${image}<meta property="article:published_time" content="${published}">
<meta property="article:modified_time" content="${a.updatedAt.toISOString()}">
<meta property="article:section" content="${a.section.name}">
${a.tags.map(
  (t) => html`<meta property="article:tag" content="${t.name}">
`,
)}${jsonLdScript([newsArticle(a, { ...jsonLd, logoUrl }), breadcrumbs(a, { ...jsonLd, logoUrl })])}
${feedAlternates({ path: '/' })}${feedAlternates({ path: sectionPath(a.section.slug), title: a.section.name })}`,
      };
    },
    card(s) {
      const thumbnail = s.leadImage && image(s.leadImage);
      return {
        href: articlePath(s, clock),
        headline: s.headline,
        standfirst: truncate(s.standfirst, CARD_STANDFIRST_MAX),
        section: sectionLink(s.section),
        published: time(s.publishedAt, s.publishedDayOnly),
        ...(thumbnail ? { image: thumbnail } : {}),
      };
    },
    pagination(base, page, hasNext) {
      return {
        page,
        ...(page > 1 ? { prev: pagePath(base, page - 1) } : {}),
        ...(hasNext ? { next: pagePath(base, page + 1) } : {}),
      };
    },
    sectionLink,
    image,
  };
}

function isOwn(source: Source, siteName: string): boolean {
  return source.name === siteName && !source.url && !source.licence;
}

/** An image's view model; an uploaded one also gets its `srcset`s, from its name and width alone. */
function toImageVM(img: Image): ImageVM {
  const responsive = responsiveImage(img.src, img.width);
  if (!responsive) return { ...img };
  return {
    ...img,
    responsive: {
      sources: [
        { type: 'image/avif', srcset: responsive.avif },
        { type: 'image/webp', srcset: responsive.webp },
      ],
      srcset: responsive.fallback.srcset,
    },
  };
}

/** The body's blocks; an image block whose image cannot be shown is left out. */
function blocks(body: Block[], image: (img: Image) => ImageVM | undefined): BlockVM[] {
  const used = new Set<string>();
  return body.flatMap((b, index) => {
    if (b.type !== 'image') return [toBlockVM(b, index, used)];
    const { type: _t, ...img } = b;
    const vm = image(img);
    return vm ? [{ type: 'image' as const, image: vm }] : [];
  });
}

function toBlockVM(b: Exclude<Block, { type: 'image' }>, index: number, usedIds: Set<string>): BlockVM {
  switch (b.type) {
    case 'paragraph':
      return { type: 'paragraph', html: raw(b.html) };
    case 'crosshead':
      return { type: 'crosshead', text: b.text, id: anchorId(b.text, index, usedIds) };
    case 'quote':
      return { type: 'quote', text: b.text, ...(b.attribution ? { attribution: b.attribution } : {}) };
    case 'list':
      return { type: 'list', ordered: b.style === 'numbered', items: b.items.map(raw) };
    case 'embed':
      return { type: 'embed', url: b.url, title: b.title ?? b.url, ...(b.provider ? { provider: b.provider } : {}) };
  }
}

/** Crosshead anchors get an `h-` prefix so they never start with a digit nor clash with the page's own ids. */
function anchorId(text: string, index: number, used: Set<string>): string {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const base = `h-${words || index}`;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

function urlPath(url: string, siteUrl: string): string {
  return url.startsWith(siteUrl) ? url.slice(siteUrl.length) : url;
}

function absoluteMaybe(src: string, siteUrl: string): string {
  return /^https?:\/\//.test(src) ? src : `${siteUrl}${src.startsWith('/') ? '' : '/'}${src}`;
}

/**
 * Share links: plain addresses of each service's own share page, no script
 * of theirs on ours.
 *
 * @example
 *   shareLinks('https://example.com/world/2014/04/10/talks', 'Talks').map((l) => l.label);
 *   // ['Email', 'Bluesky', 'X', 'Facebook', 'LinkedIn', 'WhatsApp']
 */
export function shareLinks(url: string, headline: string): LinkVM[] {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(`${headline} ${url}`);
  return [
    { href: `mailto:?subject=${encodeURIComponent(headline)}&body=${u}`, label: 'Email' },
    { href: `https://bsky.app/intent/compose?text=${text}`, label: 'Bluesky' },
    { href: `https://x.com/intent/post?url=${u}&text=${encodeURIComponent(headline)}`, label: 'X' },
    { href: `https://www.facebook.com/sharer/sharer.php?u=${u}`, label: 'Facebook' },
    { href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`, label: 'LinkedIn' },
    { href: `https://wa.me/?text=${text}`, label: 'WhatsApp' },
  ];
}
