import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.js';

const exec = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/** Runs a module snippet in a fresh Node process where loading Fastify throws. */
function withoutWebApp(code: string, env: Record<string, string>) {
  return exec(
    process.execPath,
    ['--import', 'tsx', '--import', './test/fixtures/no-web-app.mjs', '--input-type=module', '-e', code],
    { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', WEATHER_PROVIDER: 'none', ...env } },
  );
}

describe('the command line without the web app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-services-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, MEDIA_DIR: join(dir, 'media') };

  it('cannot load the web app in the guarded process (the guard works)', async () => {
    await expect(withoutWebApp("await import('./src/app.ts');", env)).rejects.toMatchObject({
      stderr: expect.stringMatching(/the web app was loaded: (@?fastify)/),
    });
  });

  it('imports articles and queues their side effects for the server, without loading Fastify', async () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      [
        { id: 'w:1', source: 'Wire', title: 'Harbour reopens after storm', body: 'The harbour reopened on Monday.' },
        {
          id: 'w:2',
          source: 'Wire',
          title: 'Storm damage at the harbour assessed',
          body: 'Engineers assessed the harbour.',
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { stdout } = await withoutWebApp(
      `const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(['import', ${JSON.stringify(file)}]);`,
      env,
    );
    expect(stdout).toMatch(/^Imported 2 articles \(2 new, 0 updated\)/);
    const database = await connect(env.DATABASE_URL);
    try {
      const published = await database.db
        .selectFrom('articles')
        .select('id')
        .where('status', '=', 'published')
        .execute();
      expect(published).toHaveLength(2);
      // The server's page caches are not this process's to drop: the jobs wait in the queue for the server.
      const queued = await database.db.selectFrom('jobs').select('name').where('state', '=', 'queued').execute();
      expect(queued.map((j) => j.name)).toContain('pages-refresh');
    } finally {
      await database.close();
    }
  });

  it('creates and lists newsroom users without loading Fastify', async () => {
    const run = (args: string[]) =>
      withoutWebApp(
        `const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(${JSON.stringify(args)});`,
        { ...env, DATELINE_PASSWORD: 'a long enough passphrase' },
      );
    await run(['user', 'create', '--email', 'ed@news.test', '--name', 'Ed', '--role', 'admin']);
    const { stdout } = await run(['user', 'list']);
    expect(stdout).toMatch(/\n1 +ed@news\.test +Ed +admin +active/);
    // Two cold starts of a TypeScript process, each hashing with argon2id: 8 s each on a loaded 2-core machine.
  }, 60_000);
});
