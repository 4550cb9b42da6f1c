/**
 * Latest news and the home page list one article per story: the same wire
 * story carried by three partners (near-duplicates, joined in one story by
 * the related engine) is shown once, as its newest copy.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, settle, type TestServices } from '../../test/helpers.js';
import { createSiteService, type SiteService } from './site.service.js';

const WIRE = [
  'Rescue teams reached the flooded villages of the Drava valley on Tuesday after three days of heavy rain',
  'cut roads and power lines across the region, the civil protection agency said.',
  'More than four thousand residents were evacuated to schools and sports halls in Maribor and Ptuj,',
  'and the army sent helicopters to lift stranded families from rooftops.',
].join(' ');

describeTargets('one article per story in Latest news and on the home page, on $dialect', (target) => {
  let t: TestServices;
  let site: SiteService;
  const copies: number[] = [];
  const others: number[] = [];

  beforeAll(async () => {
    t = await createTestServices({}, target);
    const { articles, database, related, invalidator } = t.services;
    site = createSiteService({ database, related, invalidator });
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 9, minutes));
    const partners = ['Harbour Wire', 'Fjord Post', 'Northern Ledger'];
    for (const [i, partner] of partners.entries()) {
      const saved = await articles.save(
        articleInput({
          headline: 'Floods force thousands from homes in the Drava valley',
          standfirst: '',
          body: [{ type: 'paragraph', html: `${WIRE} (${partner})` }],
          publishedAt: at(10 + i * 5),
          source: { name: partner, url: `https://partner${i}.example/floods` },
        }),
      );
      copies.push(saved.id);
    }
    const stories = [
      [
        'Central bank holds rates at 3.25%',
        'The governor said inflation was easing, wages were steady and mortgage lenders expected cheaper loans by summer.',
      ],
      [
        'Chess champion retains title in Oslo',
        'A quiet draw with black in the final game was enough for the Norwegian grandmaster after twelve hard rounds.',
      ],
    ] as const;
    for (const [i, [headline, text]] of stories.entries()) {
      others.push(
        (
          await articles.save(
            articleInput({
              headline,
              standfirst: '',
              body: [{ type: 'paragraph', html: text }],
              section: { name: i ? 'Sport' : 'Business' },
              publishedAt: at(1 + i),
            }),
          )
        ).id,
      );
    }
    await settle(t.services);
  });
  afterAll(() => t?.cleanup());

  it('joins the copies in one story', async () => {
    expect((await t.services.related.story(copies[0]!)).map((a) => a.id).sort()).toEqual([copies[1], copies[2]].sort());
  });

  it('lists the newest copy once on the home page, in Latest news and in the section blocks', async () => {
    const home = await site.homePage();
    const latest = home.latest.map((a) => a.id);
    expect(latest).toEqual([copies[2], others[1], others[0]]);
    const inBlocks = home.bySection.flatMap((s) => s.articles.map((a) => a.id));
    for (const id of copies) expect(inBlocks).not.toContain(id);
    const notFound = await site.notFoundPage();
    expect(notFound.latest.filter((a) => copies.includes(a.id))).toHaveLength(1);
  });
});
