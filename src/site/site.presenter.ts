/**
 * Turns domain objects into view models: URLs, times in the site's zone,
 * trusted markup. The only bridge between `articles/` and `views/`.
 */
import type { Article, ArticleSummary, Block, Image, Section, Source } from '../articles/article.js';
import type { Config } from '../config.js';
import { html, raw } from '../lib/html.js';
import type { Clock } from '../lib/time.js';
import type { SiteSettings } from '../settings/settings.js';
import type { ChromeAssets } from '../web/assets.js';
import type { HeaderExtras } from '../web/view-model.js';
import { articlePath, authorPath, pagePath, sectionPath, tagPath } from './urls.js';
import type { ArticleVM, BlockVM, CardVM, ImageVM, LayoutVM, LinkVM, PaginationVM, TimeVM } from './view-model.js';

const META_DESCRIPTION_MAX = 200;
const CARD_STANDFIRST_MAX = 220;

export interface Presenter {
  layout(
    page: { title?: string; description?: string; path?: string; currentPath?: string; noindex?: boolean },
    sections: Section[],
  ): LayoutVM;
  article(article: Article): ArticleVM;
  articleLayout(article: Article, vm: ArticleVM, sections: Section[]): LayoutVM;
  card(summary: ArticleSummary): CardVM;
  pagination(base: string, page: number, hasNext: boolean): PaginationVM;
  sectionLink(section: Pick<Section, 'slug' | 'name'>): LinkVM;
}

export function createPresenter(deps: {
  config: Config;
  clock: Clock;
  assets: ChromeAssets;
  /** The settings an admin may change while the site runs (its name, description, logo). */
  settings: { current(): Pick<SiteSettings, 'siteName' | 'siteDescription' | 'logo'> };
  /** What other faces add to the header (the weather widget: the default city, from memory, the same on every page). */
  header?: HeaderExtras;
}): Presenter {
  const { config, clock } = deps;
  const site = () => deps.settings.current();
  const { stylesheetHref, iconHref } = deps.assets;
  const time = (d: Date): TimeVM => ({ iso: d.toISOString(), text: clock.format(d) });
  const absolute = (path: string): string => `${config.siteUrl}${path}`;
  const sectionLink = (s: Pick<Section, 'slug' | 'name'>): LinkVM => ({ href: sectionPath(s.slug), label: s.name });

  function layout(
    page: { title?: string; description?: string; path?: string; currentPath?: string; noindex?: boolean },
    sections: Section[],
  ): LayoutVM {
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
      ...(deps.header ? { headerWidgets: deps.header.widgets(), scripts: deps.header.scripts } : {}),
    };
  }

  function article(a: Article): ArticleVM {
    const published = a.publishedAt ?? a.updatedAt;
    const updated = a.updatedAt.getTime() - published.getTime() > 60_000 ? time(a.updatedAt) : undefined;
    return {
      headline: a.headline,
      standfirst: a.standfirst,
      canonicalUrl: absolute(articlePath({ ...a, publishedAt: published }, clock)),
      section: sectionLink(a.section),
      authors: a.authors.map((au) => ({ href: authorPath(au.slug), label: au.name })),
      tags: a.tags.map((t) => ({ href: tagPath(t.slug), label: t.name })),
      ...(a.datelinePlace ? { datelinePlace: a.datelinePlace } : {}),
      published: time(published),
      ...(updated ? { updated } : {}),
      ...(a.leadImage ? { leadImage: image(a.leadImage) } : {}),
      body: blocks(a.body),
      // Our own articles need no credit line; anything from elsewhere does.
      ...(a.source && !isOwn(a.source, site().siteName) ? { source: { ...a.source } } : {}),
      language: a.language,
      notes: a.notes.map((n) => ({
        label: n.kind === 'correction' ? 'Correction' : 'Update',
        iso: n.at.toISOString(),
        day: clock.day(n.at),
        text: n.text,
      })),
    };
  }

  return {
    layout,
    article,
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
      return {
        ...vm,
        head: html`<meta property="og:type" content="article">
<meta property="og:title" content="${a.headline}">
<meta property="og:description" content="${vm.description}">
<meta property="og:url" content="${vm.canonicalUrl}">
<meta property="og:site_name" content="${site().siteName}">
${a.leadImage ? html`<meta property="og:image" content="${absoluteMaybe(a.leadImage.src, config.siteUrl)}">\n` : ''}<meta property="article:published_time" content="${published}">
<meta property="article:modified_time" content="${a.updatedAt.toISOString()}">
<meta property="article:section" content="${a.section.name}">`,
      };
    },
    card(s) {
      return {
        href: articlePath(s, clock),
        headline: s.headline,
        standfirst: truncate(s.standfirst, CARD_STANDFIRST_MAX),
        section: sectionLink(s.section),
        published: time(s.publishedAt),
        ...(s.leadImage ? { image: image(s.leadImage) } : {}),
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
  };
}

function isOwn(source: Source, siteName: string): boolean {
  return source.name === siteName && !source.url && !source.licence;
}

function image(img: Image): ImageVM {
  return { ...img };
}

function blocks(body: Block[]): BlockVM[] {
  const used = new Set<string>();
  return body.map((b, index) => toBlockVM(b, index, used));
}

function toBlockVM(b: Block, index: number, usedIds: Set<string>): BlockVM {
  switch (b.type) {
    case 'paragraph':
      return { type: 'paragraph', html: raw(b.html) };
    case 'crosshead':
      return { type: 'crosshead', text: b.text, id: anchorId(b.text, index, usedIds) };
    case 'quote':
      return { type: 'quote', text: b.text, ...(b.attribution ? { attribution: b.attribution } : {}) };
    case 'list':
      return { type: 'list', ordered: b.style === 'numbered', items: b.items.map(raw) };
    case 'image': {
      const { type: _t, ...img } = b;
      return { type: 'image', image: image(img) };
    }
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
