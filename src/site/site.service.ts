/**
 * The reader site's one door to content: everything a page shows, fetched in
 * as few cheap queries as possible. Only published content comes through.
 */
import type { Article, ArticleSummary, Author, Section, Tag } from '../articles/article.js';
import { findArticleById, findArticleBySlug } from '../articles/article.repository.js';
import { listPublished, listPublishedBy } from '../articles/article-list.repository.js';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug, listSections } from '../articles/taxonomy.repository.js';
import type { ContentPage } from '../content-pages/content-page.js';
import type { Database } from '../db/connect.js';
import { type Invalidator, untilInvalidated } from '../instances/invalidation.js';
import { AppError } from '../lib/errors.js';
import { STORY_LIMIT } from '../related/related.repository.js';
import type { RelatedExplanation, RelatedService } from '../related/related.service.js';

export const LATEST_COUNT = 8;
export const PAGE_SIZE = 20;
/** Related news shown under an article, beyond the articles of its own story. */
export const RELATED_SHOWN = 5;
const HOME_LATEST = 12;
const HOME_PER_SECTION = 4;
/** Sites with many sections (wire topics, say) show the first ones, in editors' order, in the navigation… */
export const NAV_SECTIONS = 10;
/** …and as blocks on the home page. Every section keeps its own page. */
export const HOME_SECTIONS = 8;

/** What an article page lists around the article. */
export interface ArticleLists {
  /** The story's other articles, oldest first. */
  story: ArticleSummary[];
  /** Related news beyond the story, best first. */
  related: ArticleSummary[];
}

/** An article page's data: the article, its lists (its story, related news not in the story), the latest news. */
export interface ArticlePageData extends ArticleLists {
  article: Article;
  /** The newest articles but those listed elsewhere on the page (the article, its story, related news). */
  latest: ArticleSummary[];
  sections: Section[];
}

/** Why an article's related list is what it is: its story, and each stored related article with its reasons. */
export interface RelatedExplainedData {
  article: Article;
  story: ArticleSummary[];
  related: { summary: ArticleSummary; why: RelatedExplanation }[];
  sections: Section[];
}

export interface HomePageData {
  latest: ArticleSummary[];
  bySection: { section: Section; articles: ArticleSummary[] }[];
  sections: Section[];
}

export interface ListPageData<T> {
  subject: T;
  articles: ArticleSummary[];
  hasNext: boolean;
  sections: Section[];
}

export type SiteService = ReturnType<typeof createSiteService>;

