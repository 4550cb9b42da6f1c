#!/usr/bin/env node
// The CLI entry point: runs the compiled code (`npm run build` makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('dateline: dist/ is missing; run `npm run build` first.\n');
  process.exit(1);
}
const argv = process.argv.slice(2);
// A bulk command (an import, `related rebuild`) runs again in a child whose C heap gives memory back;
// this process then only waits for it (it loads nothing else).
const { runWithFixedMmapThreshold } = await import(new URL('../dist/lib/malloc.js', import.meta.url).href);
const code = await runWithFixedMmapThreshold(argv, { script: fileURLToPath(import.meta.url) });
process.exitCode = code ?? (await (await import(main.href)).run(argv));
