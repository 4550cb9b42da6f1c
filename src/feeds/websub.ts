/**
 * WebSub publishing: when an article is published, edited or withdrawn (by
 * the newsroom, or by a feed source's poll), the hub (WEBSUB_HUB) is told
 * which feeds changed — the site's and those of the
 * article's section, tags and authors, in every format — so subscribers hear
 * of it within seconds instead of at their next poll. From the job queue,
 * after the commit: the ping never delays a save, a failed one is retried
 * with backoff, and pinging twice is harmless (the hub fetches the feed again).
 * A breaking-news flag that starts puts an item at the top of the site's
 * feeds: they are pinged too.
 *
 * @example
 *   registerWebSub({ events, http, database, hub: 'https://hub.example/', siteUrl, log });
 *   await events.prepare();
 */
import type { Database } from '../db/connect.js';
import type { ArticleEvent, EventBus } from '../events/event-bus.js';
import type { HttpClient } from '../net/http-client.js';
import { authorPath, FEED_FORMATS, type FeedFormat, feedPath, sectionPath, tagPath } from '../site/urls.js';
import { type ListSlugs, listSlugs } from './feeds.repository.js';

export const WEBSUB_JOB = 'websub-ping';

/** A hub has this long to acknowledge a ping; a slow hub is tried again later, not waited for. */
const PING_TIMEOUT_MS = 5000;

/**
 * Every feed an article's change touches, as absolute URLs.
 *
 * @example
 *   changedFeeds({ section: 'world', tags: ['water'], authors: [] }, 'https://news.example');
 *   // ['https://news.example/feed.xml', …, 'https://news.example/world/feed.xml', …, 'https://news.example/tag/water/feed.json']
 */
export function changedFeeds(slugs: ListSlugs, siteUrl: string): string[] {
  const lists = [
    '/',
    ...(slugs.section ? [sectionPath(slugs.section)] : []),
    ...slugs.tags.map(tagPath),
    ...slugs.authors.map(authorPath),
  ];
  const formats = Object.keys(FEED_FORMATS) as FeedFormat[];
  return lists.flatMap((list) => formats.map((f) => `${siteUrl}${feedPath(list, f)}`));
}

export interface WebSubDeps {
  events: EventBus;
  http: Pick<HttpClient, 'post'>;
  database: Database;
  hub: string;
  siteUrl: string;
}

/** Registers the ping as a durable handler of the three article events, a poll's changes and breaking news starting. */
export function registerWebSub(deps: WebSubDeps): void {
  const publish = async (topics: Iterable<string>) => {
    for (const topic of topics) {
      const res = await deps.http.post(
        deps.hub,
        { form: { 'hub.mode': 'publish', 'hub.url': topic } },
        { timeoutMs: PING_TIMEOUT_MS },
      );
      // Hubs answer 202 or 204; anything else is a failure the queue retries (every topic again: harmless).
      if (res.status < 200 || res.status > 299) throw new Error(`WebSub hub answered ${res.status} for ${topic}`);
    }
  };
  // Every feed the articles touched, each once.
  const ping = async (articles: ArticleEvent[]) => {
    const topics = new Set<string>();
    for (const e of articles)
      for (const t of changedFeeds(await listSlugs(deps.database.db, e), deps.siteUrl)) topics.add(t);
    await publish(topics);
  };
  deps.events.handle('breaking.changed', WEBSUB_JOB, async (e) => {
    if (e.started) await publish(changedFeeds({ section: undefined, tags: [], authors: [] }, deps.siteUrl));
  });
  for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const)
    deps.events.handle(name, WEBSUB_JOB, (e) => ping([e]));
  // A feed's poll tells its articles' changes in one event.
  deps.events.handle('content.bulkChanged', WEBSUB_JOB, async ({ changes = [] }) => {
    if (changes.length) await ping(changes.map((c) => c.article));
  });
}
