/**
 * Boilerplate lines Readability lets through inside the article's container:
 * "Read more: …" and "Related: …" links, links to the site's other stories,
 * share and follow prompts, "Advertisement" labels, newsletter pitches, lone
 * dates and reading times, widget labels ("You may also like") and a repeat
 * of the headline. Removed by their shape (short, mostly a link, a known
 * opening, the whole line), not by site.
 *
 * @example
 *   dropBoilerplate(blocks, { headline: 'Bridge closes' }, 'https://news.example/bridge');
 */
import type { Block } from '../articles/article.js';
import { stripTags } from '../articles/article.js';
import { LIST_HEADING } from './clutter.js';
import { cleanText } from './dom.js';
import type { PageMetadata } from './metadata.js';

const BOILERPLATE =
  /^(read more|read also|also read|related|see also|more:|more on this|watch:|listen:|advertisement|advertising|sponsored|share this|share on|follow us|follow (him|her|them) on|sign up|subscribe|download (our|the) app|photo:|image:|getty images|reuters\/|ap photo)/i;
/** A reading-time note ("5 min read", "Tempo de leitura: 1 minuto"), in the languages we import most. */
const READING_TIME =
  /^(\d+\s*min(ute)?s?\s+read|((estimated\s+)?reading time|tempo de leitura|tiempo de lectura|temps de lecture|lesezeit|tempo di lettura)\s*:?\s*(about\s+|~)?\d+\s*(mins?|minutes?|minutos?|minuti|minuten)\.?)$/i;
/** A newsletter pitch set as a heading: "Click here to subscribe to The Gazette Newsletter". */
const PITCH = /^((click|tap) here to )?(subscribe|sign up)\b/i;
/** A heading that labels a link to another story: "Related post: Pickled sprouts", "See also: …". */
const LABEL_LINK = /^(related( posts?| stories| articles)?|read more|read also|also read|see also)\s*:/i;
/** Inline HTML that is one link and nothing else. */
const LINK_ONLY = /^<a [^>]*>[^<]*<\/a>$/;

/**
 * Blocks without the boilerplate lines.
 *
 * @example
 *   dropBoilerplate([{ type: 'paragraph', html: 'Read more: <a href="/x">Other story</a>' }], {}, 'https://news.example/a'); // []
 */
export function dropBoilerplate(blocks: Block[], meta: Pick<PageMetadata, 'headline'>, pageUrl: string): Block[] {
  const headline = normal(meta.headline ?? '');
  const linkLists = headedLinkLists(blocks);
  return blocks.filter((b, i) => {
    if (linkLists.has(i)) return false;
    if (b.type === 'crosshead')
      return !(
        (i < 3 && headline && normal(b.text) === headline) ||
        isWidgetLabel(b.text) ||
        LABEL_LINK.test(b.text) ||
        PITCH.test(b.text)
      );
    // A byline's list of date items ("<li>19.11.2019, 08:57</li>") is furniture as much as a lone date line.
    if (b.type === 'list') return !b.items.every((item) => isLoneDate(cleanText(stripTags(item))));
    if (b.type !== 'paragraph') return true;
    const text = cleanText(stripTags(b.html));
    if (i < 3 && headline && normal(text) === headline) return false;
    // Page furniture: "Updated 11:21 pm CST, Tuesday…", "Posted Nov 18".
    if (text.length < 100 && /^(updated|posted|published|last updated|last modified)\b/i.test(text) && /\d/.test(text))
      return false;
    if ((text.length < 200 && (BOILERPLATE.test(text) || PITCH.test(text))) || isWidgetLabel(text)) return false;
    if (READING_TIME.test(text)) return false;
    // A date or time on its own line is the page's dateline furniture, not a sentence of the story.
    if (isLoneDate(text)) return false;
    // A short line that is only a link to the same site points to its other stories ("Kerry's visit to Kiev");
    // one to another site is what the story names (a product, a report, a source) and stays.
    const html = b.html.trim();
    if (text.length >= 100 || !LINK_ONLY.test(html)) return true;
    const href = /^<a [^>]*href="([^"]*)"/.exec(html)?.[1];
    return href !== undefined && !sameSite(href.replace(/&amp;/g, '&'), pageUrl);
  });
}

/**
 * Where a heading such as "Related coverage from Money:" or "Read more" is
 * followed by a list whose every item is one link: the indices of both.
 * Clutter removal only takes out the box such a heading sits in; a heading and
 * its list side by side inside the article's container are dropped here, once
 * Readability has chosen the container (removing them before can change its choice).
 */
function headedLinkLists(blocks: Block[]): Set<number> {
  const out = new Set<number>();
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    const heading = b.type === 'crosshead' ? b.text : b.type === 'paragraph' ? cleanText(stripTags(b.html)) : '';
    if (heading.length === 0 || heading.length > 80 || !LIST_HEADING.test(heading) || next?.type !== 'list') return;
    if (next.items.every((item) => LINK_ONLY.test(item.trim()))) out.add(i).add(i + 1);
  });
  return out;
}

/** Whether an address is on the page's own site: the same host, or one sharing its registrable domain (`shop.news.example`). */
function sameSite(href: string, pageUrl: string): boolean {
  try {
    return siteOf(new URL(href, pageUrl).hostname) === siteOf(new URL(pageUrl).hostname);
  } catch {
    return true;
  }
}

/** The registrable domain, roughly: the last two labels, three under a country code's `co.`/`com.` (`bbc.co.uk`). */
function siteOf(hostname: string): string {
  const labels = hostname.toLowerCase().split('.');
  const three =
    labels.length > 2 && labels.at(-1)?.length === 2 && /^(co|com|org|net|gov|ac)$/.test(labels.at(-2) ?? '');
  return labels.slice(three ? -3 : -2).join('.');
}

/**
 * A widget's label left behind when its links went: the whole line is "You may
 * also like…", "RECENT ARTICLES", "Popular this week" or "Comments", nothing more
 * ("Popular demand grows" is a crosshead and stays).
 */
function isWidgetLabel(text: string): boolean {
  if (/^(\d+ )?comments?$/i.test(text)) return true;
  const label = LIST_HEADING.exec(text);
  return (
    label !== null &&
    /^\s*(posts?|links|articles|stories|this week|today|now)?[\s:.…!]*$/i.test(text.slice(label[0].length))
  );
}

function isLoneDate(text: string): boolean {
  return text.length < 40 && /^[\d\s.,:/|-]+(am|pm|[A-Z]{2,4})?$/i.test(text) && /\d/.test(text);
}

function normal(text: string): string {
  return cleanText(text).toLowerCase();
}
