/**
 * Synthetic rows for `bench/explain.ts`, generated inside the database (no
 * row crosses the wire): `generate_series` on PostgreSQL, a recursive CTE on
 * SQLite. Deterministic: article i gets the same section, status, dates, tags,
 * author and headline on both databases, and `headlineWords(i)` mirrors the
 * SQL so the benchmark can pick real search terms.
 */
import type { Dialect } from '../../src/db/connect.js';

export interface Shape {
  rows: number;
  sections: number;
  authors: number;
  tags: number;
  /** Tags 1..popularTags carry one article in `popularTags`; the rest form a long tail. */
  popularTags: number;
  /** Articles 1..relatedArticles have a stored related list of RELATED_PER_ARTICLE. */
  relatedArticles: number;
  /** Unix seconds: publication times end here and go back FIVE_YEARS. */
  now: number;
}

export const RELATED_PER_ARTICLE = 5;
const FIVE_YEARS = 5 * 365 * 86_400;

export function shapeFor(rows: number, now: number): Shape {
  return {
    rows,
    sections: 20,
    authors: 5_000,
    tags: 50_000,
    popularTags: 100,
    relatedArticles: Math.min(200_000, rows),
    now,
  };
}

// 64 common words (space-padded to 10 characters each) and 32 syllables for rarer made-up words.
const COMMON = (
  'minister election court police market storm strike budget hospital school council river bank energy ' +
  'prices health trade union rail airport protest summit climate housing water fire festival museum ' +
  'football cricket harbour bridge village factory farmers doctors teachers students research science ' +
  'report inquiry verdict deal talks plan tax jobs wages rents flood drought heatwave ballot vote poll ' +
  'party leader mayor governor city coast island border'
)
  .split(' ')
  .map((word) => word.padEnd(10))
  .join('');
const SYLLABLES = 'bakedilomurasetivonapeguhajikolumenipoqurusatevixoyazefagohijoku';

// Multiplicative hashes of the article id, 32 bits: well mixed in their high bits.
const H = (i: string) => `((${i} * 2654435761) % 4294967296)`;
const G = (i: string) => `((${i} * 2246822519 + 3266489917) % 4294967296)`;
const K = (i: string) => `((${i} * 3266489917 + 374761393) % 4294967296)`;

/** The words of article i's headline, as the SQL below builds them. */
export function headlineWords(i: number): string[] {
  const n = BigInt(i);
  const h = (n * 2654435761n) % 4294967296n;
  const g = (n * 2246822519n + 3266489917n) % 4294967296n;
  const bits = (x: bigint, shift: number, mask: number) => Number((x >> BigInt(shift)) & BigInt(mask));
  const common = (k: number) => COMMON.slice(10 * k, 10 * k + 10).trimEnd();
  const syl = (k: number) => SYLLABLES.slice(2 * k, 2 * k + 2);
  return [
    common(bits(h, 26, 63)),
    common(bits(g, 26, 63)),
    syl(bits(h, 16, 31)) + syl(bits(h, 21, 31)),
    syl(bits(g, 11, 31)) + syl(bits(g, 16, 31)) + syl(bits(g, 21, 31)),
  ];
}

export interface Step {
  label: string;
  sql: string;
}

