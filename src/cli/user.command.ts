/**
 * `dateline user …`: newsroom accounts from the command line, as the
 * operator (trusted: no permission check, recorded as such in the audit log).
 *
 * - `user create --email E --name N --role R` — the password is read from
 *   the terminal without echo (twice), or from DATELINE_PASSWORD for scripts.
 * - `user reset-password EMAIL` — prints a single-use link, valid 1 hour.
 * - `user list` — every user, their role and status.
 *
 * @example
 *   DATELINE_PASSWORD='a long passphrase' dateline user create --email ed@news.test --name Ed --role admin
 */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isRole, passwordProblem, RESET_PASSWORD_PATH, ROLES, type User } from '../accounts/account.js';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { canPrompt, PromptCancelled, readPassword, type TerminalInput } from './password-prompt.js';

export interface UserCommandIo {
  /** Where the password is typed. */
  input: TerminalInput;
  /** Results (the list, the link). */
  stdout: Writable;
  /** Prompts and problems. */
  stderr: Writable;
  /** DATELINE_PASSWORD: a command's input, like its arguments, so read here rather than with the configuration. */
  password: string | undefined;
}

const USAGE = `Usage:
  dateline user create --email EMAIL --name NAME --role ${ROLES.join('|')}
  dateline user reset-password EMAIL
  dateline user list`;

export async function userCommand(
  config: Config,
  args: string[],
  openServices: () => Promise<Services>,
  io: UserCommandIo,
): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create':
      return create(rest, openServices, io, say);
    case 'reset-password': {
      if (rest.length !== 1 || rest[0]!.startsWith('-')) return usage(say);
      return withServices(openServices, say, async (services) => {
        const link = await services.accounts.createPasswordReset('operator', rest[0]!);
        const url = `${config.siteUrl}${RESET_PASSWORD_PATH}?token=${link.token}`;
        io.stdout.write(
          `Password reset link for ${link.user.email}, valid once until ${link.expiresAt.toISOString()}:\n${url}\n`,
        );
        return 0;
      });
    }
    case 'list':
      if (rest.length) return usage(say);
      return withServices(openServices, say, async (services) => {
        io.stdout.write(formatUsers(await services.accounts.listUsers()));
        return 0;
      });
    default:
      return usage(say);
  }
}

async function create(
  args: string[],
  openServices: () => Promise<Services>,
  io: UserCommandIo,
  say: (text: string) => void,
): Promise<number> {
  let values: { email?: string; name?: string; role?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    }));
  } catch {
    return usage(say);
  }
  const { email, name, role } = values;
  if (!email || !name || !role) return usage(say);
  if (!isRole(role)) {
    say(`Unknown role "${role}": one of ${ROLES.join(', ')}.`);
    return 2;
  }
  const password = await obtainPassword(io, say);
  if (typeof password === 'number') return password;
  return withServices(openServices, say, async (services) => {
    const user = await services.accounts.createUser('operator', { email, name, role, password });
    io.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
    return 0;
  });
}

/** The password from DATELINE_PASSWORD or typed twice at the terminal; an exit code when there is none to use. */
async function obtainPassword(io: UserCommandIo, say: (text: string) => void): Promise<string | number> {
  const unusable = (password: string) => {
    const problem = passwordProblem(password);
    if (problem) say(`The password needs ${problem}.`);
    return problem !== undefined;
  };
  if (io.password !== undefined) return unusable(io.password) ? 2 : io.password;
  if (!canPrompt(io.input)) {
    say('No terminal to type a password in: set DATELINE_PASSWORD.');
    return 2;
  }
  try {
    const password = await readPassword('Password: ', { input: io.input, output: io.stderr });
    if (unusable(password)) return 2;
    if ((await readPassword('Password again: ', { input: io.input, output: io.stderr })) !== password) {
      say('The passwords do not match.');
      return 1;
    }
    return password;
  } catch (err) {
    if (err instanceof PromptCancelled) return 1;
    throw err;
  }
}

/** Runs `fn` on the services, closes them, and turns the accounts' refusals into a line and an exit code. */
async function withServices(
  openServices: () => Promise<Services>,
  say: (text: string) => void,
  fn: (services: Services) => Promise<number>,
): Promise<number> {
  const services = await openServices();
  try {
    return await fn(services);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    say(`${err.message}.`);
    // Input the rules refuse is bad usage; a refusal of the state of things (a taken email, no such user) a failure.
    return err.code === 'INVALID_ACCOUNT' ? 2 : 1;
  } finally {
    await services.close();
  }
}

function usage(say: (text: string) => void): number {
  say(USAGE);
  return 2;
}

function formatUsers(users: User[]): string {
  if (users.length === 0) {
    return 'No users yet. Create the first admin: dateline user create --email EMAIL --name NAME --role admin\n';
  }
  const when = (d: Date | undefined) => (d ? d.toISOString().replace(/:\d\d\.\d+Z$/, 'Z') : '-');
  const rows = users.map((u) => [
    String(u.id),
    u.email,
    u.name,
    u.role,
    u.active ? 'active' : 'deactivated',
    when(u.lastLoginAt),
  ]);
  const header = ['id', 'email', 'name', 'role', 'status', 'last sign-in'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
