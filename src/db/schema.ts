/**
 * Row types, as Kysely sees the tables. Timestamps are ISO strings on SQLite
 * and Date objects on PostgreSQL; repositories turn them into Dates.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date | string, string, string>;
type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;

export interface SectionsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  position: number;
  description: string | null;
}

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  bio: string | null;
  /** An uploaded image's address. */
  photo: string | null;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ArticlesTable {
  id: Generated<number>;
  external_id: string | null;
  slug: string;
  headline: string;
  standfirst: string;
  /** JSON array of blocks. */
  body: string;
  /** JSON object, or null. */
  lead_image: string | null;
  section_id: number;
  dateline_place: string | null;
  status: string;
  language: string;
  published_at: NullableTimestamp;
  updated_at: Timestamp;
  created_at: Timestamp;
  source_name: string | null;
  source_url: string | null;
  source_licence: string | null;
  source_licence_url: string | null;
  /** Raised by every save (optimistic concurrency for editors). */
  version: Generated<number>;
  /** A draft submitted for review, or sent back to its writer; null otherwise. */
  review: string | null;
  /** The editor's comment when sending it back. */
  review_note: string | null;
  embargo_until: NullableTimestamp;
  /** When it was first visible to readers; kept when unpublished. */
  first_published_at: NullableTimestamp;
  /** The user who created the article (its owner for permissions); null for imported articles. */
  created_by: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 when the source gave only a date (stored as noon UTC): shown as a date, never a time. */
  published_day_only: Generated<number>;
}

/** Pages of the site's own (About, Contact, Corrections policy), edited by admins. */
export interface ContentPagesTable {
  id: Generated<number>;
  slug: string;
  title: string;
  /** JSON array of blocks. */
  body: string;
  /** Order in the footer; 0 keeps the page out of it. */
  position: Generated<number>;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface ArticleRevisionsTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  saved_at: Timestamp;
  saved_by: number | null;
  /** JSON of the article as an editor sees it. */
  snapshot: string;
}

export interface ArticleNotesTable {
  id: Generated<number>;
  article_id: number;
  kind: string;
  text: string;
  noted_at: Timestamp;
  noted_by: number | null;
}

/** Join rows carry the article's publication time so list pages read one index range. */
export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: number;
  published_at: NullableTimestamp;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
  published_at: NullableTimestamp;
}

export interface RelatedArticlesTable {
  article_id: number;
  rank: number;
  related_id: number;
  score: number;
}

/** PostgreSQL only: the full-text document of each article (SQLite uses the FTS5 table `articles_fts`). */
export interface ArticleSearchTable {
  article_id: number;
  document: unknown;
}

/** Published articles whose search entries are written again by the `search-reindex` job (migration 0028). */
export interface SearchReindexTable {
  article_id: number;
}

/** SQLite only: the job runner's queue (on PostgreSQL, pg-boss keeps jobs in its own schema). Times are ISO strings. */
export interface JobsTable {
  id: Generated<number>;
  name: string;
  /** JSON text. */
  data: string;
  state: 'queued' | 'active' | 'completed' | 'failed';
  singleton_key: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_until: string | null;
  created_at: string;
  finished_at: string | null;
}

/** SQLite only: the invalidation log every process on the file reads (migration 0029). Times are ISO strings. */
export interface CacheInvalidationsTable {
  id: Generated<number>;
  /** The invalidator's message (JSON text). */
  message: string;
  created_at: string;
}

/** The related-news engine's index (see migration 0003). */
/** Words of published headlines and standfirsts, for spelling suggestions (migration 0031). */
export interface SearchWordsTable {
  word: string;
  /** Articles saved with the word (an edit or a withdrawal does not take it back: a weight, not a count). */
  articles: number;
}

/** PostgreSQL only: an article's headline and standfirst lexemes, kept by a trigger (migration 0031). */
export interface ArticleSearchHeadsTable {
  article_id: number;
  heading: string;
}

export interface RelatedDfTable {
  term: number;
  df: number;
}

export interface RelatedPostingsTable {
  term: number;
  /** Days since the epoch of the article's publication. */
  day: number;
  article_id: number;
  weight: number;
}

export interface RelatedDocsTable {
  article_id: number;
  published_ms: number;
  words: number;
  /** Packed pairs: int32 term hash, float32 weight (little-endian). */
  vector: Uint8Array;
  /** 64-bit SimHash as 16 hex digits. */
  simhash: string;
  /** The first article of its story; null until the article is clustered. */
  story_id: number | null;
}

/** Places the geocoder found, by its id (`src/weather/places.repository.ts`). */
export interface WeatherPlacesTable {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  admin1: string | null;
  country: string | null;
  country_code: string | null;
  timezone: string | null;
  population: number | null;
}

/** Which places a typed name found: a JSON array of weather_places ids, best first. */
export interface WeatherSearchesTable {
  query: string;
  language: string;
  place_ids: string;
  searched_at: Timestamp;
}

/** Uploaded images, one per content hash (`src/images/image.repository.ts`); their files are under MEDIA_DIR. */
export interface ImagesTable {
  id: Generated<number>;
  hash: string;
  src: string;
  width: number;
  height: number;
  type: string;
  bytes: number;
  uploaded_by: number | null;
  created_at: Timestamp;
}

