// Two builds of Dateline serving one page, against the bare node:http ceiling, on a busy machine.
//
//   node bench/pages-ab.mjs --base /tmp/base --new . --db sqlite:/tmp/bench.db --path /world/2026/12/06/slug \
//     [--rounds 5] [--seconds 6] [--cache off]
//
// `--base` and `--new` are checkouts with `dist/` built (`npm run build`); `--db` an existing database (keep one with
// `npm run bench:pages -- --keep`). Both servers run on it at once (JOBS=off, PAGE_CACHE=off unless `--cache on`),
// with a bare server answering the new build's page; each round loads the three in a rotated order with
// `wrk -t2 -c50`. Besides req/s, each run's CPU time of the server process (/proc/<pid>/stat) per request: on a
// machine shared with other work, req/s swing several-fold between runs, CPU per request far less. Prints one JSON
// object of medians over the rounds. See bench/README.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    new: { type: 'string', default: '.' },
    db: { type: 'string' },
    path: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '6' },
    cache: { type: 'string', default: 'off' },
  },
});
if (!values.base || !values.db || !values.path) {
  process.stderr.write(
    'usage: node bench/pages-ab.mjs --base DIR --new DIR --db DATABASE_URL --path /page [--rounds N --seconds S --cache on|off]\n',
  );
  process.exit(2);
}
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const tmp = mkdtempSync(join(tmpdir(), 'dateline-ab-'));
const env = {
  ...process.env,
  DATABASE_URL: values.db,
  MEDIA_DIR: tmp,
  DEMO_CONTENT: 'off',
  LOG_LEVEL: 'warn',
  LOG_REQUESTS: 'off',
  SITE_URL: '',
  WEATHER_PROVIDER: 'none',
  PAGE_CACHE: values.cache,
  JOBS: 'off',
  HOST: '127.0.0.1',
};
const children = [];
const start = (args, port) => {
  const child = spawn('nice', ['-n', '10', 'node', ...args], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  children.push(child);
  return child;
};
const answer = async (url) => {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Buffer.from(await res.arrayBuffer());
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no 200 from ${url}`);
};
/** CPU time (user + system) of a process so far, in µs (clock ticks of 10 ms). */
const cpuUs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
const wrk = (url, s) => {
  const out = execFileSync('nice', ['-n', '10', 'wrk', '-t2', '-c50', `-d${s}s`, url], { encoding: 'utf8' });
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), requests: Number(/(\d+) requests in/.exec(out)[1]) };
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  const servers = {
    base: start([join(resolve(values.base), 'bin/dateline.js'), 'serve'], 18501),
    new: start([join(resolve(values.new), 'bin/dateline.js'), 'serve'], 18502),
  };
  const urls = { base: `http://127.0.0.1:18501${values.path}`, new: `http://127.0.0.1:18502${values.path}` };
  const page = await answer(urls.new);
  await answer(urls.base);
  writeFileSync(join(tmp, 'page.html'), page);
  servers.bare = start([join(import.meta.dirname, 'bare-server.mjs'), '18503', join(tmp, 'page.html')], 0);
  urls.bare = 'http://127.0.0.1:18503/';
  await answer(urls.bare);
  const order = ['bare', 'base', 'new'];
  for (const k of order) wrk(urls[k], 2);
  const runs = { bare: [], base: [], new: [] };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < order.length; i++) {
      const k = order[(i + r) % order.length];
      const before = cpuUs(servers[k].pid);
      const w = wrk(urls[k], seconds);
      runs[k].push({ rps: w.rps, cpuUsPerRequest: (cpuUs(servers[k].pid) - before) / w.requests });
      process.stderr.write(
        `round ${r + 1} ${k}: ${w.rps.toFixed(0)} req/s, ${runs[k].at(-1).cpuUsPerRequest.toFixed(0)} µs CPU per request\n`,
      );
    }
  }
  const out = { path: values.path, pageCache: values.cache, rounds, seconds, bytes: page.length };
  for (const k of order) {
    out[k] = {
      rps: median(runs[k].map((x) => x.rps)),
      cpuUsPerRequest: median(runs[k].map((x) => x.cpuUsPerRequest)),
      runs: runs[k].map((x) => Math.round(x.rps)),
    };
  }
  for (const k of ['base', 'new']) {
    // Each run against the bare run of its own round, then the median.
    out[k].ofCeiling = median(runs[k].map((x, i) => x.rps / runs.bare[i].rps));
    // The bare server's CPU per request over this build's: what fraction of the ceiling a core would serve.
    out[k].ofCeilingByCpu = out.bare.cpuUsPerRequest / out[k].cpuUsPerRequest;
    out[k].peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${servers[k].pid}/status`, 'utf8'))[1]) / 1024;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
