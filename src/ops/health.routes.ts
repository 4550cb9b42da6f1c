/**
 * Health endpoints for load balancers and orchestrators: `/healthz` says the
 * process is up; `/readyz` says it can serve (database reachable, and the
 * cache bus connected when there is one).
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/connect.js';
import type { Invalidator } from '../instances/invalidation.js';

export async function healthRoutes(
  app: FastifyInstance,
  deps: { database: Database; invalidator: Invalidator },
): Promise<void> {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    const [database, bus] = await Promise.all([databaseReady(deps.database, request.log), deps.invalidator.ready()]);
    const ok = database && bus;
    return reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ok ? 'ok' : 'unavailable',
        database: database ? 'ok' : 'down',
        ...(deps.invalidator.transport !== 'none' ? { [deps.invalidator.transport]: bus ? 'ok' : 'down' } : {}),
      });
  });
}

async function databaseReady(database: Database, log: { warn(o: object, m: string): void }): Promise<boolean> {
  try {
    await database.db.selectFrom('sections').select('id').limit(1).execute();
    return true;
  } catch (err) {
    log.warn({ err }, 'database not ready');
    return false;
  }
}
