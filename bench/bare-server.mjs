// The ceiling for bench/pages.bench.ts: a bare node:http server that answers
// every request with one pre-rendered page, keep-alive, nothing else.
// Usage: node bench/bare-server.mjs PORT FILE [CONTENT_TYPE]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file, contentType = 'text/html; charset=utf-8'] = process.argv.slice(2);
const body = readFileSync(file);
const headers = { 'content-type': contentType, 'content-length': body.length };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
