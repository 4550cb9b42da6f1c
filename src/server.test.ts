import { afterEach, expect, it } from 'vitest';
import { articleInput, createTestServices, describeTargets, type TestDb } from '../test/helpers.js';
import { loadConfig } from './config.js';
import { startServer } from './server.js';

describeTargets('starting the server on $dialect', (target) => {
  let db: TestDb | undefined;
  afterEach(async () => {
    await db?.cleanup();
    db = undefined;
  });

  it('publishes at start the scheduled articles whose time passed while no server ran', async () => {
    // Scheduled while the site was up; its time comes while no server runs (the sweep never saw it).
    const t = await createTestServices({}, target);
    const { id } = await t.services.articles.create(
      articleInput({ status: 'scheduled', publishedAt: new Date(Date.now() + 60_000) }),
    );
    await t.services.database.db
      .updateTable('articles')
      .set({ published_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('id', '=', id)
      .execute();
    const config = loadConfig({
      DATABASE_URL: t.config.databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DEMO_CONTENT: 'off',
      WEATHER_PROVIDER: 'none',
      MEDIA_DIR: t.config.mediaDir,
      JOBS_SCHEMA: t.config.jobs.schema,
    });
    const app = await startServer(config);
    try {
      // Published before the server says it is ready, not at the sweep's next minute.
      expect((await app.dateline.articles.get(id))?.status).toBe('published');
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});
