/**
 * `dateline <command>`: serve, worker, migrate, import, import-url, import-wordpress, import-ghost, copy, jobs, related, user, sources. Returns an exit code:
 * 0 success, 1 failure, 2 bad usage, 3 an import finished with some bad lines.
 */

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { connect, dialectOf, sqlitePath } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { importFile } from '../ingest/import.service.js';
import { checkReadable, UnreadableFileError } from '../ingest/jsonl.js';
import type { FailedJob } from '../jobs/jobs.js';
import { limitHeapGrowth } from '../lib/heap.js';
import { type CopyReport, copySite } from '../ops/copy.service.js';
import { buildServices, type Services } from '../services.js';
import { importUrlCommand } from './import-url.command.js';
import { phasedProgress, RELATED_PHASE_LABELS } from './progress.js';
import { sourcesCommand } from './sources.command.js';
import { userCommand } from './user.command.js';

const USAGE = `Usage: dateline <command>

Commands:
  serve                 start the web server (PORT, HOST, DATABASE_URL…); it runs the
                        background jobs too unless JOBS=off
  worker                run the background jobs (feed polls, related news, webhooks,
                        scheduled publishing…) without a web server, at a lower CPU
                        priority (WORKER_NICE, default 10): beside \`serve\` with JOBS=off
  migrate               apply pending database migrations and report them
  import FILE [--batch N]
                        import articles from a JSON Lines file (.jsonl or .jsonl.gz)
  import-url URL [--section S] [--mode draft|publish]
                        import the article on a web page (a draft by default),
                        cleaned of the page's clutter; the same page again updates it
  import-wordpress FILE.xml [--language LANG] [--download-images]
                        import the posts of a WordPress export (WXR); their old
                        addresses answer a 301; running it again updates them;
                        --download-images stores their images here
  import-ghost FILE.json --url OLD_SITE_URL [--language LANG] [--download-images]
                        the same for a Ghost export (JSON)
  copy --from URL --to URL
                        copy the whole site into an empty database (e.g. SQLite to
                        PostgreSQL), then verify row counts and checksums per table
  jobs [--limit N]      list the background jobs that failed most recently (default 20)
  related rebuild       rebuild the related-news index, the stories and every related
                        list from the published articles, with a progress bar
  user create --email EMAIL --name NAME --role admin|editor|author|contributor
                        create a newsroom account; the password is typed (not shown)
                        or taken from DATELINE_PASSWORD
  user reset-password EMAIL
                        print a single-use password reset link, valid for 1 hour
  user list             list the newsroom's accounts, roles and last sign-ins
  sources add URL --section SECTION --mode draft|publish [--interval 15m]
                        poll a feed (RSS, Atom, JSON Feed, IPTC ninjs) for articles
  sources list          list the feed sources with their status
  sources remove ID     stop polling a source (its articles stay)
  sources poll ID       poll a source now
  help                  show this help

Configuration comes from environment variables; see README.md.`;

const write = (text: string) => process.stderr.write(`${text}\n`);

