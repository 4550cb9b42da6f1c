/**
 * Cleans HTML pasted from Word or Google Docs before the editor's schema
 * reads it (ProseMirror's `transformPastedHTML`). Structure survives —
 * headings, lists (Word's list paragraphs become real lists), bold,
 * italic, links — and the junk goes: Office `mso-` styles and `<o:p>`,
 * Word's fallback markup (list bullets, comment anchors, VML images),
 * comments, spans, fonts, colours, classes, Google's `docs-internal-guid`
 * wrapper, images (they must be uploaded) and empty paragraphs.
 *
 * Every attribute except a link's `href` is removed here, so no `style`
 * attribute ever reaches the page (the CSP refuses them).
 */

const DROP = new Set([
  'style',
  'script',
  'meta',
  'link',
  'title',
  'xml',
  'template',
  'noscript',
  'img',
  'picture',
  'svg',
  'video',
  'audio',
  'object',
  'embed',
  'iframe',
  'canvas',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'hr',
]);
const KEEP = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'a',
  'b',
  'strong',
  'i',
  'em',
  'code',
  'sub',
  'sup',
  'br',
]);
const LINK_RE = /^(https?:|mailto:)/i;

const STYLE_ATTR = 'data-pasted-style';

/**
 * The pasted HTML with nothing the CSP would report while it is parsed:
 * even an unseen document made by DOMParser applies the page's CSP, so
 * `style` attributes are renamed (their bold, italic and list information
 * is still read) and `<style>`, `<script>` and `on…` handlers removed.
 * Only tags are rewritten; text is left alone.
 */
function neutralize(html: string): string {
  const attr = /(\s)(style|on[a-z]+)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/gi;
  return html
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[a-z][^\s/>]*(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*\/?>/gi, (tag) =>
      tag.replace(attr, (_whole, space: string, name: string, value = '') =>
        name.toLowerCase() === 'style' ? `${space}${STYLE_ATTR}${value}` : '',
      ),
    );
}

