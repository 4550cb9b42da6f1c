/**
 * One poll of one source: claim it (no other instance polls it meanwhile,
 * and no more than `perHost` polls hit one host at once), fetch it through
 * `src/net/` with the previous ETag and Last-Modified (a 304 costs a
 * request and nothing else), parse it, turn each item into an article in a
 * transaction of its own, and record the outcome — on failure the reason,
 * and the next try backed off exponentially.
 *
 * @example
 *   const report = await pollSource(deps, 3);
 *   report; // { outcome: 'polled', status: 200, seen: 50, created: 50, updated: 0, kept: 0, failed: 0 }
 */
import type { Database } from '../db/connect.js';
import type { ArticleChange, EventBus } from '../events/event-bus.js';
import { type Pacer, UNPACED } from '../lib/pace.js';
import { type HttpClient, HttpError } from '../net/http-client.js';
import type { RelatedService } from '../related/related.service.js';
import { parseFeedText } from './feed-parse.js';
import { type IngestDeps, ingestItem } from './item-ingest.js';
import { nextPollDelay, type Source, SourceError } from './source.js';
import { claimSource, findSource, recordFailure, recordSuccess } from './source.repository.js';

export interface PollDeps extends IngestDeps {
  database: Database;
  http: HttpClient;
  /** Stories and related lists of the articles a poll saved, computed once they are all in. */
  related: Pick<RelatedService, 'refreshMany'>;
  /** Told once per poll that changed articles: the site's pages are dropped once, not per item. */
  events: Pick<EventBus, 'emit'>;
  /** Largest feed read (bytes). */
  maxBytes: number;
  /** Polls at once per host, across instances. */
  perHost: number;
  /** One fetch's budget, redirects included. Default 30 s. */
  timeoutMs?: number;
  /**
   * The process's pacer (`src/lib/pace.ts`): after each item and each chunk
   * of related lists a poll lets requests run, and rests while the machine's
   * CPUs are busy. Default: no rest, only a turn of the event loop.
   */
  pacer?: Pacer;
  now?: () => Date;
}

export interface PollReport {
  /** `busy`: another poll holds the source, or its host is at its limit; `missing`: no such source. */
  outcome: 'polled' | 'not-modified' | 'failed' | 'busy' | 'missing';
  status?: number;
  seen: number;
  created: number;
  updated: number;
  /** Items whose article a newsroom user edited: the feed's version kept as a revision. */
  kept: number;
  failed: number;
  error?: string;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export async function pollSource(deps: PollDeps, id: number): Promise<PollReport> {
  const { db } = deps.database;
  const now = deps.now?.() ?? new Date();
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const report: PollReport = { outcome: 'polled', seen: 0, created: 0, updated: 0, kept: 0, failed: 0 };
  const source = await findSource(db, id);
  if (!source) return { ...report, outcome: 'missing' };
  // The lease outlives any fetch and import; a poll that dies (or cannot record its outcome) leaves the
  // source to the first sweep after the lease.
  const until = new Date(now.getTime() + Math.max(5 * 60_000, timeoutMs * 4));
  if (!(await claimSource(db, deps.database.dialect, id, { now, until, perHost: deps.perHost })))
    return { ...report, outcome: 'busy' };
  try {
    const res = await fetchFeed(deps, source, timeoutMs);
    report.status = res.status;
    if (res.status === 304) {
      await recordSuccess(db, id, { at: now, nextPollAt: next(source, 0, now), seen: 0, created: 0, updated: 0 });
      return { ...report, outcome: 'not-modified' };
    }
    if (res.status < 200 || res.status >= 300) {
      throw new SourceError('SOURCE_HTTP_STATUS', `the server answered HTTP ${res.status}`);
    }
    const feed = parseFeedText(res.body, res.url, res.headers['content-type']);
    let firstError: string | undefined;
    const changed: number[] = [];
    const changes: ArticleChange[] = [];
    const pace = deps.pacer ?? UNPACED;
    // Feeds list the newest first: the oldest is saved first, so stories cluster in publication order.
    for (const item of [...feed.items].reverse()) {
      report.seen++;
      try {
        const { outcome, articleId, changes: told } = await ingestItem(deps, source, item, now);
        changes.push(...told);
        if (outcome === 'created') report.created++;
        else if (outcome === 'updated') report.updated++;
        else if (outcome === 'kept') report.kept++;
        if (outcome === 'created' || outcome === 'updated') changed.push(articleId);
      } catch (err) {
        report.failed++;
        firstError ??= `item ${item.guid}: ${(err as Error).message}`;
      }
      // On SQLite every query resolves at once: without a turn of the event loop, a poll would hold the
      // server's requests (its cached pages too) until its last item. On a contended machine it rests too.
      await pace.step();
    }
    if (changed.length) {
      for (let i = 0; i < changed.length; i += RELATED_CHUNK) {
        await deps.related.refreshMany(changed.slice(i, i + RELATED_CHUNK));
        await pace.step();
      }
      // One event for the poll: the pages are dropped once; webhooks and WebSub hear each article's change.
      await deps.events.emit([{ name: 'content.bulkChanged', payload: { articles: changed.length, changes } }]);
    }
    const counts = { seen: report.seen, created: report.created, updated: report.updated };
    if (firstError) {
      // The validators are not kept: the next poll fetches the feed again and retries the items that failed.
      throw Object.assign(
        new SourceError('SOURCE_ITEMS_FAILED', `${report.failed} of ${report.seen} items not saved (${firstError})`),
        { counts },
      );
    }
    await recordSuccess(db, id, {
      at: now,
      nextPollAt: next(source, 0, now),
      format: feed.format,
      etag: res.headers['etag'] ?? '',
      lastModified: res.headers['last-modified'] ?? '',
      ...counts,
    });
    return report;
  } catch (err) {
    const reason = reasonOf(err);
    const counts = (err as { counts?: { seen: number; created: number; updated: number } }).counts;
    const failures = source.status.consecutiveFailures + 1;
    await recordFailure(db, id, {
      at: now,
      reason,
      nextPollAt: next(source, failures, now),
      ...(counts ? { counts } : {}),
    });
    return { ...report, outcome: 'failed', error: reason };
  }
}

async function fetchFeed(deps: PollDeps, source: Source, timeoutMs: number) {
  try {
    return await deps.http.get(source.url, {
      headers: { accept: ACCEPT },
      timeoutMs,
      maxBytes: deps.maxBytes,
      ...(source.status.etag ? { ifNoneMatch: source.status.etag } : {}),
      ...(source.status.lastModified ? { ifModifiedSince: source.status.lastModified } : {}),
    });
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    throw new SourceError(HTTP_CODES[err.code] ?? 'SOURCE_FETCH_FAILED', err.message);
  }
}

const HTTP_CODES: Partial<Record<HttpError['code'], SourceError['code']>> = {
  HTTP_TIMEOUT: 'SOURCE_TIMEOUT',
  HTTP_TOO_LARGE: 'SOURCE_TOO_LARGE',
  HTTP_BLOCKED_ADDRESS: 'SOURCE_BLOCKED',
  HTTP_TOO_MANY_REDIRECTS: 'SOURCE_REDIRECT_LOOP',
};

function reasonOf(err: unknown): string {
  if (err instanceof SourceError) return err.reason;
  return `SOURCE_FETCH_FAILED: ${(err as Error).message ?? String(err)}`;
}

/** Articles whose stories and lists are computed between two turns of the event loop. */
const RELATED_CHUNK = 4;

function next(source: Source, failures: number, now: Date): Date {
  return new Date(now.getTime() + nextPollDelay(source.intervalSeconds, failures) * 1000);
}
