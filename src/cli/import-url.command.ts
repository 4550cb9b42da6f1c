/**
 * `dateline import-url URL [--section S] [--mode draft|publish]`: imports the
 * article on one web page (see `src/ingest/url-import.service.ts`) and prints
 * its id, status and headline. Exit codes: 0 imported, 1 the page could not
 * be imported (no article, not HTML, unreachable…), 2 bad usage.
 *
 * @example
 *   dateline import-url https://news.example/world/talks --section World --mode draft
 *   // created #42 (draft): US and Russia urge peaceful solution
 */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AppError } from '../lib/errors.js';
import type { Services } from '../services.js';

const USAGE = 'Usage: dateline import-url URL [--section SECTION] [--mode draft|publish]';

export async function importUrlCommand(
  args: string[],
  openServices: () => Promise<Pick<Services, 'urlImport' | 'close'>>,
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    say(USAGE);
    return 2;
  }
  const services = await openServices();
  try {
    const saved = await services.urlImport.importUrl(parsed);
    io.stdout.write(`${saved.created ? 'created' : 'updated'} #${saved.id} (${saved.status}): ${saved.headline}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    say(`Import failed: ${err.code}: ${err.message}`);
    return err.code === 'BAD_URL' ? 2 : 1;
  } finally {
    await services.close();
  }
}

function parse(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { section: { type: 'string' }, mode: { type: 'string', default: 'draft' } },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1 || (values.mode !== 'draft' && values.mode !== 'publish')) return undefined;
  return { url, mode: values.mode, ...(values.section ? { section: values.section } : {}) } as const;
}
