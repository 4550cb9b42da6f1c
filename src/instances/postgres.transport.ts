/**
 * Invalidation messages over PostgreSQL LISTEN/NOTIFY, for sites with
 * PostgreSQL and no Redis. A dedicated connection listens, and reconnects
 * with backoff when it drops.
 */
import type pg from 'pg';
import type { Transport } from './invalidation.js';

/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7900;

export async function postgresTransport(url: string, channel: string): Promise<Transport> {
  const { default: pgModule } = await import('pg');
  const ident = channel.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const publisher = new pgModule.Pool({ connectionString: url, max: 1 });
  publisher.on('error', () => {});
  let listener: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let reconnecting = false;

  async function connectListener(onMessage: (m: string) => void, onLost: () => void): Promise<pg.Client> {
    const client = new pgModule.Client({ connectionString: url });
    client.on('notification', (n) => {
      if (n.channel === ident && n.payload) onMessage(n.payload);
    });
    client.on('error', onLost);
    client.on('end', onLost);
    await client.connect();
    await client.query(`listen ${ident}`);
    return client;
  }

  return {
    name: 'postgres',
    async publish(message) {
      // Too many tags for one notification: tell the others to drop everything instead.
      const payload =
        Buffer.byteLength(message) > MAX_PAYLOAD
          ? JSON.stringify({ from: (JSON.parse(message) as { from: string }).from, tags: ['*'] })
          : message;
      await publisher.query('select pg_notify($1, $2)', [ident, payload]);
    },
    async start(onMessage, onReconnect) {
      const onLost = () => {
        connected = false;
        if (closed || reconnecting) return;
        reconnecting = true;
        void (async () => {
          for (let delay = 100; !closed; delay = Math.min(delay * 2, 5_000)) {
            await new Promise((r) => setTimeout(r, delay));
            try {
              listener = await connectListener(onMessage, onLost);
              connected = true;
              reconnecting = false;
              onReconnect();
              return;
            } catch {
              // the database is still away; wait longer
            }
          }
        })();
      };
      listener = await connectListener(onMessage, onLost);
      connected = true;
    },
    ready: async () => connected,
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await publisher.end();
    },
  };
}
