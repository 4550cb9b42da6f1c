/**
 * Starts the HTTP server: builds the app, loads demo content into an empty
 * database (when enabled), listens, starts the background job workers (unless
 * JOBS is off: then `dateline worker` runs them in a process of its own) and
 * the weather widget's refresh timer, and shuts down gracefully on
 * SIGTERM/SIGINT (stop taking jobs and let running ones finish, stop
 * accepting, finish in-flight requests, close the database).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { loadDemoIfEmpty } from './demo/demo.service.js';
import { limitHeapGrowth } from './lib/heap.js';
import { followingClock } from './lib/time.js';
import { buildServices, type ServiceOptions } from './services.js';

export async function startServer(config: Config): Promise<FastifyInstance> {
  limitHeapGrowth(config.heapGrowthPercent);
  const app = await openServer(config);
  closeOnSignals(app);
  return app;
}

/** Everything `startServer` does but the signal handlers: `app.close()` stops it (tests). */
export async function openServer(config: Config, options: ServiceOptions = {}): Promise<FastifyInstance> {
  const started = performance.now();
  const app = await buildApp(await buildServices(config, options));
  if (config.demoContent) {
    const clock = followingClock(() => app.dateline.settings.current().timeZone, config.language);
    const report = await loadDemoIfEmpty(app.dateline.database, { ...app.dateline, clock });
    if (report) app.log.info({ created: report.created, failed: report.failed.length }, 'demo content loaded');
  }
  await app.listen({ port: config.port, host: config.host });
  if (config.jobs.enabled) {
    await app.dateline.jobs.start();
    // Articles whose time came while no server ran: published now rather than at the sweep's next minute.
    const late = await app.dateline.articles.publishDue();
    if (late)
      app.log.warn({ published: late }, 'published scheduled articles whose time passed while the site was down');
  }
  app.dateline.weather?.start();
  app.log.info(
    { url: config.siteUrl, jobs: config.jobs.enabled, ms: Math.round(performance.now() - started) },
    'Dateline is ready',
  );
  return app;
}

function closeOnSignals(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // Jobs first: a running job may still need the database and the event handlers.
    app.dateline.jobs
      .stop()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
