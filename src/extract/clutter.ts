/**
 * Page clutter Readability keeps: widgets and link lists that sit beside or
 * inside the article (weather, tickers, "Latest news", "Related", "Read more",
 * share bars, newsletter boxes, cookie notices). Removed from the document
 * before Readability scores it, by general signals — class/id words, the
 * heading a link list carries, how much of the element is links — never by a
 * site's own markup. Anything holding a large share of the page's prose is
 * left alone, so a wrongly named article wrapper survives.
 */
import { cleanText, type DomElement } from './dom.js';

/** Class or id words of widgets that are never the article. */
const CLUTTER_NAME =
  /(^|[\s_-])(share|sharing|social|sociallinks|newsletter|subscribe|subscription|signup|cookie|cookies|consent|gdpr|related|recommended|recommendations|more-stories|latest|trending|popular|most-read|mostread|ticker|weather|breadcrumbs?|promo|advert|advertisement|ads?|ad-slot|outbrain|taboola|comments?|disqus|paywall|byline-share|tags|author-bio|newsletter-signup)($|[\s_-])/i;
/** Headings of link lists that point elsewhere. */
export const LIST_HEADING =
  /^(latest( news| stories)?|recent( news| stories| articles| posts)?|related( news| stories| articles| content| coverage)?|read more|more from|more on|more stories|more news|you may also like|you might also like|recommended|most (read|popular|viewed|shared)|trending|top stories|popular|see also|also read|further reading|around the web|sponsored|share this( article| story)?|follow us)\b/i;
const NOTICE_TEXT =
  /(we use cookies|uses cookies|cookie policy|sign up for (our|the)|subscribe to (our|the)|newsletter|get the latest .* in your inbox)/i;

/**
 * Removes clutter from a parsed page in place. Returns how many elements went.
 *
 * @example
 *   const { document } = parseHTML(html);
 *   removeClutter(document.body); // weather box, share bar and "Related news" gone
 */
export function removeClutter(body: DomElement): number {
  const prose = proseLength(body);
  let removed = 0;
  const remove = (el: DomElement) => {
    if (el.parentElement && proseLength(el) < prose * 0.3) {
      el.remove();
      removed++;
    }
  };
  for (const el of Array.from(body.querySelectorAll('[class], [id]'))) {
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (CLUTTER_NAME.test(name) && !/(^|\s)(article|story|post|entry)[-_]?(body|content|text)/i.test(name)) remove(el);
  }
  // Captions outside <figcaption> become loose paragraphs in Readability's output; a caption is never story text.
  // Any case: class names are often camel-cased ("imageEmbedCaption").
  for (const el of Array.from(body.querySelectorAll('[class*="caption" i], [class*="credit" i]'))) {
    if (el.localName !== 'figcaption' && el.localName !== 'figure' && cleanText(el.textContent ?? '').length < 300)
      remove(el);
  }
  for (const el of Array.from(body.querySelectorAll('[hidden], [aria-hidden="true"], [role="dialog"], [role="alert"]')))
    remove(el);
  for (const heading of Array.from(body.querySelectorAll('h1, h2, h3, h4, h5, h6, strong, b, span, p, div'))) {
    if (!heading.parentElement || heading.children.length > 2) continue;
    const text = cleanText(heading.textContent ?? '');
    if (text.length > 40 || !LIST_HEADING.test(text)) continue;
    const box = linkListAround(heading);
    if (box) remove(box);
  }
  for (const el of Array.from(body.querySelectorAll('div, section, aside, p'))) {
    const text = cleanText(el.textContent ?? '');
    if (text.length < 300 && NOTICE_TEXT.test(text) && (el.querySelector('form, button, input') || text.length < 150))
      remove(el);
  }
  return removed;
}

/** The list of links a heading introduces: its next sibling, or the smallest ancestor that is mostly links. */
function linkListAround(heading: DomElement): DomElement | undefined {
  let box: DomElement | null = heading;
  for (let depth = 0; box && depth < 4; depth++, box = box.parentElement) {
    if (box.localName === 'body' || box.localName === 'article' || box.localName === 'main') return undefined;
    if (box !== heading && linkDensity(box) > 0.5 && box.querySelectorAll('a').length >= 2) return box;
  }
  return undefined;
}

/** The share of an element's text that is link text. */
export function linkDensity(el: DomElement): number {
  const text = cleanText(el.textContent ?? '').length;
  if (text === 0) return 0;
  let links = 0;
  for (const a of Array.from(el.querySelectorAll('a'))) links += cleanText(a.textContent ?? '').length;
  return links / text;
}

function proseLength(el: DomElement): number {
  let n = 0;
  for (const p of Array.from(el.querySelectorAll('p'))) n += cleanText(p.textContent ?? '').length;
  return n;
}
