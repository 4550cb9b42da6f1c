import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestDb, describeTargets, type TestDb } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import { type AuditLog, createAuditLog } from './audit.service.js';

describeTargets('the audit log on $dialect', (target) => {
  let t: TestDb;
  let audit: AuditLog;
  const at = new Date('2025-03-03T09:00:00.000Z');
  beforeAll(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
    audit = createAuditLog({ database: t.database, now: () => at });
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.database.db.deleteFrom('audit_log').execute();
    await t.database.db.deleteFrom('users').execute();
  });

  async function addUser(email: string): Promise<number> {
    const row = await t.database.db
      .insertInto('users')
      .values({
        email,
        name: email,
        role: 'admin',
        password_hash: 'x',
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
        password_changed_at: at.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('records inside the caller’s transaction: kept with its commit, gone with its rollback', async () => {
    const userId = await addUser('ed@news.test');
    await t.database.db.transaction().execute(async (trx) => {
      await audit.record(trx, {
        actorId: userId,
        action: 'article.published',
        subject: 'article:12',
        detail: { headline: 'Talks resume' },
        ip: '192.0.2.7',
      });
    });
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await audit.record(trx, { actorId: userId, action: 'article.unpublished', subject: 'article:12' });
        throw new Error('the unpublish failed after its audit entry');
      }),
    ).rejects.toThrow('the unpublish failed');
    const { entries, next } = await audit.list();
    expect(next).toBeUndefined();
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at,
        actorId: userId,
        action: 'article.published',
        subject: 'article:12',
        detail: { headline: 'Talks resume' },
        ip: '192.0.2.7',
      },
    ]);
  });

  it('pages newest first by keyset, with no entry missed or repeated, filtered by actor and action', async () => {
    const [ed, amy] = [await addUser('ed@news.test'), await addUser('amy@news.test')];
    for (let i = 0; i < 7; i++) {
      await audit.record(t.database.db, { actorId: i % 2 ? amy : ed, action: i % 3 ? 'login' : 'logout' });
    }
    await audit.record(t.database.db, { action: 'login.failed', detail: { email: 'who@news.test' } });
    const seen: number[] = [];
    let page = await audit.list({}, 3);
    for (;;) {
      seen.push(...page.entries.map((e) => e.id));
      if (page.next === undefined) break;
      page = await audit.list({ before: page.next }, 3);
    }
    expect(seen).toHaveLength(8);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(8);

    const amys = await audit.list({ actorId: amy }, 10);
    expect(amys.entries.map((e) => e.actorId)).toEqual([amy, amy, amy]);
    const edLogins = await audit.list({ actorId: ed, action: 'login' }, 10);
    expect(edLogins.entries.map((e) => [e.actorId, e.action])).toEqual([
      [ed, 'login'],
      [ed, 'login'],
    ]);
    const failed = await audit.list({ action: 'login.failed' });
    expect(failed.entries[0]).not.toHaveProperty('actorId');
  });

  it('refuses a malformed action name (a caller’s bug) and a page size out of bounds', async () => {
    await expect(audit.record(t.database.db, { action: 'Logged In!' })).rejects.toThrow(/action must be/);
    await expect(audit.record(t.database.db, { action: '' })).rejects.toThrow(/action must be/);
    await expect(audit.list({}, 0)).rejects.toMatchObject({ code: 'BAD_QUERY' });
    await expect(audit.list({}, 501)).rejects.toMatchObject({ code: 'BAD_QUERY' });
  });

  it('reads a page for one actor or one action as one index range, newest first (fast at millions of rows)', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      at: at.toISOString(),
      action: `kind${i % 50}`,
      actor_id: null,
      subject: null,
      detail: null,
      ip: null,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await t.database.db
        .insertInto('audit_log')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await sql`analyze`.execute(t.database.db);
    const plan = (query: ReturnType<typeof sql>) =>
      t.database.db.transaction().execute(async (trx) => {
        if (target.dialect === 'postgres') {
          // A few thousand rows are cheaper to sort than to walk in order: take sorting off the table, as millions of
          // rows would, to see whether an index gives the order the page needs.
          await sql`set local enable_sort = off`.execute(trx);
          await sql`set local enable_bitmapscan = off`.execute(trx);
          await sql`set local enable_seqscan = off`.execute(trx);
        }
        const explain = target.dialect === 'sqlite' ? sql`explain query plan ${query}` : sql`explain ${query}`;
        const result = await explain.execute(trx);
        return (result.rows as Record<string, string>[]).map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
      });
    const byAction = await plan(
      sql`select * from audit_log where action = 'kind7' and id < 1500 order by id desc limit 51`,
    );
    const byActor = await plan(sql`select * from audit_log where actor_id = 1 and id < 1500 order by id desc limit 51`);
    const all = await plan(sql`select * from audit_log where id < 1500 order by id desc limit 51`);
    if (target.dialect === 'sqlite') {
      expect(byAction).toMatch(/SEARCH audit_log USING INDEX audit_log_action \(action=\? AND id<\?\)/);
      expect(byActor).toMatch(/SEARCH audit_log USING INDEX audit_log_actor \(actor_id=\? AND id<\?\)/);
      expect(all).toMatch(/SEARCH audit_log USING INTEGER PRIMARY KEY \(rowid<\?\)/);
      for (const p of [byAction, byActor, all]) expect(p).not.toMatch(/TEMP B-TREE/);
    } else {
      expect(byAction).toMatch(/Index Scan Backward using audit_log_action on audit_log/);
      expect(byActor).toMatch(/Index Scan Backward using audit_log_actor on audit_log/);
      expect(all).toMatch(/Index Scan Backward using audit_log_pkey on audit_log/);
      for (const p of [byAction, byActor, all]) expect(p).not.toMatch(/Sort|Seq Scan/);
    }
  });
});
