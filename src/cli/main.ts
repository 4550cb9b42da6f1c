/**
 * `dateline <command>`: serve, migrate, import. Returns an exit code:
 * 0 success, 1 failure, 2 bad usage, 3 an import finished with some bad lines.
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { importFile } from '../ingest/import.service.js';
import { startServer } from '../server.js';

const USAGE = `Usage: dateline <command>

Commands:
  serve                 start the web server (PORT, HOST, DATABASE_URL…)
  migrate               apply pending database migrations and report them
  import FILE [--batch N]
                        import articles from a JSON Lines file (.jsonl or .jsonl.gz)
  help                  show this help

Configuration comes from environment variables; see README.md.`;

const write = (text: string) => process.stderr.write(`${text}\n`);

export async function run(argv: string[]): Promise<number> {
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
  switch (command) {
    case 'serve':
      await startServer(config);
      return 0;
    case 'migrate':
      return migrateCommand(config);
    case 'import':
      return importCommand(config, rest);
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
  const app = await buildApp(config, { logger: { level: 'warn' } });
  try {
    const report = await importFile(app.dateline, file, {
      batchSize,
      onProgress: (r, phase, done) =>
        write(
          phase === 'save'
            ? `… saved ${done} articles (${rate(done, r.seconds)}/s)`
            : `… related lists for ${done} articles`,
        ),
    });
    for (const f of report.failed) write(`line ${f.line}: ${f.reason}`);
    const done = report.created + report.updated;
    process.stdout.write(
      `Imported ${done} articles (${report.created} new, ${report.updated} updated) from ${report.lines} lines ` +
        `in ${report.seconds.toFixed(1)} s (${rate(done, report.seconds)} articles/s), ` +
        `then computed related news in ${report.relatedSeconds.toFixed(1)} s; ${report.failed.length} failed.\n`,
    );
    return report.failed.length > 0 ? 3 : 0;
  } catch (err) {
    write(`Import failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

const rate = (n: number, seconds: number): number => Math.round(n / Math.max(seconds, 0.001));
