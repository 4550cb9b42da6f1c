/**
 * An article page's "More on this story" and "Related news", rendered once
 * per change of what they list rather than once per page view.
 *
 * Every publish drops every article page from the page cache (each shows
 * Latest news), so a busy site renders its article pages again and again;
 * their story and related modules change far less often: when the article's
 * own lists are recomputed (the related job invalidates `article:<id>`), when
 * an article they list is edited or withdrawn (`article:<listed id>`), or
 * when everything goes (`*`: sections, settings, a bulk import). Each entry
 * is dropped by exactly those tags, on every instance, like the page cache;
 * one read before an invalidation is not stored after it.
 *
 * @example
 *   const modules = createArticleModules({ lists: site.articleLists, presenter, invalidator });
 *   const { html, storyIds, relatedIds } = await modules.of(article.id);
 */
import { EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import type { Presenter } from './site.presenter.js';
import type { ArticleLists } from './site.service.js';
import type { ArticleModulesHtml } from './view-model.js';
import { renderArticleModules } from './views/article.view.js';

export interface ArticleModules {
  html: ArticleModulesHtml;
  /** What the modules list: Latest news leaves them out, and the page's cache tags name them. */
  storyIds: number[];
  relatedIds: number[];
}

/** Modules kept, by the length of their HTML: about 2,000 articles' at 4 KB each. */
export const MODULES_MAX_BYTES = 8 * 1024 * 1024;

/** The modules of an article, rendered from its lists. */
export function renderModules(p: Pick<Presenter, 'card'>, lists: ArticleLists): ArticleModules {
  return {
    html: renderArticleModules(lists.story.map(p.card), lists.related.map(p.card)),
    storyIds: lists.story.map((a) => a.id),
    relatedIds: lists.related.map((a) => a.id),
  };
}

interface Kept {
  modules: ArticleModules;
  /** Article ids whose invalidation drops this entry: the article's own and every one it lists. */
  ids: number[];
  size: number;
}

export function createArticleModules(deps: {
  lists: (articleId: number) => Promise<ArticleLists>;
  presenter: Pick<Presenter, 'card'>;
  invalidator: Pick<Invalidator, 'subscribe'>;
  maxBytes?: number;
}) {
  const maxBytes = deps.maxBytes ?? MODULES_MAX_BYTES;
  // Least recently used first (a Map keeps insertion order; a hit is moved to the end).
  const kept = new Map<number, Kept>();
  // For each article id, the entries that list it (or are its own).
  const listedBy = new Map<number, Set<number>>();
  // Reads in progress, shared by the requests that arrive meanwhile, unless an invalidation came after they began.
  const loading = new Map<number, { generation: number; modules: Promise<ArticleModules> }>();
  let generation = 0;
  let bytes = 0;

  function drop(articleId: number): void {
    const entry = kept.get(articleId);
    if (!entry) return;
    kept.delete(articleId);
    bytes -= entry.size;
    for (const id of entry.ids) {
      const set = listedBy.get(id);
      set?.delete(articleId);
      if (set?.size === 0) listedBy.delete(id);
    }
  }

  function keep(articleId: number, modules: ArticleModules): void {
    drop(articleId);
    const size = modules.html.story.toString().length + modules.html.related.toString().length + 128;
    const ids = [articleId, ...modules.storyIds, ...modules.relatedIds];
    kept.set(articleId, { modules, ids, size });
    bytes += size;
    for (const id of ids) {
      let set = listedBy.get(id);
      if (!set) {
        set = new Set();
        listedBy.set(id, set);
      }
      set.add(articleId);
    }
    while (bytes > maxBytes) {
      const oldest = kept.keys().next().value;
      if (oldest === undefined) break;
      drop(oldest);
    }
  }

  deps.invalidator.subscribe((tags) => {
    generation++;
    if (tags.includes(EVERYTHING)) {
      kept.clear();
      listedBy.clear();
      bytes = 0;
      return;
    }
    for (const tag of tags) {
      const id = articleOfTag(tag);
      if (id === undefined) continue;
      for (const entry of [...(listedBy.get(id) ?? [])]) drop(entry);
    }
  });

  async function load(articleId: number): Promise<ArticleModules> {
    const began = generation;
    const modules = renderModules(deps.presenter, await deps.lists(articleId));
    // Lists read before an invalidation may be what it changed: served to this request, never kept.
    if (began === generation) keep(articleId, modules);
    return modules;
  }

  return {
    /** The article's modules: kept ones, or read and rendered (and kept). */
    of(articleId: number): Promise<ArticleModules> {
      const hit = kept.get(articleId);
      if (hit) {
        kept.delete(articleId);
        kept.set(articleId, hit);
        return Promise.resolve(hit.modules);
      }
      const pending = loading.get(articleId);
      if (pending?.generation === generation) return pending.modules;
      const modules = load(articleId).finally(() => {
        if (loading.get(articleId)?.modules === modules) loading.delete(articleId);
      });
      loading.set(articleId, { generation, modules });
      return modules;
    },
    /** Entries and bytes held (for tests and the benchmark's notes). */
    get size() {
      return { entries: kept.size, bytes };
    },
  };
}

export type ArticleModuleCache = ReturnType<typeof createArticleModules>;

/** The article id an `article:<id>` tag names, or undefined for any other tag. */
function articleOfTag(tag: string): number | undefined {
  if (!tag.startsWith('article:')) return undefined;
  const id = Number(tag.slice('article:'.length));
  return Number.isInteger(id) ? id : undefined;
}