export function createSiteService(deps: {
  database: Database;
  related: RelatedService;
  invalidator: Invalidator;
  /** The site's own pages (About, Contact…), served at the top level when no section has the address. */
  contentPages?: { bySlug(slug: string): Promise<ContentPage | undefined> };
}) {
  const db = deps.database.reader;

  // Every page shows the sections and the newest articles, which change only when an article is saved:
  // they are read once and kept until the next save.
  const navSections = untilInvalidated(deps.invalidator, async () => (await listSections(db)).slice(0, NAV_SECTIONS));
  // Enough for an article page's Latest news to skip the article and everything its story and related modules show,
  // one article per story: the same wire story from three partners is listed once, as its newest copy. Twice as many
  // are read as kept, for the copies left out.
  const NEWEST = Math.max(HOME_LATEST, LATEST_COUNT + 1 + STORY_LIMIT + RELATED_SHOWN);
  const newestByStory = untilInvalidated(deps.invalidator, async () =>
    onePerStory(deps.related, await listPublished(db, { limit: NEWEST * 2 }), NEWEST),
  );
  const newest = async () => (await newestByStory()).articles;
  const latestExcept = async (shown: ReadonlySet<number> = new Set()) =>
    (await newest()).filter((a) => !shown.has(a.id)).slice(0, LATEST_COUNT);

  // The home page is a function of the newest articles per section: the same for every reader until the next save.
  const homePage = untilInvalidated(deps.invalidator, async (): Promise<HomePageData> => {
    const [byStory, sections] = await Promise.all([newestByStory(), navSections()]);
    const latest = byStory.articles.slice(0, HOME_LATEST);
    // What the list above shows, and the other copies of its stories: no block repeats them.
    const shown = new Set<number>();
    for (const a of latest) for (const id of byStory.storyOf.get(a.id) ?? [a.id]) shown.add(id);
    // Each block skips the stories already shown above it; reading a few more rows than shown is cheaper than a
    // query shaped by the list of ids to skip.
    const bySection = await Promise.all(
      sections.slice(0, HOME_SECTIONS).map(async (section) => {
        const candidates = await listPublished(db, { limit: HOME_PER_SECTION * 2 + shown.size, sectionId: section.id });
        const fresh = candidates.filter((a) => !shown.has(a.id));
        return { section, articles: (await onePerStory(deps.related, fresh, HOME_PER_SECTION)).articles };
      }),
    );
    return { latest, bySection: bySection.filter((s) => s.articles.length > 0), sections };
  });

  async function page<T>(
    subject: T | undefined,
    code: 'SECTION_NOT_FOUND' | 'TAG_NOT_FOUND' | 'AUTHOR_NOT_FOUND',
    pageNo: number,
    list: (subject: T, limit: number, offset: number) => Promise<ArticleSummary[]>,
  ): Promise<ListPageData<T>> {
    if (!subject) throw new AppError(code, 'not found');
    const [rows, sections] = await Promise.all([list(subject, PAGE_SIZE + 1, (pageNo - 1) * PAGE_SIZE), navSections()]);
    if (rows.length === 0 && pageNo > 1) throw new AppError('PAGE_OUT_OF_RANGE', 'no such page');
    return { subject, articles: rows.slice(0, PAGE_SIZE), hasNext: rows.length > PAGE_SIZE, sections };
  }

  /** An article page's lists: its story's other articles, and related news beyond the story, in one statement. */
  async function articleLists(articleId: number): Promise<ArticleLists> {
    const { story, related: stored } = await deps.related.storyAndRelated(articleId);
    // The stored list may hold the story's own articles: those are shown under "More on this story" instead.
    const inStory = new Set(story.map((a) => a.id));
    const related = stored.filter((a) => !inStory.has(a.id) && a.id !== articleId).slice(0, RELATED_SHOWN);
    return { story, related };
  }

  /** Everything around an article on its page: its story, related news, the latest news, the navigation. */
  async function around(article: Article): Promise<ArticlePageData> {
    const [{ story, related }, sections] = await Promise.all([articleLists(article.id), navSections()]);
    // Latest news leaves out what the page already lists, so no headline appears twice.
    const latest = await latestExcept(new Set([article.id, ...story.map((a) => a.id), ...related.map((a) => a.id)]));
    return { article, latest, story, related, sections };
  }

  return {
    /** A published article by its slug (ARTICLE_NOT_FOUND otherwise): the reader's article page. */
    async publishedArticle(slug: string): Promise<Article> {
      const article = await findArticleBySlug(db, slug);
      if (article?.status !== 'published') throw new AppError('ARTICLE_NOT_FOUND', 'no such article');
      return article;
    },

    articleLists,

    /** The newest articles, one per story, but those given (what the page lists elsewhere). */
    latestExcept: (shown: Iterable<number>): Promise<ArticleSummary[]> => latestExcept(new Set(shown)),

    /**
     * An article in any status (a draft, a scheduled one) with what its page
     * would show around it, for the newsroom's preview. Read from the writer
     * connection: the preview follows the save that preceded it.
     */
    async previewPage(id: number): Promise<ArticlePageData> {
      const article = await findArticleById(deps.database.db, id);
      if (!article) throw new AppError('ARTICLE_NOT_FOUND', 'no such article');
      return around(article);
    },

    async relatedExplained(id: number): Promise<RelatedExplainedData> {
      const article = await findArticleById(db, id);
      if (article?.status !== 'published') throw new AppError('ARTICLE_NOT_FOUND', 'no such article');
      const [story, stored, why, sections] = await Promise.all([
        deps.related.story(id),
        deps.related.read(id),
        deps.related.explain(id),
        navSections(),
      ]);
      // `read` holds only published articles: an explanation without a summary is of one unpublished since.
      const summaries = new Map(stored.map((a) => [a.id, a]));
      const related = why.flatMap((w) => {
        const summary = summaries.get(w.id);
        return summary ? [{ summary, why: w }] : [];
      });
      return { article, story, related, sections };
    },

    homePage,

    async sectionPage(slug: string, pageNo: number): Promise<ListPageData<Section>> {
      return page(await findSectionBySlug(db, slug), 'SECTION_NOT_FOUND', pageNo, (s, limit, offset) =>
        listPublished(db, { sectionId: s.id, limit, offset }),
      );
    },

    async tagPage(slug: string, pageNo: number): Promise<ListPageData<Tag>> {
      return page(await findTagBySlug(db, slug), 'TAG_NOT_FOUND', pageNo, (t, limit, offset) =>
        listPublishedBy(db, { tagId: t.id }, { limit, offset }),
      );
    },

    async authorPage(slug: string, pageNo: number): Promise<ListPageData<Author>> {
      return page(await findAuthorBySlug(db, slug), 'AUTHOR_NOT_FOUND', pageNo, (a, limit, offset) =>
        listPublishedBy(db, { authorId: a.id }, { limit, offset }),
      );
    },

    /** A page of the site's own by its address (CONTENT_PAGE_NOT_FOUND). */
    async contentPage(slug: string): Promise<{ page: ContentPage; sections: Section[] }> {
      const [page, sections] = await Promise.all([deps.contentPages?.bySlug(slug), navSections()]);
      if (!page) throw new AppError('CONTENT_PAGE_NOT_FOUND', 'no such page');
      return { page, sections };
    },

    /** The sections in the navigation, for pages that show nothing else of the site's content. */
    sections: (): Promise<Section[]> => navSections(),

    async notFoundPage(): Promise<{ latest: ArticleSummary[]; sections: Section[] }> {
      const [latest, sections] = await Promise.all([latestExcept(), navSections()]);
      return { latest, sections };
    },
  };
}

/**
 * The first `want` articles, one per story (the related engine's same-story
 * clusters, near-duplicates included): an article whose story an earlier one
 * already stands for is left out. `storyOf` maps each kept article to its
 * story's members (itself included), for the lists that must skip them too.
 */
async function onePerStory(
  related: Pick<RelatedService, 'story'>,
  articles: ArticleSummary[],
  want: number,
): Promise<{ articles: ArticleSummary[]; storyOf: Map<number, number[]> }> {
  const covered = new Set<number>();
  const kept: ArticleSummary[] = [];
  const storyOf = new Map<number, number[]>();
  for (const a of articles) {
    if (kept.length >= want) break;
    if (covered.has(a.id)) continue;
    const members = [a.id, ...(await related.story(a.id)).map((m) => m.id)];
    for (const id of members) covered.add(id);
    storyOf.set(a.id, members);
    kept.push(a);
  }
  return { articles: kept, storyOf };
}
