/**
 * Bundles the browser code with esbuild: the newsroom's body editor
 * (`src/newsroom/client/editor.ts` and `editor.css`) into
 * `dist/newsroom/assets/editor.js` and `editor.css`, minified, for ES2020
 * browsers, with every dependency inside (nothing is fetched at run time).
 * `npm run build` runs it after the TypeScript build; tests and a dev server
 * can bundle on demand with `bundleClient()`.
 *
 * @example
 *   node scripts/build-client.mjs            # writes dist/newsroom/assets/
 *   const { 'editor.js': js } = await bundleClient();
 */
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The entry points, relative to the repository root; each gives `<name>.js` or `<name>.css`. */
export const CLIENT_ENTRIES = ['src/newsroom/client/editor.ts', 'src/newsroom/client/editor.css'];

/** Where `npm run build` puts the bundles (beside the compiled newsroom code, as `src/<folder>/assets/` would be). */
export const CLIENT_OUTDIR = 'dist/newsroom/assets';

/** @param {{ outdir?: string, write?: boolean, minify?: boolean }} options */
function options({ outdir = CLIENT_OUTDIR, write = true, minify = true } = {}) {
  return {
    absWorkingDir: ROOT,
    entryPoints: CLIENT_ENTRIES,
    outdir,
    write,
    bundle: true,
    minify,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    // Some dependencies read NODE_ENV to choose their development checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  };
}

/**
 * Writes the bundles to `outdir` (default `dist/newsroom/assets`); returns their paths.
 *
 * @param {{ outdir?: string, minify?: boolean }} [opts]
 * @returns {Promise<string[]>}
 */
export async function buildClient(opts = {}) {
  const result = await esbuild.build({ ...options(opts), metafile: true });
  return Object.keys(result.metafile.outputs);
}

/**
 * Bundles in memory: `{ 'editor.js': …, 'editor.css': … }`.
 *
 * @param {{ minify?: boolean }} [opts]
 * @returns {Promise<Record<string, string>>}
 */
export async function bundleClient(opts = {}) {
  const result = await esbuild.build(options({ ...opts, write: false }));
  return Object.fromEntries(result.outputFiles.map((f) => [f.path.split('/').at(-1), f.text]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildClient();
  process.stdout.write(`client bundles: ${files.join(', ')}\n`);
}
