/**
 * The article page: the anatomy of the reference page (headline, standfirst,
 * lead image, body blocks) plus byline, times, tags, source and the
 * "More on this story", "Latest news" and "Related news" modules.
 */
import { html, type SafeHtml } from '../../lib/html.js';
import { textDirection } from '../../lib/language.js';
import { attr, safeUrl } from '../../web/views/components.js';
import { renderLayout } from '../../web/views/layout.js';
import type {
  ArticleModulesHtml,
  ArticlePageVM,
  ArticleVM,
  BlockVM,
  CardVM,
  LinkVM,
  NoteVM,
  ShareVM,
  SourceVM,
} from '../view-model.js';
import { renderCardModule, renderFigure, renderTime } from './components.js';

function link(item: LinkVM, rel?: string): SafeHtml {
  return html`<a href="${safeUrl(item.href)}"${attr('rel', rel)}>${item.label}</a>`;
}

/** "By A", "By A and B", "By A, B and C"; nothing without authors. */
function renderByline(authors: LinkVM[]): SafeHtml | '' {
  if (authors.length === 0) return '';
  const parts = authors.map((author, i) => {
    const separator = i === 0 ? '' : i === authors.length - 1 ? ' and ' : ', ';
    return html`${separator}${link(author, 'author')}`;
  });
  return html`<p class="byline">By ${parts}</p>`;
}

function renderMeta(article: ArticleVM): SafeHtml {
  const place = article.datelinePlace ? html`<span class="dateline">${article.datelinePlace}</span> ` : '';
  const updated = article.updated ? html` <span class="updated">Updated ${renderTime(article.updated)}</span>` : '';
  return html`<div class="article-meta">
${renderByline(article.authors)}
<p class="published">${place}${renderTime(article.published)}${updated}</p>
</div>`;
}

/** Body blocks, for articles and the site's own pages. */
export function renderBlocks(blocks: BlockVM[]): SafeHtml {
  return html`${blocks.map((block) => html`${renderBlock(block)}\n`)}`;
}

function renderBlock(block: BlockVM): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${block.html}</p>`;
    case 'crosshead':
      return html`<h2${attr('id', block.id || undefined)}>${block.text}</h2>`;
    case 'quote': {
      const attribution = block.attribution ? html`<figcaption>— ${block.attribution}</figcaption>` : '';
      return html`<figure class="quote"><blockquote><p>${block.text}</p></blockquote>${attribution}</figure>`;
    }
    case 'list': {
      const items = block.items.map((item) => html`<li>${item}</li>`);
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'image':
      return renderFigure(block.image);
    case 'embed': {
      const provider = block.provider ? html`<figcaption>${block.provider}</figcaption>` : '';
      return html`<figure class="embed"><a href="${safeUrl(block.url)}">${block.title || block.url}</a>${provider}</figure>`;
    }
  }
}

/** Headline-only articles (no body) point readers to the original story when we know where it is. */
export function renderBody(article: ArticleVM): SafeHtml {
  const { body, source } = article;
  if (body.length === 0) {
    if (!source?.url) return html``;
    return html`<p class="read-more"><a href="${safeUrl(source.url)}">Read the full story at ${source.name}</a></p>`;
  }
  return html`<div class="article-body">
${renderBlocks(body)}</div>`;
}

function renderTags(tags: LinkVM[]): SafeHtml | '' {
  if (tags.length === 0) return '';
  return html`<div class="article-tags">
<h2 class="tags-heading">Topics</h2>
<ul class="tags">${tags.map((tag) => html`<li>${link(tag, 'tag')}</li>`)}</ul>
</div>`;
}

/** "Correction, April 12, 2014: the minister's name was misspelt." — dated, after the body. */
function renderNotes(notes: NoteVM[]): SafeHtml | '' {
  if (notes.length === 0) return '';
  return html`<aside class="article-notes" aria-label="Corrections and updates">
