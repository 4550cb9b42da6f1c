/**
 * `dateline sources …`: feed sources from the command line, as the operator
 * (trusted: no permission check; each change in the audit log without an actor).
 *
 * - `sources add URL --section S --mode draft|publish [--interval 15m] [--name N] [--licence L] [--attribution A]`
 * - `sources list` — every source with its status (last success, last error, items, next poll)
 * - `sources remove ID` — the source goes; the articles it brought stay
 * - `sources poll ID` — polls one source now and prints what it did
 *
 * @example
 *   dateline sources add https://wire.example/world.xml --section World --mode draft --interval 10m
 */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AppError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { formatInterval, type NewSource, parseInterval, type Source, type SourceMode } from '../sources/source.js';

export interface SourcesCommandIo {
  stdout: Writable;
  stderr: Writable;
}

const USAGE = `Usage:
  dateline sources add URL --section SECTION --mode draft|publish [--interval 15m] [--name NAME]
                       [--licence LICENCE] [--attribution CREDIT]
  dateline sources list
  dateline sources remove ID
  dateline sources poll ID`;

export async function sourcesCommand(
  args: string[],
  openServices: () => Promise<Services>,
  io: SourcesCommandIo,
): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const [sub, ...rest] = args;
  const usage = () => {
    say(USAGE);
    return 2;
  };
  const id = rest.length === 1 && /^\d{1,9}$/.test(rest[0] ?? '') ? Number(rest[0]) : undefined;
  switch (sub) {
    case 'add': {
      const parsed = parseAdd(rest);
      if (!parsed) return usage();
      return run(openServices, say, async (s) => {
        const source = await s.sources.add(parsed);
        io.stdout.write(`Added source ${source.id}: ${source.url} → ${source.section} (${source.mode})\n`);
        return 0;
      });
    }
    case 'list':
      if (rest.length) return usage();
      return run(openServices, say, async (s) => {
        io.stdout.write(formatSources(await s.sources.list(), new Date()));
        return 0;
      });
    case 'remove':
      if (id === undefined) return usage();
      return run(openServices, say, async (s) => {
        await s.sources.remove(id);
        io.stdout.write(`Removed source ${id}; its articles stay.\n`);
        return 0;
      });
    case 'poll':
      if (id === undefined) return usage();
      return run(openServices, say, async (s) => {
        const r = await s.sources.poll(id);
        io.stdout.write(
          `${r.outcome}${r.status ? ` (HTTP ${r.status})` : ''}: ${r.seen} seen, ${r.created} created, ${r.updated} updated, ${r.kept} kept as revisions${r.error ? `\n${r.error}` : ''}\n`,
        );
        return r.outcome === 'failed' || r.outcome === 'missing' ? 1 : 0;
      });
    default:
      return usage();
  }
}

function parseAdd(args: string[]): NewSource | undefined {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        section: { type: 'string' },
        mode: { type: 'string' },
        interval: { type: 'string' },
        name: { type: 'string' },
        licence: { type: 'string' },
        attribution: { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.section || (values.mode !== 'draft' && values.mode !== 'publish')) {
      return undefined;
    }
    const intervalSeconds = values.interval === undefined ? undefined : parseInterval(values.interval);
    if (values.interval !== undefined && intervalSeconds === undefined) return undefined;
    return {
      url: positionals[0] as string,
      section: values.section,
      mode: values.mode as SourceMode,
      ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(values.licence ? { licence: values.licence } : {}),
      ...(values.attribution ? { attribution: values.attribution } : {}),
    };
  } catch {
    return undefined;
  }
}

async function run(
  openServices: () => Promise<Services>,
  say: (text: string) => void,
  fn: (services: Services) => Promise<number>,
): Promise<number> {
  const services = await openServices();
  try {
    return await fn(services);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const problems = (err.details as { problems?: { problem: string }[] } | undefined)?.problems ?? [];
    say([`${err.message}.`, ...problems.map((p) => `  ${p.problem}.`)].join('\n'));
    return err.code === 'INVALID_SOURCE' ? 2 : 1;
  } finally {
    await services.close();
  }
}

/** One source per line: what it is, then how it is doing. */
export function formatSources(sources: Source[], now: Date): string {
  if (sources.length === 0) {
    return 'No sources yet. Add one: dateline sources add URL --section SECTION --mode draft|publish\n';
  }
  const when = (d: Date | undefined) => (d ? d.toISOString().replace(/:\d\d\.\d+Z$/, 'Z') : '-');
  return `${sources
    .map((s) => {
      const st = s.status;
      const health = st.lastError
        ? `FAILING ×${st.consecutiveFailures}: ${st.lastError}`
        : st.lastSuccessAt
          ? 'ok'
          : 'not polled yet';
      const next = st.nextPollAt <= now ? 'due' : when(st.nextPollAt);
      return [
        `${s.id}  ${s.name}  ${s.url}`,
        `    ${s.format ?? 'format unknown'} → ${s.section}, ${s.mode}, every ${formatInterval(s.intervalSeconds)}; ${health}`,
        `    last success ${when(st.lastSuccessAt)}, next poll ${next}; items seen ${st.itemsSeen}, created ${st.itemsCreated}, updated ${st.itemsUpdated}`,
      ].join('\n');
    })
    .join('\n')}\n`;
}