/** The statements that fill a freshly migrated database, in order (run them in one transaction on SQLite). */
export function fillSteps(dialect: Dialect, shape: Shape, options: { fts: boolean }): Step[] {
  const pg = dialect === 'postgres';
  const int = (e: string) => (pg ? `(${e})::int` : `(${e})`);
  const ts = (e: string) => (pg ? `to_timestamp(${e})` : `strftime('%Y-%m-%dT%H:%M:%fZ', ${e}, 'unixepoch')`);
  /** `i` from 1 to n: a table-valued function on PostgreSQL, a recursive CTE on SQLite. */
  const series = (n: number) =>
    pg
      ? { with: '', from: `generate_series(1::bigint, ${n}) as s(i)` }
      : { with: `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n})`, from: 's' };
  const named = (table: string, prefix: string, n: number, extra = '') => {
    const s = series(n);
    const [cols, vals] = extra ? [`, ${extra}`, ', i'] : ['', ''];
    return `${s.with} insert into ${table} (id, slug, name${cols})
      select i, '${prefix}-' || i, '${prefix[0]?.toUpperCase()}${prefix.slice(1)} ' || i${vals} from ${s.from}`;
  };
  const common = (e: string) => `rtrim(substr('${COMMON}', ${int(`1 + 10 * (${e})`)}, 10))`;
  const syl = (e: string) => `substr('${SYLLABLES}', ${int(`1 + 2 * (${e})`)}, 2)`;
  const headline = `${common('(h >> 26) & 63')} || ' ' || ${common('(g >> 26) & 63')} || ' ' ||
    ${syl('(h >> 16) & 31')} || ${syl('(h >> 21) & 31')} || ' ' ||
    ${syl('(g >> 11) & 31')} || ${syl('(g >> 16) & 31')} || ${syl('(g >> 21) & 31')}`;
  const { rows: n, now } = shape;
  const start = now - FIVE_YEARS;
  // 90% published; of the rest (by (i / 10) % 100): 60% drafts, 39% archived, 1% scheduled.
  const status = `case when i % 10 <> 0 then 'published' when (i / 10) % 100 < 60 then 'draft'
    when (i / 10) % 100 < 99 then 'archived' else 'scheduled' end`;
  const created = `${start} + (i * ${FIVE_YEARS}) / ${n} - (h % 43200)`;
  const pub = `case when i % 10 <> 0 or (i / 10) % 100 between 60 and 98 then ${created}
    when (i / 10) % 100 = 99 then ${now} + 3600 * (1 + i % 2000) end`;
  const lorem = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. '.repeat(
    10,
  );
  const s = series(n);
  const articles = `${s.with} insert into articles (id, external_id, slug, headline, standfirst, body, lead_image,
      section_id, status, language, published_at, updated_at, created_at, source_name, source_url)
    select i, 'ext-' || i, 'article-' || i, headline, 'Standfirst: ' || headline || ', in brief.',
      '[{"type":"paragraph","html":"' || headline || '. ${lorem}"}]',
      case when i % 3 = 0 then '{"src":"/media/' || i || '.jpg","alt":"Photo"}' end,
      1 + (h >> 8) % ${shape.sections}, status, 'en', ${ts('pub')}, ${ts('coalesce(pub, created)')}, ${ts('created')},
      case when i % 2 = 0 then 'Wire' end, case when i % 2 = 0 then 'https://wire.example/story/' || i end
    from (select i, h, ${headline} as headline, ${status} as status, ${pub} as pub, ${created} as created
          from (select i, ${H('i')} as h, ${G('i')} as g from ${s.from}) x) y`;
  // Join rows carry the publication time only while the article is published (as replaceArticleLinks does).
  const joinPublished = `case when status = 'published' then published_at end`;
  const r = series(shape.relatedArticles);
  const steps: Step[] = [
    { label: 'sections', sql: named('sections', 'section', shape.sections, 'position') },
    { label: 'authors', sql: named('authors', 'author', shape.authors) },
    { label: 'tags', sql: named('tags', 'tag', shape.tags) },
    { label: 'articles', sql: articles },
    {
      label: 'article_tags (popular)',
      sql: `insert into article_tags (article_id, tag_id, published_at)
        select id, 1 + (${K('id')} >> 16) % ${shape.popularTags}, ${joinPublished} from articles`,
    },
    {
      label: 'article_tags (tail)',
      sql: `insert into article_tags (article_id, tag_id, published_at)
        select id, ${shape.popularTags + 1} + (${K('id')} >> 2) % ${shape.tags - shape.popularTags}, ${joinPublished}
        from articles`,
    },
    {
      label: 'article_authors',
      sql: `insert into article_authors (article_id, author_id, position, published_at)
        select id, 1 + (${H('id')} >> 4) % ${shape.authors}, 0, ${joinPublished} from articles`,
    },
    {
      label: 'related_articles',
      sql: `${r.with} insert into related_articles (article_id, rank, related_id, score)
        select i, k, 1 + (i * 7919 + k * 104729) % ${n}, 1.0 - k * 0.1 from ${r.from}
        cross join (select 0 as k union all select 1 union all select 2 union all select 3 union all select 4) ranks`,
    },
  ];
  if (options.fts) {
    steps.push({
      label: 'full-text index (headlines of published articles)',
      sql: pg
        ? `insert into article_search (article_id, document)
           select id, to_tsvector('english', headline) from articles where status = 'published'`
        : `insert into articles_fts (rowid, headline, standfirst, body)
           select id, headline, '', '' from articles where status = 'published'`,
    });
  }
  return steps;
}
