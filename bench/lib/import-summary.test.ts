import { describe, expect, it } from 'vitest';
import { parseImportSummary } from './import-summary.js';

describe('parseImportSummary', () => {
  it('reads the one-step summary', () => {
    const output =
      '… 3 articles (164/s)\nImported 3 articles (3 new, 0 updated) from 3 lines in 0.0 s (160 articles/s); 0 failed.\n';
    expect(parseImportSummary(output)).toEqual({
      line: 'Imported 3 articles (3 new, 0 updated) from 3 lines in 0.0 s (160 articles/s); 0 failed.',
      imported: 3,
      perSec: 160,
      failed: 0,
    });
  });

  it('reads the related-news time when the CLI reports it apart', () => {
    const output =
      'Imported 3000 articles (3000 new, 0 updated) from 3000 lines in 2.4 s (1256 articles/s), ' +
      'then computed related news in 7.3 s; 2 failed.\n';
    expect(parseImportSummary(output)).toMatchObject({ imported: 3000, perSec: 1256, failed: 2, relatedSeconds: 7.3 });
  });

  it('returns undefined when there is no summary line', () => {
    expect(parseImportSummary('Import failed: database is locked\n')).toBeUndefined();
  });
});
