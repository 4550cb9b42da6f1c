/**
 * Demo content: on first start with an empty database, the Wikinews
 * articles shipped in `demo/` (CC BY 2.5, see demo/ATTRIBUTION.md) are
 * imported so a newcomer sees a full site.
 */
import { fileURLToPath } from 'node:url';
import { countArticles } from '../articles/article.repository.js';
import type { Database } from '../db/connect.js';
import { type ImportDeps, type ImportReport, importFile } from '../ingest/import.service.js';

/** Both src/demo/ and dist/demo/ sit two levels below the repository root. */
export const DEMO_FILE = fileURLToPath(new URL('../../demo/wikinews-2019.jsonl.gz', import.meta.url));

/** Imports the demo articles when the database has no article at all; returns the report, or undefined if skipped. */
export async function loadDemoIfEmpty(database: Database, deps: ImportDeps): Promise<ImportReport | undefined> {
  if ((await countArticles(database.db)) > 0) return undefined;
  return importFile(deps, DEMO_FILE);
}
