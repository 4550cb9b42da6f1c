/**
 * Sitemaps at scale, on a database `bench/explain.ts --keep` filled: the time
 * to write each kind of file and the memory the process holds after each,
 * beside the time of one keyset batch (the reference). Ends with one line of JSON.
 *
 *   npx tsx bench/sitemap-scale.ts sqlite:/tmp/dateline-explain-…/bench.db
 */
import { connect } from '../src/db/connect.js';
import { followingClock } from '../src/lib/time.js';
import { publishedArticlesAfter } from '../src/seo/sitemap.repository.js';
import { createSitemaps } from '../src/seo/sitemaps.js';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: npx tsx bench/sitemap-scale.ts DATABASE_URL\n');
  process.exit(2);
}
const database = await connect(url);
const maps = createSitemaps({
  database,
  siteUrl: 'https://news.example',
  clock: followingClock(() => 'UTC', 'en'),
  pageSize: 50_000,
  publication: () => ({ name: 'Dateline', language: 'en' }),
});
const mb = (n: number) => Math.round(n / 1024 / 102.4) / 10;
const figures: Record<string, { ms: number; bytes: number; urls: number; rssMb: number }> = {};
const t0 = performance.now();
await publishedArticlesAfter(database.reader, { after: 500_000, last: 550_000 }, 1000);
const batchMs = performance.now() - t0;
async function measure(name: string, make: () => Promise<string | undefined>) {
  const start = performance.now();
  const body = (await make()) ?? '';
  const ms = performance.now() - start;
  figures[name] = {
    ms: Math.round(ms),
    bytes: body.length,
    urls: body.split('<loc>').length - 1,
    rssMb: mb(process.memoryUsage().rss),
  };
  process.stdout.write(
    `${name.padEnd(14)} ${String(Math.round(ms)).padStart(6)} ms  ${String(figures[name].urls).padStart(6)} URLs  ${(body.length / 1048576).toFixed(1)} MB  RSS ${figures[name].rssMb} MB\n`,
  );
}
process.stdout.write(
  `one keyset batch of 1,000 articles: ${batchMs.toFixed(1)} ms; RSS at start ${mb(process.memoryUsage().rss)} MB\n`,
);
await measure('index', () => maps.index());
for (const n of [1, 10, 20]) await measure(`articles-${n}`, () => maps.file('articles', n));
await measure('tags-1', () => maps.file('tags', 1));
await measure('authors-1', () => maps.file('authors', 1));
await measure('pages-1', () => maps.file('pages', 1));
await measure('news', () => maps.news());
process.stdout.write(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB\n`);
await database.close();
process.stdout.write(
  `${JSON.stringify({ bench: 'sitemap-scale', batchMs: Math.round(batchMs * 10) / 10, peakRssMb: mb(process.resourceUsage().maxRSS * 1024), figures })}\n`,
);
