/**
 * Feed sources without HTTP of their own: the newsroom's and the command
 * line's door (add, list with status, remove — each change in the audit
 * log), and the jobs that poll them:
 * - `sources-sweep`, every 30 s (a minute on PostgreSQL): queues a poll for
 *   each source due, one job per source at a time (singleton key);
 * - `source-poll`: polls one source (`source-poll.ts`), which claims it in
 *   the database first, so two instances never poll it at once.
 *
 * @example
 *   const sources = createSourcesService({ database, audit, articles, http, config: config.sources });
 *   registerSourceJobs({ jobs, sources, log });
 *   const s = await sources.add({ url: 'https://wire.example/rss', section: 'World', mode: 'draft' }, { userId: 1 });
 *   await sources.poll(s.id); // { outcome: 'polled', created: 50, … }
 */
import type { ArticleService } from '../articles/article.service.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { JobLogger, JobQueue } from '../jobs/jobs.js';
import { AppError } from '../lib/errors.js';
import type { HttpClient } from '../net/http-client.js';
import {
  DEFAULT_INTERVAL_SECONDS,
  defaultName,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  type NewSource,
  type Source,
} from './source.js';
import { deleteSource, dueSourceIds, findSource, insertSource, listSources } from './source.repository.js';
import type { PollDeps, PollReport } from './source-poll.js';

export const SWEEP_JOB = 'sources-sweep';
export const POLL_JOB = 'source-poll';
/** Sources queued by one sweep; the rest wait for the next. */
const SWEEP_BATCH = 500;

export interface Actor {
  userId?: number;
  ip?: string;
}

export interface SourcesService {
  /** Throws INVALID_SOURCE (`details.problems`) or SOURCE_EXISTS. */
  add(input: NewSource, by?: Actor): Promise<Source>;
  /** Throws SOURCE_NOT_FOUND. The articles it brought stay. */
  remove(id: number, by?: Actor): Promise<void>;
  /** Every source with its status, oldest first. */
  list(): Promise<Source[]>;
  /** Throws SOURCE_NOT_FOUND. */
  find(id: number): Promise<Source>;
  /** Polls one source now (the poll job's work; the CLI and tests call it directly). */
  poll(id: number): Promise<PollReport>;
  /** Ids of the sources due now. */
  due(now?: Date): Promise<number[]>;
}

export interface SourcesDeps {
  database: Database;
  audit: AuditLog;
  articles: Pick<ArticleService, 'saveFromSource'>;
  http: HttpClient;
  related: PollDeps['related'];
  events: PollDeps['events'];
  config: Config['sources'];
  /** One fetch's budget; default 30 s. */
  timeoutMs?: number;
  /** Paces each poll's saves (`PollDeps.pacer`). */
  pacer?: PollDeps['pacer'];
}

export interface SourceProblem {
  field: 'url' | 'section' | 'mode' | 'interval';
  problem: string;
}

export function createSourcesService(deps: SourcesDeps): SourcesService {
  const { db } = deps.database;
  const audit = (trx: typeof db, by: Actor | undefined, action: string, id: number, detail: Record<string, unknown>) =>
    deps.audit.record(trx, {
      ...(by?.userId !== undefined ? { actorId: by.userId } : {}),
      action,
      subject: `source:${id}`,
      detail,
      ...(by?.ip ? { ip: by.ip } : {}),
    });

  const service: SourcesService = {
    async add(input, by) {
      const { url, problems } = validate(input);
      if (!url || problems.length) throw new AppError('INVALID_SOURCE', 'This source cannot be used', { problems });
      const id = await db.transaction().execute(async (trx) => {
        const id = await insertSource(
          trx,
          {
            url: url.href,
            host: url.host.toLowerCase(),
            name: input.name?.trim() || defaultName(url),
            section: input.section.trim(),
            mode: input.mode,
            licence: input.licence?.trim() || undefined,
            attribution: input.attribution?.trim() || undefined,
            intervalSeconds: input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
            createdBy: by?.userId,
          },
          new Date(),
        );
        if (!id) throw new AppError('SOURCE_EXISTS', 'A source with this address exists');
        await audit(trx, by, 'source.added', id, { url: url.href, section: input.section, mode: input.mode });
        return id;
      });
      return service.find(id);
    },

    async remove(id, by) {
      await db.transaction().execute(async (trx) => {
        const source = await findSource(trx, id);
        if (!source || !(await deleteSource(trx, id))) throw new AppError('SOURCE_NOT_FOUND', 'No such source');
        await audit(trx, by, 'source.removed', id, { url: source.url });
      });
    },

    list: () => listSources(db),

    async find(id) {
      const source = await findSource(db, id);
      if (!source) throw new AppError('SOURCE_NOT_FOUND', 'No such source');
      return source;
    },

    // The poll's feed parsers and HTML reader (feedsmith, linkedom) load on the first poll, not in every web process.
    poll: async (id) =>
      (await import('./source-poll.js')).pollSource(
        {
          database: deps.database,
          articles: deps.articles,
          http: deps.http,
          related: deps.related,
          events: deps.events,
          maxBytes: deps.config.maxBytes,
          perHost: deps.config.perHost,
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
          ...(deps.pacer ? { pacer: deps.pacer } : {}),
        },
        id,
      ),

    due: (now = new Date()) => dueSourceIds(db, now, SWEEP_BATCH),
  };
  return service;
}

function validate(input: NewSource): { url?: URL; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.url.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push({ field: 'url', problem: 'The address must start with http:// or https://' });
    } else if (url.username || url.password) {
      problems.push({ field: 'url', problem: 'The address may not carry a user name or password' });
    }
  } catch {
    problems.push({ field: 'url', problem: 'The address is not a full URL (https://…)' });
  }
  if (!input.section?.trim() || input.section.trim().length > 100) {
    problems.push({ field: 'section', problem: 'Name the section its articles go to (up to 100 characters)' });
  }
  if (input.mode !== 'draft' && input.mode !== 'publish') {
    problems.push({ field: 'mode', problem: 'Choose draft (for review) or publish' });
  }
  const s = input.intervalSeconds;
  if (s !== undefined && (!Number.isInteger(s) || s < MIN_INTERVAL_SECONDS || s > MAX_INTERVAL_SECONDS)) {
    problems.push({ field: 'interval', problem: 'The interval must be between 1 minute and 7 days' });
  }
  return { ...(url ? { url } : {}), problems };
}

/** Registers the sweep and the poll job; the sweep runs on one instance per tick. */
export function registerSourceJobs(deps: { jobs: JobQueue; sources: SourcesService; log: JobLogger }): void {
  const { jobs, sources, log } = deps;
  jobs.work(SWEEP_JOB, async () => {
    for (const id of await sources.due()) {
      await jobs.send(POLL_JOB, { sourceId: id }, { singletonKey: `source:${id}`, retryLimit: 0 });
    }
  });
  jobs.work<{ sourceId: number }>(POLL_JOB, async ({ sourceId }) => {
    const report = await sources.poll(sourceId);
    if (report.outcome === 'failed') log.warn({ sourceId, error: report.error }, 'source poll failed');
    else if (report.created || report.updated || report.kept)
      log.info({ sourceId, created: report.created, updated: report.updated, kept: report.kept }, 'source polled');
  });
  jobs.every(SWEEP_JOB, 30);
}
