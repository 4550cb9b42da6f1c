/**
 * `dateline worker`: the background jobs without a web server — feed polls
 * and their items, related lists and stories, cache invalidation repeated
 * from the queue, webhooks, scheduled publishing and its sweep, index upkeep.
 * Built on `buildServices` alone (Fastify is never loaded). It lowers its own
 * CPU priority first (`WORKER_NICE`, default 10), so that beside `dateline
 * serve` with `JOBS=off` on a small machine the reader's pages get the CPU
 * first and the jobs take the rest; what the jobs change reaches the web
 * processes' caches through the invalidation bus (Redis, PostgreSQL NOTIFY,
 * or SQLite's invalidation log).
 *
 * @example
 *   const worker = await startWorker(loadConfig());
 *   await worker.stop(); // running jobs finish, or go back to the queue
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { lowerPriority } from './lib/priority.js';
import { buildServices, type ServiceOptions, type Services } from './services.js';

export interface Worker {
  services: Services;
  /** The niceness the worker runs at. */
  nice: number;
  /** Stops taking jobs, lets the running ones finish (bounded; the rest go back to the queue), closes. */
  stop(): Promise<void>;
}

export async function startWorker(config: Config, options: ServiceOptions & { log?: Logger } = {}): Promise<Worker> {
  // Before anything else starts threads: those started later inherit it.
  const nice = lowerPriority(config.jobs.workerNice);
  const services = await buildServices(config, options);
  const { log } = services;
  await services.jobs.start();
  // Articles whose time came while no worker ran: published now rather than at the sweep's next minute.
  const late = await services.articles.publishDue();
  if (late) log.warn({ published: late }, 'published scheduled articles whose time passed while no worker ran');
  log.info({ nice, cacheBus: services.invalidator.transport }, 'Dateline worker is running jobs');
  return { services, nice, stop: () => services.close() };
}

/**
 * The command: starts the worker and stops it on SIGTERM or SIGINT (what
 * `systemctl stop` sends), exiting 0 once the running jobs finished or were
 * handed back, 1 if that took more than 10 s.
 */
export async function runWorker(config: Config): Promise<void> {
  const worker = await startWorker(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    worker.services.log.info({ signal }, 'worker stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    worker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        worker.services.log.error({ err }, 'worker shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
