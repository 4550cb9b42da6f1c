/**
 * Reading the summary line `dateline import` prints on stdout. Tolerant of
 * wording: it needs "Imported N articles", "(R articles/s)" and "F failed",
 * and picks up "related news in S s" when the CLI reports that step apart.
 *
 * @example
 *   parseImportSummary('Imported 3 articles (3 new, 0 updated) from 3 lines in 0.0 s (160 articles/s); 0 failed.');
 *   // { line: 'Imported 3 articles …', imported: 3, perSec: 160, failed: 0 }
 */
export interface ImportSummary {
  line: string;
  imported: number;
  /** Articles per second as the CLI measured it. */
  perSec: number;
  failed: number;
  /** Seconds spent computing related news after saving, when reported separately. */
  relatedSeconds?: number;
}

export function parseImportSummary(output: string): ImportSummary | undefined {
  const line = /^Imported \d+ articles.*$/m.exec(output)?.[0];
  if (!line) return undefined;
  const imported = /^Imported (\d+) articles/.exec(line);
  const perSec = /\((\d+(?:\.\d+)?) articles\/s\)/.exec(line);
  const failed = /(\d+) failed/.exec(line);
  if (!imported || !perSec || !failed) return undefined;
  const related = /related news in ([\d.]+) s/.exec(line);
  return {
    line,
    imported: Number(imported[1]),
    perSec: Number(perSec[1]),
    failed: Number(failed[1]),
    ...(related ? { relatedSeconds: Number(related[1]) } : {}),
  };
}