/** One declaration of an element's inline style, read from the attribute (Word's `mso-` ones are not CSS). */
function styleOf(el: Element, property: string): string | undefined {
  const style = el.getAttribute(STYLE_ATTR) ?? '';
  const m = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`, 'i').exec(style);
  return m?.[1]?.trim().toLowerCase();
}

function unwrap(el: Element): void {
  el.replaceWith(...Array.from(el.childNodes));
}

function rename(el: Element, tag: string): Element {
  const next = el.ownerDocument.createElement(tag);
  next.append(...Array.from(el.childNodes));
  el.replaceWith(next);
  return next;
}

function comments(root: Node): Comment[] {
  const walker = root.ownerDocument?.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const found: Comment[] = [];
  while (walker?.nextNode()) found.push(walker.currentNode as Comment);
  return found;
}

/**
 * Word writes a plain-HTML fallback between `<![if !supportLists]>` and
 * `<![endif]>` (list bullets, comment anchors, VML images as `<img>`);
 * the HTML parser keeps both markers as comments. Returns the list
 * marker text of each removed `supportLists` run, by the element it sat in.
 */
function dropWordFallbacks(root: HTMLElement): Map<Element, string> {
  const markers = new Map<Element, string>();
  for (const start of comments(root)) {
    if (!/^\[if !(support|vml)/i.test(start.data.trim())) continue;
    let text = '';
    let node = start.nextSibling;
    while (node && !(node.nodeType === Node.COMMENT_NODE && /endif/i.test((node as Comment).data))) {
      const next: ChildNode | null = node.nextSibling;
      text += node.textContent ?? '';
      node.remove();
      node = next;
    }
    const paragraph = start.parentElement?.closest('p');
    if (/supportLists/i.test(start.data) && paragraph) markers.set(paragraph, text.replace(/[\s\u00a0]+/g, ''));
  }
  for (const c of comments(root)) c.remove();
  return markers;
}

/** Word list paragraphs (`mso-list:l0 level1 lfo1`) → `<ul>`/`<ol>`, one list per run of the same Word list. */
function buildWordLists(root: HTMLElement, markers: Map<Element, string>): void {
  // Word sometimes keeps the bullet in a `mso-list:Ignore` span instead of a supportLists run.
  for (const span of Array.from(root.querySelectorAll('span'))) {
    if (styleOf(span, 'mso-list') !== 'ignore') continue;
    const p = span.closest('p');
    if (p && !markers.has(p)) markers.set(p, (span.textContent ?? '').replace(/[\s\u00a0]+/g, ''));
    span.remove();
  }
  let list: Element | undefined;
  let listId: string | undefined;
  for (const p of Array.from(root.querySelectorAll('p'))) {
    const mso = /^(l\d+)\s+level\d+/.exec(styleOf(p, 'mso-list') ?? '');
    if (!mso) {
      list = undefined;
      continue;
    }
    const previous = p.previousElementSibling;
    if (!list || listId !== mso[1] || previous !== list) {
      const ordered = /^(\d+|[a-z]|[ivxlcdm]+)[.)]$/i.test(markers.get(p) ?? '');
      list = p.ownerDocument.createElement(ordered ? 'ol' : 'ul');
      listId = mso[1];
      p.before(list);
    }
    const li = p.ownerDocument.createElement('li');
    li.append(...Array.from(p.childNodes));
    list.append(li);
    p.remove();
  }
}

/** Bold, italic, superscript and subscript given by style (Google Docs' spans) → tags. */
function styleToTags(el: Element): void {
  if (/^h[1-6]$/i.test(el.tagName)) return;
  const weight = styleOf(el, 'font-weight');
  const wraps: string[] = [];
  if (weight && /^(bold(er)?|[6-9]00)$/.test(weight) && !/^(b|strong)$/i.test(el.tagName)) wraps.push('strong');
  if (styleOf(el, 'font-style') === 'italic' && !/^(i|em)$/i.test(el.tagName)) wraps.push('em');
  const align = styleOf(el, 'vertical-align');
  if (align === 'super') wraps.push('sup');
  if (align === 'sub') wraps.push('sub');
  for (const tag of wraps) {
    const wrapper = el.ownerDocument.createElement(tag);
    wrapper.append(...Array.from(el.childNodes));
    el.append(wrapper);
  }
}

/** Blocks inside an element whose content is inline (a list item, a quote) → their text, line by line. */
function inlineBlocks(el: Element): void {
  const blocks = Array.from(el.querySelectorAll('p, div, h1, h2, h3, h4, h5, h6'));
  blocks.forEach((block, k) => {
    if (k > 0 && block.previousSibling) block.before(el.ownerDocument.createElement('br'));
    unwrap(block);
  });
}

/** Nested lists (Google Docs puts them inside the outer `<ul>`, HTML inside an `<li>`) → items of the outer list. */
function flattenLists(root: HTMLElement): void {
  for (const inner of Array.from(root.querySelectorAll('li ul, li ol, ul ul, ul ol, ol ul, ol ol')).reverse()) {
    const item = inner.parentElement?.closest('li');
    const items = Array.from(inner.children).filter((c) => c.tagName === 'LI');
    if (item && item.parentElement === inner.parentElement?.closest('ul, ol')) item.after(...items);
    else inner.after(...items);
    inner.remove();
  }
}

function isEmpty(el: Element): boolean {
  return (el.textContent ?? '').replace(/[\s\u00a0]/g, '') === '';
}

function cleanElement(el: Element): void {
  const tag = el.tagName.toLowerCase();
  if (DROP.has(tag) || tag.includes(':') || /^(msocom|msocomanchor)/i.test(el.className)) {
    // `<o:p>`, `<v:shape>`, `<w:sdt>`: Office's own elements. Keep `<o:p>`'s text (it holds only spaces anyway).
    if (tag === 'o:p') el.remove();
    else if (tag.includes(':') && tag !== 'v:imagedata') unwrap(el);
    else el.remove();
    return;
  }
  // Word's comment list and the mark each comment leaves in the text.
  const special = `${styleOf(el, 'mso-element') ?? ''} ${styleOf(el, 'mso-special-character') ?? ''}`;
  if (/\b(comment-list|comment)\b/.test(special)) {
    el.remove();
    return;
  }
  if (/^docs-internal-guid/.test(el.id)) {
    unwrap(el);
    return;
  }
  // `<b style="font-weight:normal">` is how Google Docs says "not bold".
  if (/^(b|strong)$/.test(tag) && /^(normal|[1-4]00)$/.test(styleOf(el, 'font-weight') ?? '')) {
    unwrap(el);
    return;
  }
  styleToTags(el);
  // Word's paragraph styles: Title and Subtitle read as crossheads, Quote as a quote.
  if (/^(MsoTitle|MsoSubtitle)/.test(el.className)) el = rename(el, 'h2');
  else if (/^(MsoQuote|MsoIntenseQuote)/.test(el.className)) el = rename(el, 'blockquote');
  if (tag === 'a') {
    const href = el.getAttribute('href')?.trim() ?? '';
    if (!LINK_RE.test(href)) unwrap(el);
    else for (const attr of Array.from(el.attributes)) if (attr.name !== 'href') el.removeAttribute(attr.name);
    return;
  }
  if (tag === 'div' || tag === 'section' || tag === 'article' || tag === 'tr') {
    el = rename(el, 'p');
  } else if (tag === 'td' || tag === 'th') {
    el.append(' ');
    unwrap(el);
    return;
  } else if (!KEEP.has(tag)) {
    unwrap(el);
    return;
  }
  for (const attr of Array.from(el.attributes)) el.removeAttribute(attr.name);
}

/**
 * The cleaned HTML. Paste from the editor itself (`data-pm-slice`) is left
 * alone: it is already in the editor's own form.
 *
 * @example
 *   cleanPastedHtml('<p class=MsoNormal><span style="color:red">Hi<o:p></o:p></span></p>'); // '<p>Hi</p>'
 */
export function cleanPastedHtml(html: string): string {
  if (/data-pm-slice/.test(html)) return html;
  const doc = new DOMParser().parseFromString(neutralize(html), 'text/html');
  const body = doc.body;
  const markers = dropWordFallbacks(body);
  buildWordLists(body, markers);
  // Deepest first, so an element is cleaned after everything inside it.
  for (const el of Array.from(body.querySelectorAll('*')).reverse()) cleanElement(el);
  flattenLists(body);
  for (const el of Array.from(body.querySelectorAll('li, blockquote'))) inlineBlocks(el);
  for (const p of Array.from(body.querySelectorAll('p, h1, h2, h3, h4, h5, h6'))) if (isEmpty(p)) p.remove();
  // Line breaks between blocks (Google Docs puts one after each list) are not content.
  for (const br of Array.from(body.querySelectorAll('br'))) if (br.parentElement === body) br.remove();
  for (const text of Array.from(body.childNodes)) {
    if (text.nodeType === Node.TEXT_NODE && (text.textContent ?? '').trim() === '') text.remove();
  }
  return body.innerHTML;
}