export async function run(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (err) {
    // An option a command does not know, or one missing its value: bad usage, said in one line.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      write(`${(err as Error).message.split('\n')[0]}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      write(err.message);
      return 2;
    }
    throw err;
  }
  // Every command, not only `serve`: an import's related pass holds a large index beside short-lived rows.
  limitHeapGrowth(config.heapGrowthPercent);
  switch (command) {
    case 'serve': {
      // Only `serve` loads the web app: the other commands run on the services alone.
      const { startServer } = await import('../server.js');
      await startServer(config);
      return 0;
    }
    case 'worker': {
      // Runs until SIGTERM or SIGINT; the process exits from there.
      const { runWorker } = await import('../worker.js');
      await runWorker(config);
      return 0;
    }
    case 'migrate':
      return migrateCommand(config);
    case 'import':
      return importCommand(config, rest);
    case 'import-url':
      return importUrlCommand(rest, () => quietServices(config), { stdout: process.stdout, stderr: process.stderr });
    case 'import-wordpress':
    case 'import-ghost':
      // The platforms' parsers (fast-xml-parser, linkedom) load for this command only, not for `serve`.
      return (await import('./import-archive.command.js')).importArchiveCommand(
        command === 'import-ghost' ? 'ghost' : 'wordpress',
        rest,
        () => quietServices(config),
        {
          stdout: process.stdout,
          stderr: process.stderr,
        },
      );
    case 'copy':
      return copyCommand(rest);
    case 'jobs':
      return jobsCommand(config, rest);
    case 'related':
      return relatedCommand(config, rest);
    case 'user':
      return userCommand(config, rest, () => quietServices(config), {
        input: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        password: process.env.DATELINE_PASSWORD,
      });
    case 'sources':
      return sourcesCommand(rest, () => quietServices(config), { stdout: process.stdout, stderr: process.stderr });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

async function migrateCommand(config: Config): Promise<number> {
  const database = await connect(config.databaseUrl);
  try {
    const applied = await migrate(database);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
    return 0;
  } catch (err) {
    write(`Migration failed; the schema was left as it was.\n${(err as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

async function importCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { batch: { type: 'string', default: '500' } },
  });
  const file = positionals[0];
  const batchSize = Number(values.batch);
  if (!file || !Number.isInteger(batchSize) || batchSize < 1) {
    write('Usage: dateline import FILE [--batch N]');
    return 2;
  }
  // A file that cannot be read is bad usage: one line, before the database is even opened.
  try {
    await checkReadable(file);
  } catch (err) {
    if (!(err instanceof UnreadableFileError)) throw err;
    write(`Import failed: ${err.message}`);
    return 2;
  }
  const services = await quietServices(config);
  const bars = phasedProgress(RELATED_PHASE_LABELS);
  try {
    const report = await importFile(services, file, {
      batchSize,
      language: config.language,
      onProgress: (r, phase, done, total) => {
        if (phase === 'save') write(`… saved ${done} articles (${rate(done, r.seconds)}/s)`);
        else bars.update(phase, done, total ?? done);
      },
    });
    bars.done();
    for (const f of report.failed) write(`line ${f.line}: ${f.reason}`);
    // Warnings (a missing image file) do not change the exit code: the article was imported.
    for (const w of report.warnings) write(`warning: line ${w.line}: ${w.message}`);
    const done = report.created + report.updated;
    const warnings = report.warnings.length;
    const warned = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
    process.stdout.write(
      `Imported ${done} articles (${report.created} new, ${report.updated} updated) from ${report.lines} lines ` +
        `in ${report.seconds.toFixed(1)} s (${rate(done, report.seconds)} articles/s), ` +
        `then computed related news in ${report.relatedSeconds.toFixed(1)} s; ${report.failed.length} failed${warned}.\n`,
    );
    return report.failed.length > 0 ? 3 : 0;
  } catch (err) {
    write(`Import failed: ${(err as Error).message}`);
    // The file went missing or unreadable after the check above: still bad usage.
    return err instanceof UnreadableFileError ? 2 : 1;
  } finally {
    await services.close();
  }
}

async function copyCommand(args: string[]): Promise<number> {
  const urls = copyArgs(args);
  if (!urls) {
    write('Usage: dateline copy --from URL --to URL');
    return 2;
  }
  const { from, to } = urls;
  // Opening a SQLite path creates the file: a mistyped source would otherwise look like an empty site.
  if (dialectOf(from) === 'sqlite' && !existsSync(sqlitePath(from))) {
    write(`Copy failed: no database at ${sqlitePath(from)}`);
    return 1;
  }
  const [source, target] = await Promise.all([connect(from, { poolSize: 2 }), connect(to, { poolSize: 2 })]);
  try {
    const report = await copySite(source, target, {
      onProgress: (table, copied, total) => write(`… ${table}: ${copied}/${total}`),
    });
    process.stdout.write(formatCopyReport(report));
    return 0;
  } catch (err) {
    write(`Copy failed; nothing was copied.\n${(err as Error).message}`);
    return 1;
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

function copyArgs(args: string[]): { from: string; to: string } | undefined {
  try {
    const { from, to } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } }).values;
    return from && to ? { from, to } : undefined;
  } catch {
    return undefined; // an unknown option, a stray argument, or --from without a value
  }
}

function formatCopyReport(report: CopyReport): string {
  const width = Math.max(...report.tables.map((t) => t.name.length));
  const lines = report.tables.map((t) => `${t.name.padEnd(width)}  ${String(t.rows).padStart(9)}  ${t.checksum}`);
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  return [
    `${'table'.padEnd(width)}  ${'rows'.padStart(9)}  sha256`,
    ...lines,
    `Copied ${rows} rows in ${report.seconds.toFixed(1)} s.`,
    'Verified: counts and checksums match.',
    '',
  ].join('\n');
}

async function jobsCommand(config: Config, args: string[]): Promise<number> {
  let limit: number;
  try {
    limit = Number(parseArgs({ args, options: { limit: { type: 'string', default: '20' } } }).values.limit);
  } catch {
    limit = Number.NaN;
  }
  if (!Number.isInteger(limit) || limit < 1) {
    write('Usage: dateline jobs [--limit N]');
    return 2;
  }
  const services = await quietServices(config);
  try {
    process.stdout.write(formatFailures(await services.jobs.failures(limit)));
    return 0;
  } finally {
    await services.close();
  }
}

async function relatedCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'rebuild') {
    write('Usage: dateline related rebuild');
    return 2;
  }
  const services = await quietServices(config);
  const started = performance.now();
  const bars = phasedProgress(RELATED_PHASE_LABELS);
  try {
    const total = await services.related.rebuild(bars.update);
    bars.done();
    // Every page showing related news may have changed, on every instance serving this database.
    await services.events.emit([{ name: 'content.bulkChanged', payload: { articles: total } }]);
    process.stdout.write(
      `Rebuilt related news for ${total} articles in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    return 0;
  } catch (err) {
    write(`Rebuild failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await services.close();
  }
}

function formatFailures(failures: FailedJob[]): string {
  if (failures.length === 0) return 'No failed jobs.\n';
  const rows = failures.map((f) => [
    f.failedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
    f.name,
    String(f.attempts),
    f.error.replace(/\s+/g, ' '),
  ]);
  const header = ['failed at', 'job', 'attempts', 'error'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

const rate = (n: number, seconds: number): number => Math.round(n / Math.max(seconds, 0.001));

/**
 * The services alone, no web server, logging warnings only (progress goes to
 * stderr). Jobs are queued for the server to run, not run here: the page
 * caches to drop are the server's, not this process's.
 */
const quietServices = (config: Config): Promise<Services> =>
  buildServices(config, { log: pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }) });
