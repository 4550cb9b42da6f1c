// Child process of bench:live: opens N Server-Sent Events streams over raw sockets (8 per loopback
// address, the server's per-address cap), reports when all are open, then the wall-clock time each
// stream received each entry. Kept apart from the server so the server's memory is its own.
import { connect } from 'node:net';

const [port, coverage, count] = process.argv.slice(2).map(Number);
const now = () => performance.timeOrigin + performance.now();
const sockets = [];
let open = 0;
let failed = 0;
/** entry id → receipt times */
const got = new Map();

for (let k = 0; k < count; k++) {
  const a = Math.floor(k / 8);
  const localAddress = `127.${1 + Math.floor(a / 62500)}.${Math.floor(a / 250) % 250}.${1 + (a % 250)}`;
  const s = connect({ port, host: '127.0.0.1', localAddress });
  let head = true;
  s.setEncoding('utf8');
  s.on('connect', () =>
    s.write(`GET /live/${coverage}/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`),
  );
  s.on('data', (chunk) => {
    if (head) {
      head = false;
      if (chunk.startsWith('HTTP/1.1 200')) open++;
      else failed++;
      if (open + failed === count) process.send({ type: 'ready', open, failed });
    }
    for (const m of chunk.matchAll(/^id: (\d+)$/gm)) {
      const id = Number(m[1]);
      if (!got.has(id)) got.set(id, []);
      got.get(id).push(now());
    }
  });
  s.on('error', () => {
    if (head) {
      head = false;
      failed++;
      if (open + failed === count) process.send({ type: 'ready', open, failed });
    }
  });
  sockets.push(s);
}

process.on('message', (m) => {
  if (m.type === 'report') process.send({ type: 'report', times: got.get(m.id) ?? [] });
  if (m.type === 'close') {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
