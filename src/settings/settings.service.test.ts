import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  articleInput,
  createInstance,
  createTestApp,
  createTestDb,
  describeTargets,
  type TestApp,
  until,
} from '../../test/helpers.js';

describeTargets('site settings on $dialect', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SITE_NAME: 'Env Name', SITE_TIMEZONE: 'America/New_York' }, target);
    await t.app.dateline.articles.save(
      articleInput({ headline: 'Late night council vote', publishedAt: new Date('2024-03-06T03:30:00Z') }),
    );
  });
  afterAll(() => t.cleanup());

  it('start from the environment, and a change shows on every page at once, without a restart', async () => {
    const { settings } = t.app.dateline;
    expect(settings.current()).toMatchObject({ siteName: 'Env Name', timeZone: 'America/New_York' });
    const before = await t.app.inject('/');
    expect(before.body).toContain('<title>Env Name</title>');
    // Published 03:30 UTC: the 5th in New York, the 6th in Kyiv — the article's address follows the zone.
    expect(before.body).toMatch(/href="\/world\/2024\/03\/05\/late-night-council-vote"/);

    await settings.update({ siteName: 'The Harbour Times', timeZone: 'Europe/Kyiv' });
    const after = await t.app.inject('/');
    expect(after.body).toContain('<title>The Harbour Times</title>');
    expect(after.body).toMatch(/href="\/world\/2024\/03\/06\/late-night-council-vote"/);
    // The old address still leads there.
    const old = await t.app.inject('/world/2024/03/05/late-night-council-vote');
    expect([old.statusCode, old.headers.location]).toEqual([301, '/world/2024/03/06/late-night-council-vote']);
  });

  it('refuses a wrong value with INVALID_SETTINGS and every problem, changing nothing', async () => {
    const { settings } = t.app.dateline;
    const before = settings.current();
    await expect(
      settings.update({ siteName: ' ', timeZone: 'Mars/Olympus', logo: 'javascript:x' }),
    ).rejects.toMatchObject({
      code: 'INVALID_SETTINGS',
      statusCode: 422,
      details: {
        problems: [
          expect.objectContaining({ key: 'siteName' }),
          expect.objectContaining({ key: 'logo' }),
          expect.objectContaining({ key: 'timeZone' }),
        ],
      },
    });
    expect(settings.current()).toEqual(before);
  });

  it('shows an uploaded logo in the header, with the name as its text', async () => {
    await t.app.dateline.settings.update({ logo: '/media/images/abc/logo.png' });
    expect((await t.app.inject('/')).body).toContain(
      '<img class="site-logo" src="/media/images/abc/logo.png" alt="The Harbour Times">',
    );
  });
});

describeTargets('site settings across instances on $dialect', (target) => {
  it.runIf(target.dialect === 'postgres')('reach another instance sharing the database', async () => {
    const db = await createTestDb(target);
    const channel = { CACHE_CHANNEL: `s_${process.pid}_${Date.now()}` };
    const [a, b] = [await createInstance(db, channel), await createInstance(db, channel)];
    try {
      await b.inject('/');
      await a.dateline.settings.update({ siteName: 'Renamed Everywhere' });
      await until(async () => (await b.inject('/')).body.includes('<title>Renamed Everywhere</title>'));
    } finally {
      await a.close();
      await b.close();
      await db.cleanup();
    }
  });
});
