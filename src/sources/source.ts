/**
 * Feed sources: what a source is, and the pure rules of polling it — the
 * interval as written (`15m`, `1h`), the backoff after failures, and the
 * reasons a poll fails, each with a stable code.
 *
 * @example
 *   parseInterval('15m'); // 900
 *   nextPollDelay(900, 0); // 900 (seconds): all well
 *   nextPollDelay(900, 3); // 7200: 15 min × 2³ after three failures in a row
 */
export type SourceMode = 'draft' | 'publish';

export interface SourceStatus {
  lastPolledAt?: Date;
  lastSuccessAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
  consecutiveFailures: number;
  nextPollAt: Date;
  itemsSeen: number;
  itemsCreated: number;
  itemsUpdated: number;
  etag?: string;
  lastModified?: string;
}

export interface Source {
  id: number;
  url: string;
  host: string;
  name: string;
  format?: string;
  /** The section name items are filed under. */
  section: string;
  mode: SourceMode;
  licence?: string;
  /** Credit line shown with every article from the source ("Reuters", "© AFP"). */
  attribution?: string;
  intervalSeconds: number;
  createdAt: Date;
  status: SourceStatus;
}

export interface NewSource {
  url: string;
  section: string;
  mode: SourceMode;
  name?: string;
  licence?: string;
  attribution?: string;
  intervalSeconds?: number;
}

export const DEFAULT_INTERVAL_SECONDS = 15 * 60;
export const MIN_INTERVAL_SECONDS = 60;
export const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;
/** However many failures, a failing source is tried again at least this often. */
export const MAX_BACKOFF_SECONDS = 24 * 3600;

export type SourceErrorCode =
  | 'SOURCE_NOT_A_FEED'
  | 'SOURCE_UNPARSABLE'
  | 'SOURCE_HTTP_STATUS'
  | 'SOURCE_TOO_LARGE'
  | 'SOURCE_TIMEOUT'
  | 'SOURCE_BLOCKED'
  | 'SOURCE_REDIRECT_LOOP'
  /** Some items could not be saved (the others were); the next poll fetches the feed again for them. */
  | 'SOURCE_ITEMS_FAILED'
  | 'SOURCE_FETCH_FAILED';

/** Why a poll failed; stored with the source as `CODE: reason`. */
export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
  ) {
    super(message);
  }
  get reason(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** `90s`, `15m`, `2h`, `1d` or bare seconds → seconds; undefined when not one. */
export function parseInterval(text: string): number | undefined {
  const m = /^\s*(\d{1,7})\s*(s|m|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's').toLowerCase() as 's'];
  return Number(m[1]) * unit;
}

/** `900` → `15m`, for lists. */
export function formatInterval(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Seconds until the next poll: the interval, doubled for each failure in a row, capped at a day. */
export function nextPollDelay(intervalSeconds: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return intervalSeconds;
  return Math.min(
    intervalSeconds * 2 ** Math.min(consecutiveFailures, 20),
    Math.max(MAX_BACKOFF_SECONDS, intervalSeconds),
  );
}

/** A name for a source added without one: its host without `www.`. */
export function defaultName(url: URL): string {
  return url.hostname.replace(/^www\./, '');
}
