/**
 * Builds the demo content loaded into an empty database: the English Wikinews
 * 2019 articles (CC BY 2.5) with a section, tags, author and licence added by
 * the keyword rules in `scripts/demo-rules.ts`.
 *
 *   npx tsx scripts/build-demo.ts [--in PATH] [--out PATH] [--quiet]
 *
 * --in defaults to ../shared/data/wikinews_2019.jsonl.gz and --out to
 * demo/wikinews-2019.jsonl.gz, both relative to the repository root whatever
 * the working directory; paths given on the command line are relative to it.
 *
 * The output is deterministic (sorted, fixed gzip header), so a rebuild from the
 * same input is byte-identical and shows no diff.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  assignSection,
  FALLBACK_SECTION,
  leadParagraph,
  MAX_TAGS,
  rankTags,
  rankTagsByMentions,
  SECTION_RULES,
  SECTIONS,
  type Section,
} from './demo-rules.js';

/** Sections with fewer articles than this are folded into a neighbour: a near-empty section page looks broken. */
const MIN_SECTION_ARTICLES = 3;

const AUTHORS = ['Wikinews contributors'];
const LICENCE = 'CC BY 2.5';
const LICENCE_URL = 'https://creativecommons.org/licenses/by/2.5/';

type SourceArticle = { id: string; source: string; url: string; title: string; body: string; published: string };

type DemoArticle = SourceArticle & {
  section: Section;
  tags: string[];
  authors: string[];
  licence: string;
  licence_url: string;
};

function readSource(buf: Buffer): SourceArticle[] {
  const text = gunzipSync(buf).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      for (const key of ['id', 'source', 'url', 'title', 'body', 'published'] as const) {
        if (typeof r[key] !== 'string' || r[key] === '') throw new Error(`line ${i + 1}: missing "${key}"`);
      }
      return r as SourceArticle;
    });
}

/**
 * Sections for all articles. While some section (other than the fallback) has
 * too few articles, the smallest one is dropped and its articles re-assigned
 * to their next-best section, or its `mergeInto` neighbour.
 */
function assignSections(articles: readonly SourceArticle[]): Section[] {
  const dropped = new Set<Section>();
  for (;;) {
    const sections = articles.map((a) => assignSection(a.title, a.body, dropped));
    const counts = countBy(sections);
    // Drop the smallest first (ties: the lowest-priority section), then look again: its articles may prop up another.
    const small = SECTIONS.filter(
      (s) => s !== FALLBACK_SECTION && !dropped.has(s) && (counts.get(s) ?? 0) < MIN_SECTION_ARTICLES,
    ).sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || SECTIONS.indexOf(b) - SECTIONS.indexOf(a));
    const victim = small[0];
    if (!victim) return sections;
    dropped.add(victim);
  }
}

/**
 * Tags for all articles: each article's best MAX_TAGS gazetteer tags, leaving
 * out any tag that would be on one article only (a tag page with one story is
 * a dead end). The exception: an article keeps its best tag anyway when it
 * would otherwise have none, or none of those its headline names, because the
 * tags left would be places mentioned in passing ("Sitting Tongan Prime
 * Minister … dies" is not a New Zealand story). An article with no mention at
 * all in its title or lead is tagged from the rest of its body.
 */
function assignAllTags(articles: readonly SourceArticle[]): string[][] {
  const candidates = articles.map((a) => {
    const ranked = rankTags(a.title, leadParagraph(a.body));
    return ranked.length > 0 ? ranked : rankTagsByMentions(a.body).slice(0, 1);
  });
  const inHeadline = articles.map((a) => new Set(rankTags(a.title, '')));
  const choose = (i: number, banned: ReadonlySet<string>): string[] => {
    const all = candidates[i] as string[];
    const tags = all.filter((t) => !banned.has(t));
    const best = all[0];
    const headline = inHeadline[i] as Set<string>;
    if (best === undefined) return [];
    if (tags.length === 0) return [best];
    if (headline.has(best) && !tags.some((t) => headline.has(t))) return [best, ...tags].slice(0, MAX_TAGS);
    return tags.slice(0, MAX_TAGS);
  };
  // A tag no other article even mentions can never be shared, so it goes first; banning it before the loop keeps
  // it from pushing out a fifth candidate that would have been shared.
  const mentions = countBy(candidates.flatMap((c) => [...new Set(c)]));
  const banned = new Set([...mentions].filter(([, n]) => n === 1).map(([tag]) => tag));
  // Banning a singleton can let another article's fifth tag in, which may itself be a singleton: repeat until stable.
  for (;;) {
    const chosen = articles.map((_, i) => choose(i, banned));
    const counts = countBy(chosen.flat());
    const singletons = [...counts].filter(([tag, n]) => n === 1 && !banned.has(tag)).map(([tag]) => tag);
    if (singletons.length === 0) return chosen;
    for (const tag of singletons) banned.add(tag);
  }
}

