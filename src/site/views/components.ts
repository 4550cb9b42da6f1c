/**
 * Small view pieces shared by every page: times, images and figures, cards,
 * card modules ("Latest news", "Related news") and pagination.
 * Everything returns `SafeHtml` built with `html`, so data is always escaped.
 */
import { type HtmlValue, html, type SafeHtml } from '../../lib/html.js';
import { attr, safeUrl } from '../../web/views/components.js';
import type { CardVM, ImageVM, LinkVM, PaginationVM, TimeVM } from '../view-model.js';

/**
 * A machine-readable time.
 *
 * @example
 *   renderTime({ iso: '2014-04-10T09:00:00Z', text: '10 April 2014' });
 *   // '<time datetime="2014-04-10T09:00:00Z">10 April 2014</time>'
 */
export function renderTime(time: TimeVM): SafeHtml {
  return html`<time datetime="${time.iso}">${time.text}</time>`;
}

/**
 * How wide an image is shown in each place (`sizes`), so that the browser
 * picks the smallest file that is sharp there: the article column
 * (`--measure`: 65ch, about 35rem in the serif), the home page's top story
 * (three fifths of the page from 50rem), and cards (one, two or three
 * columns of the card grid). Measured in Chromium at 390 and 1280 pixels.
 */
export const SIZES = {
  column: '(min-width: 40rem) 36rem, calc(100vw - 2rem)',
  topStory: '(min-width: 72rem) 40rem, (min-width: 50rem) 58vw, calc(100vw - 2rem)',
  card: '(min-width: 72rem) 22rem, (min-width: 54rem) 31vw, (min-width: 35rem) 47vw, calc(100vw - 2rem)',
} as const;

/** Options for images: the lead image loads eagerly, every other one lazily; `sizes` by place (the column by default). */
export interface ImageOptions {
  lead?: boolean;
  sizes?: string;
}

/**
 * An image: for an uploaded one, a `<picture>` with AVIF and WebP `<source>`s
 * and a JPEG/PNG `<img srcset>`; for any other, a plain `<img>`. Width and
 * height when known (no layout shift); decoded off the main thread; lazy
 * unless it is the lead image, which is fetched first instead.
 *
 * @example
 *   renderImage({ src: '/media/a.jpg', alt: 'Kyiv', width: 800, height: 450 });
 *   renderImage(uploaded, { lead: true, sizes: SIZES.column });
 *   // '<picture><source type="image/avif" srcset="…" sizes="…">…<img src="…" srcset="…" …></picture>'
 */
export function renderImage(image: ImageVM, options: ImageOptions = {}): SafeHtml {
  const loading = options.lead ? html` decoding="async" fetchpriority="high"` : html` loading="lazy" decoding="async"`;
  const size = html`${attr('width', image.width)}${attr('height', image.height)}`;
  const responsive = image.responsive;
  if (!responsive) return html`<img src="${safeUrl(image.src)}" alt="${image.alt}"${size}${loading}>`;
  const sizes = options.sizes ?? SIZES.column;
  const sources = responsive.sources.map(
    (source) => html`<source type="${source.type}" srcset="${source.srcset}" sizes="${sizes}">`,
  );
  return html`<picture>${sources}<img src="${safeUrl(image.src)}" srcset="${responsive.srcset}" sizes="${sizes}" alt="${image.alt}"${size}${loading}></picture>`;
}

/**
 * A `<figure>` with the image and, when there is a caption or credit, a `<figcaption>`
 * (credit in `<span class="credit">`).
 *
 * @example
 *   renderFigure({ src: '/a.jpg', alt: '', caption: 'Talks in Geneva', credit: 'Wikimedia' }, { lead: true });
 */
export function renderFigure(image: ImageVM, options: ImageOptions & { className?: string } = {}): SafeHtml {
  const credit = image.credit ? html`<span class="credit">${image.credit}</span>` : '';
  const separator = image.caption && image.credit ? ' ' : '';
  const caption =
    image.caption || image.credit ? html`<figcaption>${image.caption}${separator}${credit}</figcaption>` : '';
  return html`<figure class="${options.className ?? 'figure'}">${renderImage(image, options)}${caption}</figure>`;
}

/** Heading levels cards and modules may use. */
export type HeadingLevel = 2 | 3;

