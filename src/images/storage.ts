/**
 * Writes an image's files all at once or not at all. They are written into
 * a fresh folder under `images/.incoming/`, each flushed to disk, then the
 * folder is renamed to `images/<hash>` — one atomic step — and the rename
 * itself flushed. A crash (or a full disk) part-way leaves a folder in
 * `.incoming/`, never a half image under its public name: `/media/` serves
 * no dotfile or dot-folder, and the next upload sweeps old leftovers.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileToStore {
  name: string;
  data: Buffer;
}

/** Where a folder still being written lives, under the images folder. */
export const INCOMING = '.incoming';
/** A stored image's description, beside its files (a dotfile: never served). */
export const MANIFEST = '.manifest.json';

/**
 * Stores `files` (and `manifest`) as `root/<hash>/`. Returns `'existed'`
 * when a complete folder of that hash is already there (the same bytes,
 * uploaded concurrently): the new copy is dropped, the stored one kept.
 *
 * @example
 *   await storeAtomically('/srv/media/images', hash, files, { hash, width: 1920 });
 */
export async function storeAtomically(
  root: string,
  hash: string,
  files: readonly FileToStore[],
  manifest: unknown,
): Promise<'stored' | 'existed'> {
  const incoming = join(root, INCOMING);
  await mkdir(incoming, { recursive: true });
  const temp = join(incoming, `${hash}-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  try {
    for (const file of files) await writeDurably(join(temp, file.name), file.data);
    await writeDurably(join(temp, MANIFEST), Buffer.from(JSON.stringify(manifest)));
    await syncDirectory(temp);
    try {
      await rename(temp, join(root, hash));
    } catch (err) {
      // Renaming onto a non-empty folder fails: another upload of the same bytes finished first.
      if (!isCode(err, 'ENOTEMPTY', 'EEXIST')) throw err;
      await rm(temp, { recursive: true, force: true });
      return 'existed';
    }
    await syncDirectory(root);
    return 'stored';
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

/**
 * The manifest of a stored image, or undefined when there is no folder.
 * A folder without a readable manifest (copied in by hand, damaged) is set
 * aside (`setAside`), so that the caller can store the image again.
 *
 * @example
 *   const stored = await readStored<Manifest>('/srv/media/images', hash);
 */
export async function readStored<T>(root: string, hash: string): Promise<T | undefined> {
  const dir = join(root, hash);
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as T;
  } catch (err) {
    if (!isCode(err, 'ENOENT') && !(err instanceof SyntaxError)) throw err;
    if (await exists(dir)) await setAside(root, hash);
    return undefined;
  }
}

/**
 * Moves a stored image's folder into `.incoming/`, to be swept, so that it
 * can be stored again (its manifest is damaged, or from another version).
 *
 * @example
 *   await setAside('/srv/media/images', hash);
 */
export async function setAside(root: string, hash: string): Promise<void> {
  await mkdir(join(root, INCOMING), { recursive: true });
  await rename(join(root, hash), join(root, INCOMING, `old-${hash}-${randomBytes(6).toString('hex')}`)).catch((e) => {
    if (!isCode(e, 'ENOENT')) throw e;
  });
}

/**
 * Removes what interrupted uploads left in `.incoming/` more than `olderThanMs` ago
 * (younger folders may be uploads in progress, here or on another instance).
 * Returns how many were removed.
 *
 * @example
 *   await sweepIncoming('/srv/media/images', 3_600_000);
 */
export async function sweepIncoming(root: string, olderThanMs: number, now = Date.now()): Promise<number> {
  const incoming = join(root, INCOMING);
  let names: string[];
  try {
    names = await readdir(incoming);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(incoming, name);
    const info = await stat(path).catch(() => undefined);
    if (!info || now - info.mtimeMs < olderThanMs) continue;
    await rm(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Written and flushed: after a power cut the file is whole, not empty. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the folder's entries (new files, a rename) survive a power cut. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException)?.code ?? '');
}
