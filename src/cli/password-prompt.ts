/**
 * Reads a password from the terminal without echoing it: the terminal is put
 * in raw mode for the read, so nothing typed appears on screen or in the
 * scrollback, and restored afterwards (also on Ctrl-C).
 *
 * @example
 *   const password = await readPassword('Password: ', { input: process.stdin, output: process.stderr });
 */
import type { Writable } from 'node:stream';

/** The part of a TTY read stream the prompt uses (tests pass a stand-in). */
export interface TerminalInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export class PromptCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\x7f', '\b']);
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';

/** Whether `input` is a terminal the prompt can read from without echo. */
export function canPrompt(input: TerminalInput): boolean {
  return Boolean(input.isTTY && input.setRawMode);
}

/**
 * Shows `prompt` on `output` and reads one line from the terminal `input`
 * with echo off. Backspace and Ctrl-U edit; Enter ends; Ctrl-C, or Ctrl-D on
 * an empty line, rejects with PromptCancelled.
 */
export function readPassword(prompt: string, io: { input: TerminalInput; output: Writable }): Promise<string> {
  const { input, output } = io;
  if (!canPrompt(input)) return Promise.reject(new Error('not a terminal: cannot read a password without echo'));
  output.write(prompt);
  input.setRawMode!(true);
  input.resume();
  let typed = '';
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      // A paste arrives as one chunk: read it character by character.
      for (const char of String(chunk)) {
        if (ENTER.has(char)) return finish();
        if (char === CTRL_C || (char === CTRL_D && typed === '')) return finish(new PromptCancelled());
        if (BACKSPACE.has(char)) typed = [...typed].slice(0, -1).join('');
        else if (char === CTRL_U) typed = '';
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}
