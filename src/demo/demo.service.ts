/**
 * Demo content: on first start with an empty database, the Wikinews
 * articles shipped in `demo/` (CC BY 2.5, see demo/ATTRIBUTION.md) are
 * imported so a newcomer sees a full site.
 */
import { fileURLToPath } from 'node:url';
import { countArticles } from '../articles/article.repository.js';
import type { Database } from '../db/connect.js';
import { type ImportDeps, type ImportReport, importFile } from '../ingest/import.service.js';
import type { Clock } from '../lib/time.js';
import { loadDemoLive } from './demo-live.js';

/** Both src/demo/ and dist/demo/ sit two levels below the repository root. */
export const DEMO_FILE = fileURLToPath(new URL('../../demo/wikinews-2019.jsonl.gz', import.meta.url));

/**
 * Imports the demo articles, and makes the demo's live coverage of one of
 * their stories (`demo-live.ts`), when the database has no article at all;
 * returns the import's report, or undefined if skipped.
 */
export async function loadDemoIfEmpty(
  database: Database,
  deps: ImportDeps & { clock: Clock },
): Promise<ImportReport | undefined> {
  if ((await countArticles(database.db)) > 0) return undefined;
  const report = await importFile(deps, DEMO_FILE);
  await loadDemoLive(database, deps.clock);
  return report;
}
