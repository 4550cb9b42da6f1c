/**
 * Boilerplate lines Readability lets through inside the article's container:
 * "Read more: …" and "Related: …" links, share and follow prompts,
 * "Advertisement" labels, newsletter pitches, and a repeat of the headline.
 * Removed by their shape (short, mostly a link, a known opening), not by site.
 */
import type { Block } from '../articles/article.js';
import { stripTags } from '../articles/article.js';
import { cleanText } from './dom.js';
import type { PageMetadata } from './metadata.js';

const BOILERPLATE =
  /^(read more|read also|also read|related|see also|more:|more on this|watch:|listen:|advertisement|advertising|sponsored|share this|share on|follow us|follow (him|her|them) on|sign up|subscribe|download (our|the) app|photo:|image:|getty images|reuters\/|ap photo)/i;

/**
 * Blocks without the boilerplate lines.
 *
 * @example
 *   dropBoilerplate([{ type: 'paragraph', html: 'Read more: <a href="/x">Other story</a>' }], { authors: [] }); // []
 */
export function dropBoilerplate(blocks: Block[], meta: Pick<PageMetadata, 'headline'>): Block[] {
  const headline = normal(meta.headline ?? '');
  return blocks.filter((b, i) => {
    if (b.type === 'crosshead') return !(i < 2 && headline && normal(b.text) === headline);
    if (b.type !== 'paragraph') return true;
    const text = cleanText(stripTags(b.html));
    if (text.length < 200 && BOILERPLATE.test(text)) return false;
    // A date or time on its own line is the page's dateline furniture, not a sentence of the story.
    if (text.length < 40 && /^[\d\s.,:/|-]+(am|pm|[A-Z]{2,4})?$/i.test(text)) return false;
    // A short line that is only a link points elsewhere ("Kerry's visit to Kiev").
    return !(text.length < 100 && /^<a [^>]*>[^<]*<\/a>$/.test(b.html.trim()));
  });
}

function normal(text: string): string {
  return cleanText(text).toLowerCase();
}
