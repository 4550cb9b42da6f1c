import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServices, describeTargets, settle, type TestServices } from '../../test/helpers.js';
import { PRUNE_ACCOUNTS_JOB } from './accounts.jobs.js';
import { PASSWORD } from './fixtures/accounts.js';

describeTargets('the services’ accounts on $dialect', (target) => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices({}, target);
  });
  afterAll(() => t.cleanup());

  it('are reachable from the services, and their hourly upkeep job deletes what has expired', async () => {
    const { accounts, audit, database, jobs } = t.services;
    await accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password: PASSWORD });
    const live = await accounts.login({ email: 'ed@news.test', password: PASSWORD });
    const stale = await accounts.login({ email: 'ed@news.test', password: PASSWORD });
    await database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', stale.session.id)
      .execute();
    await jobs.send(PRUNE_ACCOUNTS_JOB, {});
    await settle(t.services);
    const left = await database.db.selectFrom('sessions').select('id').execute();
    expect(left.map((r) => r.id)).toEqual([live.session.id]);
    // The service's audit log and the services' are one log.
    expect((await audit.list({ action: 'login' })).entries).toHaveLength(2);
  });
});
