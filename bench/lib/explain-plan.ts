/**
 * Reading plans for `bench/explain.ts`: a one-line summary of an EXPLAIN
 * output, and flags for the shapes that stop being cheap as tables grow (a
 * full scan of a big table, a sort of everything before a LIMIT, thousands of
 * rows read to return a page).
 */
import type { Dialect } from '../../src/db/connect.js';

/** Tables that grow with the number of articles (SQLite plans name them by their alias in our queries). */
const BIG = /^(articles|a|article_tags|at|article_authors|aa|j|related_articles|r|article_search|articles_fts)$/;
/** Rows read by one plan node above which a "cheap" query is not cheap any more. */
const MANY_ROWS = 1000;

export interface PlanReading {
  summary: string;
  flags: string[];
}

export function readPlan(dialect: Dialect, lines: string[], sql: string): PlanReading {
  return dialect === 'sqlite' ? readSqlite(lines, sql) : readPostgres(lines);
}

function readSqlite(lines: string[], sql: string): PlanReading {
  const flags: string[] = [];
  for (const line of lines.map((l) => l.trim())) {
    const scan = /^SCAN (\w+)/.exec(line);
    if (scan && BIG.test(scan[1] ?? '') && !line.includes('VIRTUAL TABLE')) flags.push(`full scan: ${line}`);
    if (/TEMP B-TREE FOR (ORDER|GROUP) BY/.test(line) && /\blimit\b/i.test(sql)) {
      flags.push(`sorts every matching row before the LIMIT (${line})`);
    }
  }
  // A UNION ALL of N lookups (documentFrequencies) reads better as each step once, ×N.
  const steps = lines
    .map((l) => l.trim().replace(/(SUBQUERY |subquery-)\d+/g, '$1n'))
    .filter((l) => !/^(COMPOUND QUERY|LEFT-MOST SUBQUERY|UNION ALL)$/.test(l));
  return {
    summary: grouped(
      steps.map((name) => ({ name, rows: 0 })),
      '; ',
    ),
    flags: [...new Set(flags)],
  };
}

function readPostgres(lines: string[]): PlanReading {
  const nodes: { name: string; rows: number }[] = [];
  for (const line of lines) {
    const node = /^\s*(?:->\s*)?([A-Z][^(]*?)\s+\(cost=.*?\(actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)\)/.exec(
      line,
    );
    // One name per node whatever its alias (article_search_1, _2… in a UNION ALL).
    if (node) nodes.push({ name: (node[1] ?? '').replace(/ (\w+)_\d+$/, ''), rows: Number(node[2]) * Number(node[3]) });
  }
  const flags = new Map<string, number>();
  const flag = (text: string, rows: number) => flags.set(text, Math.max(rows, flags.get(text) ?? 0));
  for (const { name, rows } of nodes) {
    const table = /(?:Seq Scan|Parallel Seq Scan) on (\w+)/.exec(name)?.[1];
    if (table && BIG.test(table)) flag(`full scan: ${name}`, rows);
    if (/^(Sort|Incremental Sort)\b/.test(name) && rows > MANY_ROWS) flag(`sorts: ${name}`, rows);
    if (/Scan/.test(name) && rows > MANY_ROWS) flag(`reads many rows: ${name}`, rows);
  }
  const time = lines.find((l) => l.startsWith('Execution Time'));
  return {
    summary: grouped(nodes, ' > ') + (time ? ` [${time.trim()}]` : ''),
    flags: [...flags].map(([text, rows]) => `${text} (${rows} rows)`),
  };
}

/** Plan steps in order, each distinct one once: `name (most rows) ×times`. */
function grouped(steps: { name: string; rows: number }[], separator: string): string {
  const seen = new Map<string, { rows: number; times: number }>();
  for (const { name, rows } of steps) {
    const s = seen.get(name) ?? { rows: 0, times: 0 };
    seen.set(name, { rows: Math.max(s.rows, rows), times: s.times + 1 });
  }
  return [...seen]
    .map(([name, s]) => `${name}${s.rows > 1 ? ` (${s.rows} rows)` : ''}${s.times > 1 ? ` ×${s.times}` : ''}`)
    .join(separator);
}

export interface Timing {
  medianMs: number;
  p99Ms: number;
  runs: number;
}

export function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { medianMs: round(at(0.5)), p99Ms: round(at(0.99)), runs: samples.length };
}
