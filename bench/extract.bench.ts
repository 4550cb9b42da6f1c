/**
 * `npm run bench:extract [-- --dir DIR]`: the URL importer's article
 * extraction over a folder in the article-extraction-benchmark layout
 * (`html/<id>.html.gz`, `ground-truth.jsonl`; default /work/shared/data/extraction),
 * scored with that benchmark's method beside plain Readability on linkedom,
 * measured in the same run: per language, per site (for sites with several
 * pages) and overall, then one line of JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { articleText, extractArticle, plainReadabilityText } from '../src/extract/extract.js';
import { type PageScore, type Summary, scorePage, summarize } from './lib/extraction-score.js';

const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const dir = dirArg >= 0 ? (args[dirArg + 1] as string) : '/work/shared/data/extraction';
const verbose = args.includes('--pages');
const out = (line: string) => process.stdout.write(`${line}\n`);
if (!existsSync(join(dir, 'ground-truth.jsonl'))) {
  process.stderr.write(`no ground-truth.jsonl in ${dir}\n`);
  process.exit(1);
}

interface Truth {
  id: string;
  url: string;
  articleBody: string;
}
const truths = readFileSync(join(dir, 'ground-truth.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Truth);

const ours: PageScore[] = [];
const theirs: PageScore[] = [];
const groups = new Map<string, number[]>();
let msOurs = 0;
let msTheirs = 0;
truths.forEach((t, i) => {
  const html = gunzipSync(readFileSync(join(dir, 'html', `${t.id}.html.gz`))).toString('utf8');
  let start = performance.now();
  const article = extractArticle(html, t.url);
  const text = article ? articleText(article.body) : '';
  msOurs += performance.now() - start;
  start = performance.now();
  const plain = plainReadabilityText(html);
  msTheirs += performance.now() - start;
  ours.push(scorePage(text, t.articleBody));
  theirs.push(scorePage(plain, t.articleBody));
  for (const g of [`lang:${language(t.articleBody)}`, `site:${site(t.url)}`])
    groups.set(g, [...(groups.get(g) ?? []), i]);
  if (verbose)
    out(
      `${(ours[i] as PageScore).f1.toFixed(3)} ${(theirs[i] as PageScore).f1.toFixed(3)} ${t.id.slice(0, 8)} ${t.url}`,
    );
});

const fmt = (s: Summary) =>
  `P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  page-F1 ${s.meanPageF1.toFixed(3)}  exact ${s.exact.toFixed(3)}`;
out(`article extraction, ${truths.length} pages from ${dir}`);
out(`${'group'.padEnd(34)} ${'pages'.padStart(5)}  dateline | readability`);
let worse = 0;
const rows = [...groups.entries()].filter(([g, ix]) => g.startsWith('lang:') || ix.length >= 2).sort();
for (const [g, ix] of rows) {
  const a = summarize(ix.map((i) => ours[i] as PageScore));
  const b = summarize(ix.map((i) => theirs[i] as PageScore));
  if (a.f1 < b.f1) worse++;
  out(
    `${g.padEnd(34)} ${String(ix.length).padStart(5)}  F1 ${a.f1.toFixed(3)} | ${b.f1.toFixed(3)}${a.f1 < b.f1 ? '  (below)' : ''}`,
  );
}
const a = summarize(ours);
const b = summarize(theirs);
out(`dateline:    ${fmt(a)}  ${(msOurs / truths.length).toFixed(1)} ms/page`);
out(`readability: ${fmt(b)}  ${(msTheirs / truths.length).toFixed(1)} ms/page`);
out(`groups below readability: ${worse} of ${rows.length}`);
const pick = (s: Summary) => ({
  precision: round(s.precision),
  recall: round(s.recall),
  f1: round(s.f1),
  meanPageF1: round(s.meanPageF1),
  exact: round(s.exact),
});
out(JSON.stringify({ pages: truths.length, dateline: pick(a), readability: pick(b) }));

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** A rough guess by script and a few function words: enough to group the pages. */
function language(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\u0400-\u04ff]{3}/.test(text)) return 'ru';
  const words = text.toLowerCase().split(/\W+/);
  const count = (list: string[]) => words.filter((w) => list.includes(w)).length;
  const scores: [string, number][] = [
    ['en', count(['the', 'and', 'of', 'to', 'is'])],
    ['pt', count(['não', 'uma', 'com', 'para', 'que', 'os', 'ao'])],
    ['it', count(['della', 'il', 'che', 'di', 'non', 'una', 'gli'])],
  ];
  return scores.sort((x, y) => y[1] - x[1])[0]?.[0] ?? 'en';
}

function site(url: string): string {
  const labels = new URL(url).hostname.replace(/^www\./, '').split('.');
  // `bbc.co.uk`, `globo.com.br`: a two-letter country code under a short generic label takes three labels.
  const three =
    labels.length > 2 &&
    (labels.at(-1) as string).length === 2 &&
    /^(co|com|org|net|gov|ac)$/.test(labels.at(-2) as string);
  return labels.slice(three ? -3 : -2).join('.');
}
