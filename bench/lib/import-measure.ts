/**
 * bench:import's child: one import end to end, as `dateline import` runs it
 * (the services alone, `importFile` with the related pass), in a process of
 * its own so that its peak RSS is the import's. Times each phase from the
 * import's progress (save, then the related pass's weigh, load, stories,
 * lists), then planner statistics (`analyze`), and sends the figures to the
 * parent.
 *
 * @example
 *   fork(IMPORT_MEASURE_MODULE, ['--job', JSON.stringify(job)], { stdio: ['ignore', 2, 2, 'ipc'] });
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { refreshStatistics } from '../../src/db/maintenance.js';
import { importFile } from '../../src/ingest/import.service.js';
import { limitHeapGrowth } from '../../src/lib/heap.js';
import { buildServices } from '../../src/services.js';
import { childEnv } from './workspace.js';

export const IMPORT_MEASURE_MODULE = fileURLToPath(import.meta.url);

export interface ImportJob {
  databaseUrl: string;
  schema?: string;
  dir: string;
  file: string;
  /** Worker threads of the related pass (undefined: the service's default). */
  threads?: number;
}

export interface ImportMeasurement {
  lines: number;
  imported: number;
  failed: number;
  /** Seconds per phase, in the order they ran. */
  phases: Record<string, number>;
  /**
   * CPU seconds per phase, every thread of the process (user + system): on a
   * shared machine, what the phase cost, whatever else ran.
   */
  cpu: Record<string, number>;
  totalSeconds: number;
  peakRssMb: number;
  /** The highest RSS seen in each phase (sampled every 250 ms): where the peak is. */
  peakRssMbByPhase: Record<string, number>;
}

export async function measureImport(job: ImportJob, log: (msg: string) => void): Promise<ImportMeasurement> {
  const started = performance.now();
  const config = loadConfig({
    ...childEnv(job),
    ...(job.threads === undefined ? {} : { RELATED_THREADS: String(job.threads) }),
  });
  // As `dateline` does for every command.
  limitHeapGrowth(config.heapGrowthPercent);
  const services = await buildServices(config, { log: pino({ level: 'silent' }) });
  const phases: Record<string, number> = { start: (performance.now() - started) / 1000 };
  const cpu: Record<string, number> = {};
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let phase = 'save';
  let phaseStart = performance.now();
  let phaseCpu = cpuSeconds();
  const enter = (next: string) => {
    if (next === phase) return;
    sample();
    phases[phase] = (phases[phase] ?? 0) + (performance.now() - phaseStart) / 1000;
    cpu[phase] = (cpu[phase] ?? 0) + cpuSeconds() - phaseCpu;
    phaseCpu = cpuSeconds();
    log(`  ${phase}: ${phases[phase]?.toFixed(1)} s`);
    phase = next;
    phaseStart = performance.now();
  };
  const peakByPhase: Record<string, number> = {};
  const sample = () => {
    const mb = process.memoryUsage.rss() / 2 ** 20;
    peakByPhase[phase] = Math.max(peakByPhase[phase] ?? 0, Math.round(mb));
  };
  const sampler = setInterval(sample, 250).unref();
  let lastLog = 0;
  try {
    const report = await importFile(services, job.file, {
      onProgress: (_report, p, done, total) => {
        enter(p);
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          const mem = process.memoryUsage();
          const mb = (n: number) => Math.round(n / 2 ** 20);
          log(
            `  … ${p} ${done}${total ? `/${total}` : ''}, RSS ${mb(mem.rss)} MB (this thread's heap ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)}, array buffers ${mb(mem.arrayBuffers)})`,
          );
        }
      },
    });
    enter('analyze');
    await refreshStatistics(services.database);
    enter('end');
    return {
      lines: report.lines,
      imported: report.created + report.updated,
      failed: report.failed.length,
      phases,
      cpu,
      totalSeconds: (performance.now() - started) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      peakRssMbByPhase: peakByPhase,
    };
  } finally {
    clearInterval(sampler);
    await services.close();
  }
}

if (process.argv[1] === IMPORT_MEASURE_MODULE) {
  const job = JSON.parse(process.argv[process.argv.indexOf('--job') + 1] ?? '{}') as ImportJob;
  measureImport(job, (msg) => process.stderr.write(`${msg}\n`)).then(
    (m) => process.send?.(m),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}
