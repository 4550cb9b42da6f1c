import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { collector, FakeTerminal } from './fixtures/terminal.js';
import { PromptCancelled, readPassword } from './password-prompt.js';

describe('reading a password at the terminal', () => {
  it('reads a line with echo off, editing with backspace and Ctrl-U, and restores the terminal', async () => {
    const input = new FakeTerminal(['wrong\x15secreX\x7fT pass\r']);
    const output = collector();
    expect(await readPassword('Password: ', { input, output })).toBe('secreT pass');
    // Only the prompt and the newline after Enter: nothing typed is shown.
    expect(output.text()).toBe('Password: \n');
    expect(input.rawModes).toEqual([true, false]);
  });

  it('takes a pasted password in one chunk, up to the Enter', async () => {
    const input = new FakeTerminal(['pasted passphrase\rignored']);
    expect(await readPassword('Password: ', { input, output: collector() })).toBe('pasted passphrase');
  });

  it('is cancelled by Ctrl-C, or Ctrl-D on an empty line, and restores the terminal', async () => {
    const interrupted = new FakeTerminal(['half\x03']);
    await expect(readPassword('Password: ', { input: interrupted, output: collector() })).rejects.toBeInstanceOf(
      PromptCancelled,
    );
    expect(interrupted.rawModes).toEqual([true, false]);
    await expect(
      readPassword('Password: ', { input: new FakeTerminal(['\x04']), output: collector() }),
    ).rejects.toBeInstanceOf(PromptCancelled);
  });

  it('refuses to read from something that is not a terminal (it would echo)', async () => {
    const pipe = Object.assign(new EventEmitter(), { isTTY: false, resume() {}, pause() {} });
    await expect(readPassword('Password: ', { input: pipe, output: collector() })).rejects.toThrow(/not a terminal/);
  });
});
