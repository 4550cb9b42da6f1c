/**
 * Invalidation messages over Redis pub/sub (ioredis, which reconnects by
 * itself). One connection publishes, one subscribes.
 */
import { Redis } from 'ioredis';
import type { Transport } from './invalidation.js';

export function redisTransport(url: string, channel: string): Transport {
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false } as const;
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  // Errors surface through the 'ready' checks and reconnects; without listeners ioredis would print them.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});
  return {
    name: 'redis',
    async publish(message) {
      await publisher.publish(channel, message);
    },
    async start(onMessage, onReconnect) {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      subscriber.on('message', (ch: string, message: string) => {
        if (ch === channel) onMessage(message);
      });
      await subscriber.subscribe(channel);
      let first = true;
      subscriber.on('ready', () => {
        if (first) return;
        onReconnect();
      });
      first = false;
    },
    async ready() {
      if (publisher.status !== 'ready' || subscriber.status !== 'ready') return false;
      try {
        return (await publisher.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
