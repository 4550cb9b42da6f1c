// Child process of bench:live: N readers of the live page's polling fallback, as live.js polls it — every
// 10 s, the current ten-second bucket's URL, each reader at its own phase — through nginx, for S seconds.
// Reports polls, nginx's X-Cache-Status counts and any non-200 answer, as one line of JSON.
import { Agent, get } from 'node:http';

const [base, coverage, readers, seconds] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  Number(process.argv[5]),
];
const POLL_MS = 10_000;
const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const statuses = {};
let polls = 0;
let bad = 0;

const poll = () =>
  new Promise((resolve) => {
    const bucket = Math.floor(Date.now() / 1000 / 10);
    const req = get(
      `${base}/live/${coverage}/updates/${bucket}`,
      { agent, headers: { accept: 'application/json' } },
      (res) => {
        polls++;
        if (res.statusCode !== 200) bad++;
        const status = String(res.headers['x-cache-status'] ?? 'none');
        statuses[status] = (statuses[status] ?? 0) + 1;
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => {
      bad++;
      resolve();
    });
  });

const end = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: readers }, async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
    while (Date.now() < end) {
      const started = Date.now();
      await poll();
      const wait = Math.min(POLL_MS - (Date.now() - started), end - Date.now());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    }
  }),
);
agent.destroy();
process.stdout.write(`${JSON.stringify({ polls, bad, statuses })}\n`);
