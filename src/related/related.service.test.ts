import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';

describeTargets('related news on $dialect', (target) => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({}, target);
    const save = async (
      key: string,
      headline: string,
      standfirst: string,
      day: number,
      status: 'published' | 'draft' = 'published',
    ) => {
      ids[key] = (
        await t.app.dateline.articles.save(
          articleInput({
            headline,
            standfirst,
            // A body of its own: the factory's shared boilerplate would make every test article a little alike.
            body: [{ type: 'paragraph', html: standfirst }],
            status,
            publishedAt: new Date(Date.UTC(2024, 5, day, 12)),
          }),
        )
      ).id;
    };
    await save(
      'quake',
      'Earthquake shakes coastal city of Valmora',
      'A strong earthquake hit Valmora, damaging the harbour.',
      1,
    );
    await save(
      'followup',
      'Valmora earthquake: rescuers search harbour rubble',
      'Rescuers in Valmora searched the harbour after the earthquake.',
      3,
    );
    await save(
      'draft',
      'Valmora earthquake draft not yet published',
      'Draft about the Valmora earthquake harbour.',
      4,
      'draft',
    );
    await save(
      'unrelated',
      'Chess champion retains title after long final',
      'The champion won the final game in a tiebreak.',
      2,
    );
    // Lists are computed by the publishing jobs, after each save's commit.
    await settle(t.app);
  });
  afterAll(() => t.cleanup());

  it('links older coverage forward to a follow-up published later', async () => {
    const related = await t.app.dateline.related.read(ids.quake!);
    expect(related.map((r) => r.id)).toEqual([ids.followup]);
  });

  it('never lists the article itself, an unpublished one, or an unrelated one', async () => {
    const related = (await t.app.dateline.related.read(ids.followup!)).map((r) => r.id);
    expect(related).toContain(ids.quake);
    expect(related).not.toContain(ids.followup);
    expect(related).not.toContain(ids.draft);
    expect(related).not.toContain(ids.unrelated);
    expect(await t.app.dateline.related.read(ids.unrelated!)).toEqual([]);
  });

  it('groups coverage of one event published hours apart into a story, and explains each link', async () => {
    const at = (hour: number) => new Date(Date.UTC(2024, 6, 1, hour));
    const first = await t.app.dateline.articles.save(
      articleInput({
        headline: 'Grindavik volcano erupts, lava flows toward town',
        standfirst: 'A volcano near Grindavik erupted overnight and lava flowed toward the town.',
        publishedAt: at(1),
      }),
    );
    const second = await t.app.dateline.articles.save(
      articleInput({
        headline: 'Grindavik volcano: lava flows reach town defences',
        standfirst: 'Lava from the Grindavik volcano reached the town defences, officials said.',
        publishedAt: at(4),
      }),
    );
    await settle(t.app);
    expect((await t.app.dateline.related.story(second.id)).map((a) => a.id)).toEqual([first.id]);
    expect((await t.app.dateline.related.story(first.id)).map((a) => a.id)).toEqual([second.id]);
    expect((await t.app.dateline.related.story(ids.unrelated!)).map((a) => a.id)).toEqual([]);

    const why = await t.app.dateline.related.explain(second.id);
    const link = why.find((w) => w.id === first.id);
    expect(link?.sameStory).toBe(true);
    expect(link?.hoursApart).toBe(-3);
    expect(link?.sharedTerms).toEqual(expect.arrayContaining(['grindavik', 'volcano', 'lava']));
    expect(link?.similarity).toBeGreaterThan(0.2);
  });

  it('counts shared tags, for articles saved and for scheduled ones when they are published', async () => {
    const at = (day: number) => new Date(Date.UTC(2024, 8, day, 9));
    const tags = [{ name: 'Ferry services' }];
    const first = await t.app.dateline.articles.save(
      articleInput({ headline: 'Island ferry timetable cut for winter', tags, publishedAt: at(1) }),
    );
    const second = await t.app.dateline.articles.save(
      articleInput({ headline: 'Fewer winter sailings to the island', tags, publishedAt: at(2) }),
    );
    await settle(t.app);
    const link = (await t.app.dateline.related.explain(second.id)).find((w) => w.id === first.id);
    expect(link?.sharedLabels).toContain('#Ferry services');
    expect(link?.sharedTerms).not.toContain('#Ferry services');

    const scheduled = await t.app.dateline.articles.save(
      articleInput({ headline: 'Winter sailings resume early', tags, status: 'scheduled', publishedAt: at(3) }),
    );
    // Its time has passed: the queue's publication job (or the sweep) publishes it, then its lists follow.
    await t.app.dateline.articles.publishDue();
    await settle(t.app);
    expect((await t.app.dateline.articles.get(scheduled.id))?.status).toBe('published');
    const why = await t.app.dateline.related.explain(scheduled.id);
    expect(why.find((w) => w.id === second.id)?.sharedLabels).toContain('#Ferry services');
  });

  it('rebuilds the index, stories and lists from the articles alone', async () => {
    const before = (await t.app.dateline.related.read(ids.quake!)).map((r) => r.id);
    await t.app.dateline.database.db.deleteFrom('related_articles').execute();
    const phases = new Set<string>();
    const total = await t.app.dateline.related.rebuild((phase) => phases.add(phase));
    expect(total).toBeGreaterThanOrEqual(4);
    expect([...phases]).toEqual(['index', 'weigh', 'stories', 'lists']);
    expect((await t.app.dateline.related.read(ids.quake!)).map((r) => r.id)).toEqual(before);
    expect(before).toContain(ids.followup);
  });

  it('drops an article from other lists when it is unpublished', async () => {
    const input = articleInput({
      headline: 'Valmora earthquake toll rises',
      standfirst: 'The Valmora earthquake toll rose.',
    });
    const { id } = await t.app.dateline.articles.save(input);
    await settle(t.app);
    expect((await t.app.dateline.related.read(ids.quake!)).map((r) => r.id)).toContain(id);
    await t.app.dateline.articles.save({ ...input, status: 'archived' });
    await settle(t.app);
    expect((await t.app.dateline.related.read(ids.quake!)).map((r) => r.id)).not.toContain(id);
  });
});
