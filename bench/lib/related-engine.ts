/**
 * Runs today's engine on a labelled corpus: a fresh temporary SQLite database,
 * the normal import path (`importFile`) with the labels removed by its
 * `transform`, then the stored related lists read back through
 * `services.related.read`, mapped to corpus positions.
 *
 * @example
 *   const engine = await runEngine(corpus.docs, 'category', (msg) => console.error(msg));
 *   const top = await engine.related(0); // corpus positions, best first
 *   await engine.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { effectiveStatus, saveProblems } from '../../src/articles/article.js';
import { loadConfig } from '../../src/config.js';
import { importFile } from '../../src/ingest/import.service.js';
import { importRecordSchema, toArticleInput } from '../../src/ingest/import-record.js';
import { toDateOrUndefined } from '../../src/lib/time.js';
import { readRelatedRows } from '../../src/related/related.repository.js';
import { buildServices } from '../../src/services.js';
import { RELATED_SHOWN } from '../../src/site/site.service.js';
import { type LabelKind, type LabelledDoc, writeRecords } from './related-corpus.js';

/** What the engine may see: no `story`; for category corpora no `category` and one neutral section for all. */
export function hideLabels(kind: LabelKind): (record: Record<string, unknown>) => Record<string, unknown> {
  return (record) => {
    const { story: _story, category, ...rest } = record;
    return kind === 'category' ? { ...rest, section: 'News' } : { ...rest, ...(category ? { category } : {}) };
  };
}

/**
 * Whether the import would accept the record once its labels are hidden (so
 * engine and baselines see the same articles): valid, and publishable (a
 * headline-only brief without a link to its original is not).
 */
export function importable(kind: LabelKind): (record: Record<string, unknown>) => boolean {
  const hide = hideLabels(kind);
  const now = new Date();
  return (record) => {
    const parsed = importRecordSchema.safeParse(hide(record));
    if (!parsed.success) return false;
    const input = toArticleInput(parsed.data);
    return saveProblems(input, effectiveStatus(input, now), now).length === 0;
  };
}

export interface EngineRun {
  /** Import figures as the import service reports them. */
  imported: { created: number; failed: number; seconds: number; relatedSeconds: number };
  /** Per corpus position: the imported section name and publication time (ms), as stored. */
  sections: string[];
  published: (number | undefined)[];
  /** The stored related list of a document, as corpus positions, best first. */
  related(doc: number): Promise<number[]>;
  /** The same list with each item's stored score. */
  scored(doc: number): Promise<{ id: number; score: number }[]>;
  /** What the article's page shows: *More on this story*, then *Related news* (as `site.service.ts` composes them). */
  shown(doc: number): Promise<number[]>;
  /** The engine's story of each document (by corpus position), as clustered during the import. */
  stories(): Promise<Map<number, string>>;
  close(): Promise<void>;
}

export async function runEngine(docs: LabelledDoc[], kind: LabelKind, log: (msg: string) => void): Promise<EngineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-related-'));
  const file = join(dir, 'corpus.jsonl');
  await writeRecords(file, docs);
  const services = await buildServices(
    loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      SITE_URL: 'http://news.test',
      LOG_LEVEL: 'silent',
      DEMO_CONTENT: 'off',
      PAGE_CACHE: 'off',
      MEDIA_DIR: join(dir, 'media'),
    }),
    { log: pino({ level: 'silent' }) },
  );
  const close = async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { database } = services;
    const report = await importFile(services, file, {
      transform: hideLabels(kind),
      onProgress: (r, phase, done, total) => {
        if (phase === 'lists' && (done % 2000 < 250 || done === total))
          log(`  related lists: ${done} (${r.relatedSeconds.toFixed(1)} s)`);
      },
    });
    for (const f of report.failed.slice(0, 3)) log(`  import: line ${f.line} failed: ${f.reason}`);
    const rows = await database.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id as id', 'articles.external_id as externalId', 'articles.published_at as publishedAt'])
      .select('sections.name as section')
      .execute();
    const position = new Map(docs.map((d) => [d.externalId, d.index]));
    const articleId: number[] = new Array(docs.length).fill(-1);
    const docOf = new Map<number, number>();
    const sections: string[] = new Array(docs.length).fill('');
    const published: (number | undefined)[] = new Array(docs.length).fill(undefined);
    for (const row of rows) {
      const doc = position.get(row.externalId ?? '');
      if (doc === undefined) continue;
      articleId[doc] = row.id;
      docOf.set(row.id, doc);
      sections[doc] = row.section;
      published[doc] = toDateOrUndefined(row.publishedAt)?.getTime();
    }
    return {
      imported: {
        created: report.created,
        failed: report.failed.length,
        seconds: report.seconds,
        relatedSeconds: report.relatedSeconds,
      },
      sections,
      published,
      async related(doc) {
        const id = articleId[doc] ?? -1;
        if (id < 0) return [];
        const list = await services.related.read(id);
        return list.map((a) => docOf.get(a.id) ?? -1);
      },
      async scored(doc) {
        const id = articleId[doc] ?? -1;
        if (id < 0) return [];
        const rows = await readRelatedRows(database.db, id);
        return rows.map((r) => ({ id: docOf.get(r.id) ?? -1, score: r.score }));
      },
      async shown(doc) {
        const id = articleId[doc] ?? -1;
        if (id < 0) return [];
        const [story, stored] = await Promise.all([services.related.story(id), services.related.read(id)]);
        const inStory = new Set(story.map((a) => a.id));
        const related = stored.filter((a) => !inStory.has(a.id) && a.id !== id).slice(0, RELATED_SHOWN);
        return [...story, ...related].map((a) => docOf.get(a.id) ?? -1);
      },
      async stories() {
        const rows = await database.db.selectFrom('related_docs').select(['article_id', 'story_id']).execute();
        const out = new Map<number, string>();
        for (const r of rows) {
          const doc = docOf.get(Number(r.article_id));
          if (doc !== undefined) out.set(doc, String(r.story_id ?? `own:${r.article_id}`));
        }
        return out;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