/**
 * Wikinews bodies keep the legends of maps and charts ("██ Conservative Party
 * - 365 seats") whose images are not in the corpus; without the image they
 * read as noise, so those paragraphs are left out (see demo/ATTRIBUTION.md).
 */
export function withoutChartLegends(body: string): string {
  return body
    .split(/\n\s*\n/)
    .filter((p) => !/^\s*[█■▇▆]/.test(p))
    .join('\n\n');
}

function buildDemo(source: readonly SourceArticle[]): DemoArticle[] {
  const articles = [...source].sort((a, b) => cmp(a.published, b.published) || cmp(a.id, b.id));
  const sections = assignSections(articles);
  const tags = assignAllTags(articles);
  return articles.map((a, i) => ({
    // Fixed key order keeps the file diff-friendly.
    id: a.id,
    source: a.source,
    url: a.url,
    title: a.title,
    body: withoutChartLegends(a.body),
    published: a.published,
    section: sections[i] as Section,
    tags: tags[i] as string[],
    authors: AUTHORS,
    licence: LICENCE,
    licence_url: LICENCE_URL,
  }));
}

/**
 * gzip with a header that does not depend on when or where it ran: zlib already
 * writes mtime 0; the OS byte is pinned to Unix (3) because it follows the
 * platform zlib was built for.
 */
function deterministicGzip(text: string): Buffer {
  const out = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  out.writeUInt32LE(0, 4);
  out[9] = 3;
  return out;
}

function report(articles: readonly DemoArticle[]): string {
  const lines: string[] = [`${articles.length} articles`, '', 'Sections:'];
  const sections = countBy(articles.map((a) => a.section));
  for (const s of SECTION_RULES.map((r) => r.section)) {
    if (sections.has(s)) lines.push(`  ${s.padEnd(12)} ${sections.get(s)}`);
  }
  const tags = [...countBy(articles.flatMap((a) => a.tags))].sort(([a, x], [b, y]) => y - x || cmp(a, b));
  const tagsPerArticle = countBy(articles.map((a) => a.tags.length));
  lines.push(
    '',
    `Tags: ${tags.length} distinct; per article: ${[...tagsPerArticle]
      .sort(([a], [b]) => a - b)
      .map(([n, c]) => `${n}→${c}`)
      .join(', ')}`,
  );
  for (const [tag, n] of tags.slice(0, 20)) lines.push(`  ${tag.padEnd(28)} ${n}`);
  lines.push('', 'Samples:');
  // Ten articles spread evenly over the year, so the sample is the same on every run.
  for (let k = 0; k < Math.min(10, articles.length); k++) {
    const a = articles[Math.floor((k * articles.length) / 10)] as DemoArticle;
    lines.push(`  ${a.title} → ${a.section} [${a.tags.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function countBy<T>(items: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function main(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { values } = parseArgs({
    options: {
      in: { type: 'string', default: resolve(root, '../shared/data/wikinews_2019.jsonl.gz') },
      out: { type: 'string', default: resolve(root, 'demo/wikinews-2019.jsonl.gz') },
      quiet: { type: 'boolean', default: false },
    },
  });
  const articles = buildDemo(readSource(readFileSync(values.in)));
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, deterministicGzip(articles.map((a) => `${JSON.stringify(a)}\n`).join('')));
  if (!values.quiet) process.stdout.write(report(articles));
  process.stdout.write(`wrote ${values.out}\n`);
}

main();
