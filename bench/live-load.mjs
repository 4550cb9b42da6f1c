// Child process of bench:live: requests one URL with C keep-alive connections for S seconds and
// reports requests per second (and any non-200 answers).
import { Agent, get } from 'node:http';

const [url, concurrency, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const end = performance.now() + seconds * 1000;
let done = 0;
let bad = 0;
const one = () =>
  new Promise((resolve) => {
    get(url, { agent }, (res) => {
      if (res.statusCode !== 200) bad++;
      res.resume();
      res.on('end', resolve);
    }).on('error', () => {
      bad++;
      resolve();
    });
  });
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      await one();
      done++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ rps: done / seconds, bad })}\n`);
agent.destroy();
