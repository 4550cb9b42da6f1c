/**
 * View models: exactly what templates get. Built from domain objects by the
 * functions in `site.presenter.ts`; templates never see rows or domain objects.
 * All strings are plain text (templates escape them) except fields typed
 * `SafeHtml`, which hold sanitized markup.
 */
import type { SafeHtml } from '../lib/html.js';
import type { LayoutVM, LinkVM } from '../web/view-model.js';

export type { LayoutVM, LinkVM };

export interface TimeVM {
  /** ISO 8601 instant, for `<time datetime>`. */
  iso: string;
  /** Human text in the site timezone, e.g. "2 January 2019, 14:05 EST". */
  text: string;
}

export interface ImageVM {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  /** An uploaded image's other sizes and types, for `<picture>`; absent for any other image (a plain `<img>`). */
  responsive?: ResponsiveVM;
}

/** `srcset`s of an uploaded image: `<source>`s in preference order, and the `<img>`'s own (JPEG or PNG). */
export interface ResponsiveVM {
  sources: { type: string; srcset: string }[];
  srcset: string;
}

export type BlockVM =
  | { type: 'paragraph'; html: SafeHtml }
  | { type: 'crosshead'; text: string; id: string }
  | { type: 'quote'; text: string; attribution?: string }
  | { type: 'list'; ordered: boolean; items: SafeHtml[] }
  | { type: 'image'; image: ImageVM }
  | { type: 'embed'; url: string; title: string; provider?: string };

/** An article in a list (latest news, related, section pages). */
export interface CardVM {
  href: string;
  headline: string;
  standfirst: string;
  section: LinkVM;
  published: TimeVM;
  image?: ImageVM;
}

export interface SourceVM {
  name: string;
  url?: string;
  licence?: string;
  licenceUrl?: string;
}

/** A correction or an update under an article: "Correction, April 12, 2014: …". */
export interface NoteVM {
  label: 'Correction' | 'Update';
  /** ISO instant, and the day as people read it. */
  iso: string;
  day: string;
  text: string;
}

export interface ArticleVM {
  headline: string;
  standfirst: string;
  canonicalUrl: string;
  section: LinkVM;
  authors: LinkVM[];
  tags: LinkVM[];
  datelinePlace?: string;
  published: TimeVM;
  /** Present only when the update differs from publication. */
  updated?: TimeVM;
  leadImage?: ImageVM;
  body: BlockVM[];
  source?: SourceVM;
  /** Corrections and updates, oldest first. */
  notes: NoteVM[];
  language: string;
  share: ShareVM;
}

/** Where readers may share an article: plain links, and its own address to copy. */
export interface ShareVM {
  links: LinkVM[];
  /** The article's absolute address. */
  url: string;
}

/** A page of the site's own (About, Contact…). */
export interface ContentPageVM {
  layout: LayoutVM;
  title: string;
  body: BlockVM[];
  updated: TimeVM;
}

export interface PaginationVM {
  page: number;
  prev?: string;
  next?: string;
}

/** An article page's story and related modules as HTML; '' for one with nothing to list. */
export interface ArticleModulesHtml {
  /** "More on this story": the story's other articles, oldest first. */
  story: SafeHtml | '';
  related: SafeHtml | '';
}

export interface ArticlePageVM {
  layout: LayoutVM;
  article: ArticleVM;
  latest: CardVM[];
  /** "More on this story" and "Related news", rendered (`renderArticleModules`): kept while what they list is unchanged. */
  modules: ArticleModulesHtml;
  /** The story's live coverage, while it is live. */
  live?: LinkVM;
}

/** One related article and why it is there, for the debug view. Numbers come formatted. */
export interface RelatedRowVM {
  href: string;
  headline: string;
  score: string;
  similarity: string;
  /** The similarity needed to be shown. */
  needed: string;
  /** E.g. "6 of 10, mutual"; empty where the floor did not ask. */
  sharedNeighbours: string;
  sameStory: boolean;
  /** E.g. "1.0 h after", "26.5 h before". */
  hoursApart: string;
  sharedTerms: string[];
  sharedEntities: string[];
  sharedLabels: string[];
}

/** The debug view of an article's related list. */
export interface RelatedDebugPageVM {
  layout: LayoutVM;
  article: LinkVM;
  story: CardVM[];
  rows: RelatedRowVM[];
}

export interface HomePageVM {
  layout: LayoutVM;
  top?: CardVM;
  latest: CardVM[];
  sections: { section: LinkVM; cards: CardVM[] }[];
  /** The site's feeds, for readers to follow. */
  feeds?: LinkVM[];
}

/** Section, tag and author pages. */
export interface ListPageVM {
  layout: LayoutVM;
  kind: 'section' | 'tag' | 'author';
  heading: string;
  intro?: string;
  /** An author's photo. */
  photo?: ImageVM;
  cards: CardVM[];
  pagination: PaginationVM;
  /** The list's feeds, for readers to follow. */
  feeds?: LinkVM[];
}

export interface NotFoundPageVM {
  layout: LayoutVM;
  latest: CardVM[];
}

export interface ErrorPageVM {
  layout: LayoutVM;
  status: number;
  /** The stable error code (`BAD_QUERY`, `INTERNAL`…): chooses the words, never shown as is. */
  code?: string;
}
