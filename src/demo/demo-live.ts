/**
 * The demo's live coverage: the 2019 Hong Kong protests, one entry per
 * Wikinews report of that story shipped in `demo/` (CC BY 2.5), each at its
 * report's time with its opening paragraphs and a link to the full report;
 * the turning points are key events and the newest entry is pinned. The
 * coverage belongs to the newest report, whose page links to it, so a
 * newcomer finds a live page on first start. Loaded once, beside the demo
 * articles, and only when they are there.
 *
 * @example
 *   await loadDemoLive(database, clock); // the coverage's id, or undefined when skipped
 */
import type { Article, Block } from '../articles/article.js';
import { findArticleById, findArticlesByExternalIds } from '../articles/article.repository.js';
import type { Database } from '../db/connect.js';
import { escapeHtml } from '../lib/html.js';
import { slugify } from '../lib/slug.js';
import type { Clock } from '../lib/time.js';
import { entryBody } from '../live/live.js';
import { insertCoverage, insertEntry, listCoverages, updateEntry } from '../live/live.repository.js';
import { articlePath } from '../site/urls.js';

const HEADLINE = 'Hong Kong protests';
const STANDFIRST =
  'Updates from the 2019 protests in Hong Kong, from the extradition bill to the district council elections, ' +
  'made from Wikinews reports (CC BY 2.5).';

/** The reports, oldest first, and the key events among them (the label shown in the key-events list). */
const REPORTS: { id: string; keyEvent?: string }[] = [
  { id: 'wikinews:Hong_Kong_protesters_surround_downtown_police_complex' },
  { id: 'wikinews:Hong_Kong_protests_continue_through_police_opposition,_rainstorms' },
  {
    id: 'wikinews:Hong_Kong_leader_announces_withdrawal_of_extradition_bill',
    keyEvent: 'The extradition bill is withdrawn',
  },
  {
    id: 'wikinews:Police_shoot_teenage_protester_as_Hong_Kong_demonstrations_continue',
    keyEvent: 'Police shoot a teenage protester',
  },
  { id: 'wikinews:Hong_Kong%27s_Carrie_Lam_delivers_speech_on_video_after_protests_in_legislature' },
  {
    id: 'wikinews:Hundreds_of_Hong_Kong_district_council_seats_go_to_pro-democracy_candidates',
    keyEvent: 'Pro-democracy candidates win the district councils',
  },
];

/** Paragraphs of a report an entry opens with. */
const LEAD_PARAGRAPHS = 2;

export async function loadDemoLive(database: Database, clock: Clock): Promise<number | undefined> {
  const { db } = database;
  if ((await listCoverages(db, { limit: 1 })).length > 0) return undefined;
  const found = await findArticlesByExternalIds(
    db,
    REPORTS.map((r) => r.id),
  );
  const reports: { article: Article; keyEvent?: string }[] = [];
  for (const r of REPORTS) {
    const row = found.get(r.id);
    const article = row && row.status === 'published' ? await findArticleById(db, row.id) : undefined;
    if (article?.publishedAt) reports.push({ article, ...(r.keyEvent ? { keyEvent: r.keyEvent } : {}) });
  }
  const newest = reports.at(-1)?.article;
  if (!newest?.publishedAt) return undefined;
  return db.transaction().execute(async (trx) => {
    const coverageId = await insertCoverage(trx, {
      slug: slugify(HEADLINE),
      headline: HEADLINE,
      standfirst: STANDFIRST,
      status: 'live',
      articleId: newest.id,
      startedAt: reports[0]!.article.publishedAt!,
      updatedAt: newest.publishedAt!,
      createdBy: null,
    });
    let last = 0;
    for (const { article, keyEvent } of reports) {
      const at = article.publishedAt!;
      const id = await insertEntry(trx, {
        coverageId,
        body: entryOf(article, clock),
        authors: article.authors.map((a) => a.name),
        state: 'published',
        createdBy: null,
        at,
      });
      if (keyEvent) await updateEntry(trx, id, { keyEvent, at });
      last = id;
    }
    await updateEntry(trx, last, { pinned: true, at: newest.publishedAt! });
    return coverageId;
  });
}

function entryOf(article: Article, clock: Clock): Block[] {
  const lead = article.body.filter((b) => b.type === 'paragraph').slice(0, LEAD_PARAGRAPHS);
  const href = articlePath({ ...article, publishedAt: article.publishedAt! }, clock);
  const link = `Full report: <a href="${escapeHtml(href)}">${escapeHtml(article.headline)}</a>`;
  return entryBody([...lead, { type: 'paragraph', html: link }]);
}
