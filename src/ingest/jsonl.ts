/**
 * Reads JSON Lines files, gzip-compressed or plain (told apart by their
 * first bytes, not their name), line by line with line numbers.
 *
 * A file that cannot be opened or read at all (missing, a directory, not
 * permitted) fails at once with an `UnreadableFileError`, before any line; a
 * file that breaks off later (a damaged gzip stream, a read error) rejects the
 * iteration at that point, after the lines before it.
 *
 * @example
 *   for await (const { number, text } of readLines('articles.jsonl.gz')) console.error(number, text.length);
 */
import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  number: number;
  text: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a directory, not a file',
};

/**
 * A file that could not be opened or read from its start. The message is one
 * line meant for people: the reason, then the path.
 *
 * @example
 *   await checkReadable('missing.jsonl'); // throws: "no such file: missing.jsonl"
 */
export class UnreadableFileError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`${(code && REASONS[code]) || (cause as Error).message || 'cannot be read'}: ${path}`, { cause });
    this.name = 'UnreadableFileError';
    this.code = code;
  }
}

/** Opens the file and reads its first two bytes (a directory fails here, not later). */
async function openFile(path: string): Promise<{ handle: FileHandle; gzip: boolean }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return { handle, gzip: bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b };
  } catch (err) {
    await handle?.close().catch(() => {});
    throw new UnreadableFileError(path, err);
  }
}

/**
 * Fails with an `UnreadableFileError` unless the file can be opened and read.
 *
 * @example
 *   await checkReadable(process.argv[2]); // before any costly setup
 */
export async function checkReadable(path: string): Promise<void> {
  const { handle } = await openFile(path);
  await handle.close();
}

/**
 * Opens the file now (failing with an `UnreadableFileError` before any line)
 * and returns its lines, to be read to the end or until the loop stops (which
 * closes the file).
 *
 * @example
 *   const lines = await openLines('articles.jsonl'); // throws here if the file is missing
 *   for await (const { number, text } of lines) handle(number, text);
 */
export async function openLines(path: string): Promise<AsyncGenerator<Line>> {
  const { handle, gzip } = await openFile(path);
  return linesOf(handle, gzip);
}

/** The lines of a file, opened on the first iteration. */
export async function* readLines(path: string): AsyncGenerator<Line> {
  yield* await openLines(path);
}

async function* linesOf(handle: FileHandle, gzip: boolean): AsyncGenerator<Line> {
  // The stream closes the handle when it ends, fails or is destroyed.
  const file = handle.createReadStream({ start: 0 });
  let input: Readable = file;
  if (gzip) {
    // pipeline, not pipe: a read error on the file reaches the gunzip stream (and so the loop below), and every
    // stream has an error listener. The error itself is reported by the loop, not this callback.
    input = pipeline(file, createGunzip(), () => {});
  }
  try {
    let number = 0;
    // readline rejects the iteration when its input fails.
    for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      number++;
      // A UTF-8 byte-order mark (as Windows editors write) is not part of the first record.
      yield { number, text: number === 1 && text.startsWith('\ufeff') ? text.slice(1) : text };
    }
  } finally {
    input.destroy();
    file.destroy();
  }
}
