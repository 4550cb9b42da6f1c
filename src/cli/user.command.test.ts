import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { quietCli } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { buildServices, type Services } from '../services.js';
import { collector, FakeTerminal } from './fixtures/terminal.js';
import { run } from './main.js';
import { userCommand } from './user.command.js';

const PASSWORD = 'a long enough passphrase';

describe('dateline user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-user-'));
  const env = () => ({
    DATABASE_URL: join(dir, 'users.db'),
    MEDIA_DIR: join(dir, 'media'),
    SITE_URL: 'https://news.example',
    DATELINE_PASSWORD: PASSWORD,
  });
  quietCli(env);
  const opened: Services[] = [];
  const services = async () => {
    const s = await buildServices(loadConfig({ ...env(), LOG_LEVEL: 'silent' }), { log: pino({ level: 'silent' }) });
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of opened) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const stdout = () =>
    vi
      .mocked(process.stdout.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');
  const stderr = () =>
    vi
      .mocked(process.stderr.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');

  it('creates users with DATELINE_PASSWORD, and lists them', async () => {
    expect(await run(['user', 'list'])).toBe(0);
    expect(stdout()).toContain('No users yet.');
    expect(await run(['user', 'create', '--email', 'Ed@News.example', '--name', 'Ed Editor', '--role', 'admin'])).toBe(
      0,
    );
    expect(stdout()).toContain('Created admin ed@news.example (id 1).');
    vi.mocked(process.stdout.write).mockClear();
    expect(await run(['user', 'list'])).toBe(0);
    expect(stdout()).toMatch(
      /^id +email +name +role +status +last sign-in\n1 +ed@news\.example +Ed Editor +admin +active +-\n$/,
    );
    const { session } = await (await services()).accounts.login({ email: 'ed@news.example', password: PASSWORD });
    expect(session.user.role).toBe('admin');
    // The operator's action is in the audit log as such.
    const [entry] = (await (await services()).audit.list({ action: 'user.created' })).entries;
    expect(entry?.detail).toEqual({ by: 'operator', role: 'admin' });
  });

  it('refuses bad usage with exit 2 and a taken email with exit 1', async () => {
    vi.mocked(process.stderr.write).mockClear();
    expect(await run(['user', 'create', '--email', 'amy@news.example', '--name', 'Amy', '--role', 'owner'])).toBe(2);
    expect(stderr()).toContain('Unknown role "owner"');
    expect(await run(['user', 'create', '--email', 'amy@news.example', '--role', 'author'])).toBe(2);
    expect(await run(['user', 'create', '--email', 'not-an-email', '--name', 'Amy', '--role', 'author'])).toBe(2);
    expect(await run(['user', 'create', '--email', 'ed@news.example', '--name', 'Ed', '--role', 'author'])).toBe(1);
    expect(stderr()).toContain('A user with this email exists.');
    expect(await run(['user'])).toBe(2);
    expect(await run(['user', 'delete', 'ed@news.example'])).toBe(2);
    expect(await run(['user', 'list', 'extra'])).toBe(2);
    expect(await run(['user', 'reset-password'])).toBe(2);
    process.env.DATELINE_PASSWORD = 'too short';
    try {
      expect(await run(['user', 'create', '--email', 'amy@news.example', '--name', 'Amy', '--role', 'author'])).toBe(2);
      expect(stderr()).toContain('The password needs at least 10 characters.');
    } finally {
      process.env.DATELINE_PASSWORD = PASSWORD;
    }
  });

  it('prints a single-use reset link under SITE_URL that sets a new password', async () => {
    vi.mocked(process.stdout.write).mockClear();
    expect(await run(['user', 'reset-password', 'ED@news.example'])).toBe(0);
    const link = /https:\/\/news\.example\/admin\/reset-password\?token=([A-Za-z0-9_-]{43})\n/.exec(stdout());
    expect(link).not.toBeNull();
    const { accounts } = await services();
    await accounts.resetPasswordWithToken(link![1], 'a brand new passphrase');
    expect(
      (await accounts.login({ email: 'ed@news.example', password: 'a brand new passphrase' })).session,
    ).toBeDefined();
    expect(await run(['user', 'reset-password', 'nobody@news.example'])).toBe(1);
    expect(stderr()).toContain('No user has this email.');
  });

  describe('without DATELINE_PASSWORD', () => {
    const io = (input: FakeTerminal | { isTTY: false; on(): void; off(): void; resume(): void; pause(): void }) => ({
      input,
      stdout: collector(),
      stderr: collector(),
      password: undefined,
    });
    const config = () => loadConfig({ ...env(), LOG_LEVEL: 'silent' });
    const args = ['create', '--email', 'amy@news.example', '--name', 'Amy', '--role', 'author'];

    it('reads the password twice at the terminal, without echo', async () => {
      const mismatch = io(new FakeTerminal([`${PASSWORD}\r`, 'something else entirely\r']));
      expect(await userCommand(config(), args, services, mismatch)).toBe(1);
      expect(mismatch.stderr.text()).toBe('Password: \nPassword again: \nThe passwords do not match.\n');

      const typed = io(new FakeTerminal([`${PASSWORD}\r`, `${PASSWORD}\r`]));
      expect(await userCommand(config(), args, services, typed)).toBe(0);
      expect(typed.stderr.text()).not.toContain(PASSWORD);
      const { accounts } = await services();
      expect((await accounts.login({ email: 'amy@news.example', password: PASSWORD })).session.user.role).toBe(
        'author',
      );
    });

    it('exits 2 when there is no terminal to type it in', async () => {
      const piped = io({ isTTY: false, on() {}, off() {}, resume() {}, pause() {} });
      expect(await userCommand(config(), args, services, piped)).toBe(2);
      expect(piped.stderr.text()).toContain('set DATELINE_PASSWORD');
    });
  });
});