/**
 * A heading of the given level; `id` is optional.
 *
 * @example
 *   heading(2, 'Latest news', 'latest-news-heading'); // '<h2 id="latest-news-heading">Latest news</h2>'
 */
export function heading(level: HeadingLevel, content: HtmlValue, id?: string, className?: string): SafeHtml {
  return html`<h${level}${attr('id', id)}${attr('class', className)}>${content}</h${level}>`;
}

/**
 * One article card for lists: headline link, standfirst, section and time, optional thumbnail.
 * Rendered as an `<li>`; use inside `renderCardList`.
 *
 * @example
 *   renderCard(card, 3);
 */
export function renderCard(card: CardVM, level: HeadingLevel): SafeHtml {
  const title = heading(level, html`<a href="${safeUrl(card.href)}">${card.headline}</a>`, undefined, 'card-title');
  const standfirst = card.standfirst ? html`<p class="card-standfirst">${card.standfirst}</p>` : '';
  const image = card.image ? html`<div class="card-image">${renderImage(card.image, { sizes: SIZES.card })}</div>` : '';
  // dir=auto: a headline in Arabic or Hebrew among others runs right to left by its own first letters.
  return html`<li class="card" dir="auto">${title}${standfirst}<p class="card-meta"><a href="${safeUrl(card.section.href)}">${card.section.label}</a> <span aria-hidden="true">·</span> ${renderTime(card.published)}</p>${image}</li>`;
}

/**
 * A `<ul class="cards">` (or, `ordered`, an `<ol>`) of cards whose headlines use the given heading level.
 *
 * @example
 *   renderCardList(cards, 2);
 */
export function renderCardList(cards: CardVM[], level: HeadingLevel, ordered = false): SafeHtml {
  const items = cards.map((card) => html`${renderCard(card, level)}\n`);
  return ordered ? html`<ol class="cards">\n${items}</ol>` : html`<ul class="cards">\n${items}</ul>`;
}

/** A titled list of cards, e.g. "Latest news" or "Related news". */
export interface CardModule {
  /** Id of the module's h2; must be unique on the page. */
  id: string;
  title: string;
  cards: CardVM[];
  className?: string;
  /** An `<ol>` when the order itself means something (a story's articles in time order). */
  ordered?: boolean;
}

/**
 * A `<section aria-labelledby>` with an h2 and its cards (h3), or nothing when there are no cards.
 *
 * @example
 *   renderCardModule({ id: 'latest-news-heading', title: 'Latest news', cards });
 */
export function renderCardModule(module: CardModule): SafeHtml | '' {
  if (module.cards.length === 0) return '';
  return html`<section class="${module.className ?? 'module'}" aria-labelledby="${module.id}">
${heading(2, module.title, module.id, 'module-title')}
${renderCardList(module.cards, 3, module.ordered)}
</section>`;
}

/**
 * Pagination links with rel=prev/next, or nothing when there is only one page.
 *
 * @example
 *   renderPagination({ page: 2, prev: '/world', next: '/world?page=3' });
 */
export function renderPagination(pagination: PaginationVM): SafeHtml | '' {
  const { page, prev, next } = pagination;
  if (!prev && !next) return '';
  const prevLink = prev
    ? html`<li><a href="${safeUrl(prev)}" rel="prev"><span aria-hidden="true">←</span> Previous page</a></li>`
    : '';
  const nextLink = next
    ? html`<li><a href="${safeUrl(next)}" rel="next">Next page <span aria-hidden="true">→</span></a></li>`
    : '';
  return html`<nav class="pagination" aria-label="Pagination">
<ul>${prevLink}<li class="pagination-current">Page ${page}</li>${nextLink}</ul>
</nav>`;
}

/**
 * A list's feeds as plain links ("Follow: RSS · Atom · JSON Feed"), or nothing.
 *
 * @example
 *   renderFeedLinks([{ href: '/world/feed.xml', label: 'RSS' }]);
 */
export function renderFeedLinks(feeds: LinkVM[] | undefined, subject: string): SafeHtml | '' {
  if (!feeds?.length) return '';
  const links = feeds.map(
    (f, i) => html`${i ? html` <span aria-hidden="true">·</span> ` : ''}<a href="${safeUrl(f.href)}">${f.label}</a>`,
  );
  return html`<p class="feed-links">Follow ${subject}: ${links}</p>`;
}
