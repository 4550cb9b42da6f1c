/**
 * View models of the search page (`/search`), beside the site's others
 * (`view-model.ts`). Plain text but for the `SafeHtml` fields, which hold the
 * search service's escaped text with `<mark>` around matching words.
 */
import type { SafeHtml } from '../lib/html.js';
import type { LayoutVM, LinkVM, PaginationVM, TimeVM } from './view-model.js';

export interface SearchHitVM {
  href: string;
  headlineHtml: SafeHtml;
  snippetHtml: SafeHtml;
  section: LinkVM;
  authors: LinkVM[];
  published: TimeVM;
}

export interface SearchPageVM {
  layout: LayoutVM;
  /** The query as the reader typed it (trimmed); the form shows it back. */
  q: string;
  filters: Partial<Record<'section' | 'tag' | 'author' | 'from' | 'to', string>>;
  /** The sections to filter by. */
  sections: { value: string; label: string }[];
  /** "23 results, page 1 of 2"; empty when there are none. */
  summary: string;
  hits: SearchHitVM[];
  /** No article has every word: the hits have some of them. */
  partial?: boolean;
  /** "Did you mean": the query with misspelt words corrected, and its page (same filters). */
  suggestion?: { q: string; href: string };
  pagination: PaginationVM;
  /** Why there is nothing to show, and the way on. */
  empty?: {
    kind: 'no-query' | 'only-exclusions' | 'no-results' | 'past-last-page';
    /** The same search in every section, tag, author and date. */
    withoutFilters?: string;
    firstPage?: string;
  };
}