/** Newsroom accounts (see migration 0010 and `src/accounts/`). */
export interface UsersTable {
  id: Generated<number>;
  /** Trimmed and lower-cased. */
  email: string;
  name: string;
  role: string;
  /** argon2id, PHC string. */
  password_hash: string;
  /** 1 on the first admin, null on everyone else (unique: one first admin, whoever races). */
  first_admin: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  password_changed_at: Timestamp;
  last_login_at: NullableTimestamp;
  deactivated_at: NullableTimestamp;
}

export interface SessionsTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the cookie's token. */
  token_hash: string;
  user_id: number;
  csrf_secret: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface InvitationsTable {
  id: Generated<number>;
  email: string;
  role: string;
  token_hash: string;
  invited_by: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  user_id: number | null;
}

export interface PasswordResetsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** A login attempt not known to have succeeded, once per scope (the account's email, the client's address). */
export interface LoginAttemptsTable {
  id: Generated<number>;
  scope: 'account' | 'address';
  key: string;
  attempted_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  subject: string | null;
  /** JSON object, or null. */
  detail: string | null;
  ip: string | null;
}

/** Addresses admins registered for article events (`src/webhooks/`). */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  /** Comma-separated event names. */
  events: string;
  secret: string;
  created_at: Timestamp;
  created_by: number | null;
}

/** One event sent to one webhook: its body and its outcome so far. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event: string;
  event_key: string;
  /** JSON. */
  payload: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: Generated<number>;
  response_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  last_attempt_at: NullableTimestamp;
}

/** An imported article's address on its old platform (`src/archive/`). */
export interface OldPermalinksTable {
  path: string;
  article_id: number;
}

/** A feed polled for articles (`src/sources/`): its settings and its status. */
export interface SourcesTable {
  id: Generated<number>;
  url: string;
  /** Lower-case host of `url`: the per-host concurrency limit counts by it. */
  host: string;
  name: string;
  /** Detected on the first successful poll: rss, atom, rdf, json, ninjs. */
  format: string | null;
  section: string;
  mode: 'draft' | 'publish';
  licence: string | null;
  attribution: string | null;
  interval_seconds: number;
  created_at: Timestamp;
  created_by: number | null;
  next_poll_at: Timestamp;
  /** A poll holds the source until then: another instance's poll finds it taken. */
  claimed_until: NullableTimestamp;
  last_polled_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  consecutive_failures: Generated<number>;
  etag: string | null;
  last_modified: string | null;
  items_seen: Generated<number>;
  items_created: Generated<number>;
  items_updated: Generated<number>;
}

/** A feed item seen, and the article it became. */
export interface SourceItemsTable {
  id: Generated<number>;
  source_id: number;
  guid: string;
  url: string | null;
  canonical_url: string | null;
  article_id: number;
  /** Hash of the item as last read from the feed: an unchanged item costs one lookup. */
  item_hash: string;
  /** Hash of the article's text as the feed last wrote it: a different one means a newsroom edit. */
  written_hash: string;
  seen_at: Timestamp;
}

export interface Schema {
  sections: SectionsTable;
  authors: AuthorsTable;
  tags: TagsTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  article_revisions: ArticleRevisionsTable;
  settings: SettingsTable;
  article_notes: ArticleNotesTable;
  related_articles: RelatedArticlesTable;
  article_search: ArticleSearchTable;
  search_reindex: SearchReindexTable;
  jobs: JobsTable;
  cache_invalidations: CacheInvalidationsTable;
  related_df: RelatedDfTable;
  search_words: SearchWordsTable;
  article_search_heads: ArticleSearchHeadsTable;
  related_postings: RelatedPostingsTable;
  related_docs: RelatedDocsTable;
  weather_places: WeatherPlacesTable;
  weather_searches: WeatherSearchesTable;
  images: ImagesTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  content_pages: ContentPagesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  old_permalinks: OldPermalinksTable;
  sources: SourcesTable;
  source_items: SourceItemsTable;
  live_coverages: LiveCoveragesTable;
  live_entries: LiveEntriesTable;
  breaking_news: BreakingNewsTable;
}

/** A live coverage of a developing story (`src/live/`). */
export interface LiveCoveragesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  standfirst: Generated<string>;
  status: string;
  article_id: number | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  created_by: number | null;
  updated_at: Timestamp;
}

/** One entry of a live coverage: an independent row, so posters never conflict. */
export interface LiveEntriesTable {
  id: Generated<number>;
  coverage_id: number;
  /** JSON array of blocks. */
  body: string;
  /** JSON array of names. */
  authors: string;
  state: string;
  pinned: Generated<number>;
  key_event: string | null;
  correction: string | null;
  article_id: number | null;
  created_by: number | null;
  posted_at: Timestamp;
  updated_at: Timestamp;
}

/** An article or a live entry flagged as breaking for a time box (`src/breaking/`). */
export interface BreakingNewsTable {
  id: Generated<number>;
  headline: string;
  /** A path on the site. */
  href: string;
  article_id: number | null;
  entry_id: number | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  ended_at: NullableTimestamp;
  created_by: number | null;
}
