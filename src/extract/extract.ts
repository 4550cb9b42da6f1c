/**
 * Extracting the article from a page's HTML: metadata first (Readability
 * changes the document), then clutter removal, then Mozilla Readability on
 * linkedom for the main content, then Dateline blocks, cleaned of the
 * boilerplate lines Readability lets through. Pure: HTML and URL in, an
 * `ExtractedArticle` out, or undefined when the page holds no article.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Block, Image } from '../articles/article.js';
import { bodyText, stripTags } from '../articles/article.js';
import { removeClutter } from './clutter.js';
import type { DomElement } from './dom.js';
import { htmlToBlocks } from './html-to-blocks.js';
import { type PageMetadata, readMetadata } from './metadata.js';
import { dropBoilerplate } from './tidy.js';

export interface ExtractedArticle extends Omit<PageMetadata, 'headline'> {
  headline: string;
  body: Block[];
}

/** Fewer letters than this is a teaser, an index page or an error page, not an article (letters, not words: Japanese has no spaces). */
export const MIN_ARTICLE_LETTERS = 200;

/**
 * The article on a page, or undefined when there is none (an index page, a
 * login wall, an error page).
 *
 * @example
 *   const a = extractArticle(html, 'https://news.example/world/kerry-lavrov');
 *   a?.headline; // 'US And Russia Urge Peaceful Solution To Ukraine Crisis'
 *   a?.body[0]; // { type: 'paragraph', html: 'The government in Kiev…' }
 */
export function extractArticle(html: string, url: string): ExtractedArticle | undefined {
  // linkedom needs an <html> element; a fragment or an empty answer gets one.
  const { document } = parseHTML(/<html[\s>]/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`);
  const doc = document as unknown as { body: DomElement | null; documentElement: DomElement } & Parameters<
    typeof readMetadata
  >[0];
  if (!doc.body) return undefined;
  const meta = readMetadata(doc, url);
  removeClutter(doc.body);
  // Readability strips classes; social posts are recognised by theirs (html-to-blocks makes them embeds).
  const parsed = new Readability(document as never, { charThreshold: 400, classesToPreserve: SOCIAL_CLASSES }).parse();
  if (!parsed?.content) return undefined;
  let body = dropBoilerplate(htmlToBlocks(parsed.content, url), meta, url);
  if (letterCount(bodyText(body)) < MIN_ARTICLE_LETTERS || linkedShare(body) > 0.5) return undefined;
  const lead = leadImage(body, meta.leadImage);
  if (lead.fromBody) body = body.slice(1);
  const headline = meta.headline ?? parsed.title ?? '';
  if (!headline) return undefined;
  const authors = meta.authors.length > 0 ? meta.authors : parsed.byline ? [parsed.byline] : [];
  return {
    ...meta,
    headline,
    body,
    authors,
    ...(lead.image ? { leadImage: lead.image } : {}),
    ...(meta.siteName || parsed.siteName ? { siteName: meta.siteName ?? (parsed.siteName as string) } : {}),
    ...(meta.language || parsed.lang ? { language: meta.language ?? (parsed.lang as string).split('-')[0] } : {}),
  };
}

/**
 * The text Readability alone would give, one line per block element: the
 * benchmark's reference, measured beside ours.
 */
export function plainReadabilityText(html: string): string {
  const { document } = parseHTML(html);
  const parsed = new Readability(document as never).parse();
  if (!parsed?.content) return '';
  return parsed.content
    .replace(
      /<\/?(p|div|section|article|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|tr|td|th|pre|br|hr)\b[^>]*>/gi,
      '\n',
    )
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

/**
 * The article's text as the benchmark scores it: body blocks without image
 * captions or embed titles (which its ground truth leaves out).
 */
export function articleText(body: Block[]): string {
  // A social post's words are part of the story (the benchmark counts them); a video's title is not.
  const text = body.filter((b) => b.type !== 'image' && (b.type !== 'embed' || SOCIAL.test(b.provider ?? '')));
  // A line break inside a paragraph separates words as much as a paragraph break does.
  return bodyText(text.map((b) => (b.type === 'paragraph' ? { ...b, html: b.html.replace(/<br\s*\/?>/g, '\n') } : b)));
}

const SOCIAL_CLASSES = ['twitter-tweet', 'instagram-media', 'tiktok-embed', 'bluesky-embed'];
const SOCIAL = /^(twitter\.com|x\.com|instagram\.com|tiktok\.com|bsky\.app|facebook\.com)$/;

/** The share of the body's letters that are link text: an index page is mostly links, an article hardly. */
function linkedShare(body: Block[]): number {
  const inline = body.flatMap((b) => (b.type === 'paragraph' ? [b.html] : b.type === 'list' ? b.items : []));
  const all = letterCount(inline.map(stripTags).join(' '));
  const linked = letterCount(
    inline
      .flatMap((h) => h.match(/<a [^>]*>.*?<\/a>/g) ?? [])
      .map(stripTags)
      .join(' '),
  );
  return all > 0 ? linked / all : 0;
}

function letterCount(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

/** A first-block image is the lead image (taken out of the body); else the page's og:image. */
function leadImage(body: Block[], fromMeta: Image | undefined): { image?: Image; fromBody: boolean } {
  const first = body[0];
  if (first?.type === 'image') {
    const { type: _, ...image } = first;
    return { image: { ...image, alt: image.alt || fromMeta?.alt || '' }, fromBody: true };
  }
  return { ...(fromMeta ? { image: fromMeta } : {}), fromBody: false };
}
