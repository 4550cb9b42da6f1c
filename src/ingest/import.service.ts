/**
 * Imports a JSON Lines file (gzip or plain) through the article service:
 * batched in transactions, idempotent (an id or URL seen before updates its
 * article), and forgiving — a bad line is reported with its number and
 * reason while the rest imports. A file that cannot be opened at all fails
 * with an `UnreadableFileError` before anything is read, rather than as a
 * report; one that breaks off part-way keeps what came before, and the
 * report names the line where reading stopped. A local image whose file is
 * not in the media folder is a warning with the line number: the article is
 * imported all the same (the reader site leaves the image out until the file
 * is there).
 */
import type { ArticleInput } from '../articles/article.js';
import type { ArticleService, SavedArticle } from '../articles/article.service.js';
import { saveBatch } from '../articles/save-batch.js';
import type { EventBus } from '../events/event-bus.js';
import type { ImageService } from '../images/image.service.js';
import { withoutControlChars } from '../lib/control-chars.js';
import type { RebuildPhase, RelatedService } from '../related/related.service.js';
import type { BackgroundReindex } from '../search/search.jobs.js';
import { importRecordSchema, toArticleInput } from './import-record.js';
import { openLines } from './jsonl.js';

export interface ImportFailure {
  line: number;
  reason: string;
}

/** Something about an imported line worth knowing (a missing image file); the article was imported. */
export interface ImportWarning {
  line: number;
  message: string;
}

export interface ImportReport {
  lines: number;
  created: number;
  updated: number;
  failed: ImportFailure[];
  /** For lines imported (never for failed ones), in line order within each batch. */
  warnings: ImportWarning[];
  skippedBlank: number;
  /** Time to read, validate and save the articles. */
  seconds: number;
  /** Time to compute the related lists of the imported articles, after saving. */
  relatedSeconds: number;
}

export interface ImportDeps {
  articles: ArticleService;
  related: RelatedService;
  /** Finds the local images whose file is missing. */
  images: Pick<ImageService, 'checkImages'>;
  /** Told once the related pass has changed lists (each batch's save tells it of its own articles). */
  events: Pick<EventBus, 'emit'>;
  /** Writes the search entries the saves queued (PostgreSQL), beside them; waited for before the related pass. */
  searchReindex?: Pick<BackgroundReindex, 'kick' | 'settle'>;
}

export interface ImportOptions {
  batchSize?: number;
  /** Called after each batch with the report so far, and during the related pass with its progress. */
  onProgress?: (report: ImportReport, phase: 'save' | RebuildPhase, done: number, total?: number) => void;
  /** Changes each record before it is validated (tools use it, e.g. to drop labels). */
  transform?: (record: Record<string, unknown>) => Record<string, unknown>;
  /** The language of records that name none (default `en`; the command line gives the site's). */
  language?: string;
  /**
   * Compute the related lists of the imported articles after the last batch
   * (default true). False skips that pass (`relatedSeconds` stays 0) and leaves
   * the lists to the caller: at a million articles it would take hours.
   */
  related?: boolean;
}

type Pending = { line: number; input: ArticleInput; warnings: string[] };

export async function importFile(deps: ImportDeps, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const lines = await openLines(path);
  const batchSize = options.batchSize ?? 500;
  const withRelated = options.related ?? true;
  const started = performance.now();
  const report: ImportReport = {
    lines: 0,
    created: 0,
    updated: 0,
    failed: [],
    warnings: [],
    skippedBlank: 0,
    seconds: 0,
    relatedSeconds: 0,
  };
  /** Ids for the related pass (none are kept without it: a million of them is memory for nothing). */
  const published = new Set<number>();
  let batch: Pending[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    for (const r of await saveLines(deps.articles, batch, report, withRelated))
      if (withRelated && r.published) published.add(r.id);
    deps.searchReindex?.kick();
    batch = [];
    report.seconds = (performance.now() - started) / 1000;
    options.onProgress?.(report, 'save', report.created + report.updated);
  };

  try {
    for await (const { number, text } of lines) {
      report.lines = number;
      if (text.trim() === '') {
        report.skippedBlank++;
        continue;
      }
      const parsed = parseLine(text, options);
      if ('reason' in parsed) report.failed.push({ line: number, reason: parsed.reason });
      else {
        const missing = await deps.images.checkImages(parsed.input);
        batch.push({ line: number, input: parsed.input, warnings: missing.map((p) => p.message) });
      }
      if (batch.length >= batchSize) await flush();
    }
  } catch (err) {
    // A file damaged part-way (bad gzip, a read error) ends the read; what came before is kept.
    report.failed.push({ line: report.lines + 1, reason: `file could not be read further: ${(err as Error).message}` });
  }
  await flush();
  // Every saved article is searchable when the import says it is done (part of the save's time).
  await deps.searchReindex?.settle();
  report.seconds = (performance.now() - started) / 1000;
  if (withRelated && published.size > 0) {
    await refreshRelated(deps.related, [...published], report, options);
    // Lists of articles imported earlier changed too: every page with related news may show them.
    await deps.events.emit([{ name: 'content.bulkChanged', payload: { articles: published.size } }]);
  }
  return report;
}

/** Every imported article is in the index by now, so one pass gives each a complete list. */
async function refreshRelated(related: RelatedService, ids: number[], report: ImportReport, options: ImportOptions) {
  const started = performance.now();
  await related.refreshMany(ids, (phase, done, total) => {
    report.relatedSeconds = (performance.now() - started) / 1000;
    options.onProgress?.(report, phase, done, total);
  });
  report.relatedSeconds = (performance.now() - started) / 1000;
}

function parseLine(text: string, options: ImportOptions): { input: ArticleInput } | { reason: string } {
  const { transform } = options;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { reason: 'not a JSON object' };
  const clean = withoutControlChars(json as Record<string, unknown>);
  const record = transform ? transform(clean) : clean;
  const result = importRecordSchema.safeParse(record);
  if (!result.success) {
    return { reason: result.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ') };
  }
  return { input: toArticleInput(result.data, options.language) };
}

/** One transaction per batch (`articles/save-batch.ts`); a line that cannot be saved is reported with its reason. */
async function saveLines(
  articles: ArticleService,
  batch: Pending[],
  report: ImportReport,
  withRelated: boolean,
): Promise<SavedArticle[]> {
  const outcomes = await saveBatch(
    articles,
    batch.map((p) => p.input),
    { bulk: true, deferIndexes: withRelated },
  );
  const results: SavedArticle[] = [];
  outcomes.forEach((outcome, i) => {
    const p = batch[i]!;
    if ('reason' in outcome) {
      report.failed.push({ line: p.line, reason: outcome.reason });
      return;
    }
    results.push(outcome.saved);
    if (outcome.saved.created) report.created++;
    else report.updated++;
    for (const message of p.warnings) report.warnings.push({ line: p.line, message });
  });
  return results;
}
