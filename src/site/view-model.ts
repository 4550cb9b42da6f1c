/**
 * View models: exactly what templates get. Built from domain objects by the
 * functions in `site.presenter.ts`; templates never see rows or domain objects.
 * All strings are plain text (templates escape them) except fields typed
 * `SafeHtml`, which hold sanitized markup.
 */
import type { SafeHtml } from '../lib/html.js';

export interface LinkVM {
  href: string;
  label: string;
}

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
  language: string;
}

export interface PaginationVM {
  page: number;
  prev?: string;
  next?: string;
}

/**
 * The weather in the site header: the default city's on shared (cached)
 * pages, the reader's own on their weather page. `now` is absent while
 * nothing is known; the script may still fill it in.
 */
export interface WeatherWidgetVM {
  now?: {
    /** "3.8" or "−2.0". */
    temperature: string;
    unitSymbol: string;
    conditionText: string;
    city: string;
    /** "3.8 degrees Celsius, overcast, in New York". */
    label: string;
    /** The icon's `<use href>`: sprite URL and symbol id. */
    iconHref: string;
  };
  /** The JSON endpoint the script asks for the reader's own city. */
  apiHref: string;
  /** The weather icon sprite, for the script. */
  iconsHref: string;
  /** The no-JavaScript city page. */
  changeHref: string;
}

/** Shared by every page: site chrome and head metadata. */
export interface LayoutVM {
  siteName: string;
  title: string;
  description?: string;
  canonicalUrl?: string;
  language: string;
  stylesheetHref: string;
  iconHref: string;
  nav: LinkVM[];
  /** The nav item to mark with aria-current, if any. */
  currentPath?: string;
  /** Extra `<link>`/`<meta>` markup (e.g. Open Graph), already safe. */
  head?: SafeHtml;
  noindex?: boolean;
  /** The weather widget in the header (absent when WEATHER_PROVIDER=none). */
  weather?: WeatherWidgetVM;
  /** Same-origin scripts, loaded with `defer` (progressive enhancement only). */
  scripts?: string[];
}

export interface ArticlePageVM {
  layout: LayoutVM;
  article: ArticleVM;
  latest: CardVM[];
  /** "More on this story": the story's other articles, oldest first. */
  story: CardVM[];
  related: CardVM[];
}

/** One related article and why it is there, for the debug view. Numbers come formatted. */
export interface RelatedRowVM {
  href: string;
  headline: string;
  score: string;
  similarity: string;
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
}

/** Section, tag and author pages. */
export interface ListPageVM {
  layout: LayoutVM;
  kind: 'section' | 'tag' | 'author';
  heading: string;
  intro?: string;
  cards: CardVM[];
  pagination: PaginationVM;
}

export interface NotFoundPageVM {
  layout: LayoutVM;
  latest: CardVM[];
}

export interface ErrorPageVM {
  layout: LayoutVM;
  status: number;
}