${notes.map(
  (
    n,
  ) => html`<p class="note note-${n.label.toLowerCase()}"><strong>${n.label}, <time datetime="${n.iso}">${n.day}</time>:</strong> ${n.text}</p>
`,
)}</aside>`;
}

/**
 * Plain links to share the article (no third-party script), and its own
 * address as "Copy link": a link without JavaScript, copied to the clipboard
 * with it (`reader.js`).
 */
function renderShare(share: ShareVM): SafeHtml {
  return html`<nav class="share" aria-labelledby="share-heading">
<h2 class="share-heading" id="share-heading">Share</h2>
<ul>${share.links.map((l) => html`<li><a href="${safeUrl(l.href)}" rel="noopener" target="_blank">${l.label}<span class="visually-hidden"> (opens in a new tab)</span></a></li>`)}<li><a href="${safeUrl(share.url)}" class="copy-link" data-copy-link>Copy link</a></li></ul>
<p class="copy-status" role="status" data-copy-status></p>
</nav>`;
}

/** "Originally published by <a>Wikinews</a> under <a>CC BY 2.5</a>." */
function renderSource(source: SourceVM | undefined): SafeHtml | '' {
  if (!source) return '';
  const name = source.url ? html`<a href="${safeUrl(source.url)}">${source.name}</a>` : source.name;
  let licence: SafeHtml | '' = '';
  if (source.licence) {
    const text = source.licenceUrl
      ? html`<a href="${safeUrl(source.licenceUrl)}" rel="license">${source.licence}</a>`
      : source.licence;
    licence = html` under ${text}`;
  }
  return html`<p class="source">Originally published by ${name}${licence}.</p>`;
}

function renderArticle(article: ArticleVM, pageLanguage: string): SafeHtml {
  // An article in another language than the site's says so, and which way it runs (an Arabic article on an English site).
  const lang =
    article.language && article.language !== pageLanguage
      ? html`${attr('lang', article.language)}${attr('dir', textDirection(article.language))}`
      : '';
  const lead = article.leadImage ? renderFigure(article.leadImage, { lead: true, className: 'figure lead' }) : '';
  return html`<article class="article"${lang}>
<header class="article-header">
<p class="kicker">${link(article.section)}</p>
<h1>${article.headline}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>` : ''}
</header>
${lead}
${renderMeta(article)}
${renderBody(article)}
${renderNotes(article.notes)}
${renderShare(article.share)}
${renderTags(article.tags)}
${renderSource(article.source)}
</article>`;
}

/**
 * "More on this story" (the story's other articles, oldest first, as an
 * ordered list) and "Related news", each '' when it has no cards. Apart from
 * the page because they change with what they list, not with Latest news:
 * `article-modules.ts` keeps them between page renders.
 *
 * @example
 *   renderArticleModules([card], []); // { story: SafeHtml('<section class="module story" …'), related: '' }
 */
export function renderArticleModules(story: CardVM[], related: CardVM[]): ArticleModulesHtml {
  return {
    story: renderCardModule({
      id: 'story-heading',
      title: 'More on this story',
      cards: story,
      className: 'module story',
      ordered: true,
    }),
    related: renderCardModule({
      id: 'related-news-heading',
      title: 'Related news',
      cards: related,
      className: 'module related',
    }),
  };
}

/**
 * Renders a full article page: the article, then "More on this story",
 * "Latest news" and "Related news" (each omitted when empty).
 *
 * @example
 *   reply.type('text/html').send(renderArticlePage(vm));
 */
export function renderArticlePage(vm: ArticlePageVM): string {
  const main = html`${
    vm.live
      ? html`<p class="live-link"><strong>Live</strong> <a href="${safeUrl(vm.live.href)}">${vm.live.label}</a></p>
`
      : ''
  }${renderArticle(vm.article, vm.layout.language)}
${vm.modules.story}
${renderCardModule({ id: 'latest-news-heading', title: 'Latest news', cards: vm.latest, className: 'module latest' })}
${vm.modules.related}`;
  return renderLayout(vm.layout, main);
}
