/**
 * A stand-in for the newsroom's article form, for the body editor's browser
 * tests: a local HTTP server (127.0.0.1, nothing else is reached) that sends
 * every response with the site's real security headers (CSP included) and
 * serves
 *
 * - `GET /edit`: the form, rendered the way the newsroom will (see the
 *   contract in `editorPage`), from the harness's `article` state;
 * - `GET /assets/editor.js|css`: the bundles, made on demand from the sources;
 * - `PUT /api/articles/7/autosave`: 409 for a version other than the
 *   article's, else answers from the `answers` queue (`ok` by default:
 *   version + 1), recording each request;
 * - `POST /api/media`: records the upload, answers `{ src, width, height }`;
 * - `GET /media/…`: that image, whatever the name;
 * - `POST /edit`: a normal form submit (recorded; saves; 303 back to the form).
 *
 * @example
 *   const harness = await startEditorHarness();
 *   await page.goto(`${harness.url}/edit`);
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleClient } from '../scripts/build-client.mjs';
import type { Block } from '../src/articles/article.js';
import { escapeHtml } from '../src/lib/html.js';
import { blocksToDoc, docScriptJson, docToBlocks } from '../src/newsroom/editor/document.js';
import { securityHeaders } from '../src/web/security-headers.js';

/** A 4×3 PNG (the upload's answer points at it). */
export const PHOTO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAGElEQVR4nGP8z8DwnwEJMDGgA0wRBgYGAPVJAgRk0M2hAAAAAElFTkSuQmCC',
  'base64',
);

export interface Article {
  id: string;
  version: number;
  updatedAt: string;
  headline: string;
  body: Block[];
}

export interface Recorded {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Answer = 'ok' | 409 | 500 | 422;

export interface EditorHarness {
  url: string;
  article: Article;
  /** How the next autosave requests are answered, in order; then `ok`. */
  answers: Answer[];
  autosaves: Recorded[];
  uploads: Recorded[];
  submits: URLSearchParams[];
  /** Delay before the editor autosaves (`data-autosave-delay`), in ms. */
  autosaveDelay: number;
  stop(): Promise<void>;
}

export const CSRF = 'csrf-token-for-tests';

/**
 * The article form as the newsroom renders it. The editor's contract:
 * `<meta name="csrf-token">`; a `<form>` with `data-article-id`,
 * `data-autosave-url`, `data-compare-url`, `data-updated-at`,
 * `data-saved-version` (and, for tests, `data-autosave-delay`); a hidden
 * `version` field; `[data-editor]` with `data-upload-url` wrapping the
 * plain-text `<textarea name="body_text">`; the document in
 * `<script type="application/json" id="editor-doc">`.
 */
export function editorPage(article: Article, autosaveDelay: number): string {
  const plain = article.body.map((b) => ('html' in b ? b.html : 'text' in b ? b.text : '')).join('\n\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edit: ${escapeHtml(article.headline)}</title>
<meta name="csrf-token" content="${CSRF}">
<link rel="stylesheet" href="/assets/editor.css">
<script src="/assets/editor.js" defer></script>
</head>
<body>
<main>
<h1>Edit article</h1>
<form method="post" action="/edit" data-article-id="${article.id}" data-autosave-url="/api/articles/${article.id}/autosave"
 data-compare-url="/edit/compare" data-updated-at="${article.updatedAt}" data-saved-version="${article.version}"
 data-autosave-delay="${autosaveDelay}">
<input type="hidden" name="_csrf" value="${CSRF}">
<input type="hidden" name="version" value="${article.version}">
<p><label for="headline">Headline</label><br><input id="headline" name="headline" value="${escapeHtml(article.headline)}"></p>
<div data-editor data-upload-url="/api/media">
<p><label for="body_text">Body</label></p>
<textarea id="body_text" name="body_text" rows="12" cols="60">${escapeHtml(plain)}</textarea>
<p data-editor-fallback>Plain text: leave a blank line between paragraphs.</p>
</div>
<script type="application/json" id="editor-doc">${docScriptJson(blocksToDoc(article.body))}</script>
<p><button type="submit">Save</button></p>
</form>
</main>
</body>
</html>
`;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Starts the harness on a free port of 127.0.0.1. */
export async function startEditorHarness(article: Article): Promise<EditorHarness> {
  const bundles = await bundleClient();
  let headers: Record<string, string> = {};
  const harness: EditorHarness = {
    url: '',
    article,
    answers: [],
    autosaves: [],
    uploads: [],
    submits: [],
    autosaveDelay: 300,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/edit') {
      return send(res, 200, 'text/html; charset=utf-8', editorPage(harness.article, harness.autosaveDelay));
    }
    if (req.method === 'GET' && path === '/edit/compare') return send(res, 200, 'text/plain', 'compare');
    if (req.method === 'GET' && path === '/assets/editor.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', bundles['editor.js'] ?? '');
    }
    if (req.method === 'GET' && path === '/assets/editor.css') {
      return send(res, 200, 'text/css; charset=utf-8', bundles['editor.css'] ?? '');
    }
    // Every uploaded image is this one, whatever its name (bodies name their own /media/ files).
    if (req.method === 'GET' && path?.startsWith('/media/')) return send(res, 200, 'image/png', PHOTO_PNG);
    if (req.method === 'GET' && path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (req.method === 'PUT' && path === `/api/articles/${harness.article.id}/autosave`) {
      const body = await readBody(req);
      harness.autosaves.push({ headers: req.headers, body });
      const answer = harness.answers.shift() ?? 'ok';
      // As the article service does: a save based on another version than the current one is refused.
      const stale = (JSON.parse(body.toString('utf8')) as { version?: unknown }).version !== harness.article.version;
      if (answer === 409 || stale) return json(res, 409, { error: { code: 'VERSION_CONFLICT', message: 'changed' } });
      if (answer === 500) return json(res, 500, { error: { code: 'INTERNAL', message: 'Something went wrong' } });
      if (answer === 422) return json(res, 422, { error: { code: 'INVALID_DOCUMENT', message: 'bad body' } });
      harness.article = {
        ...harness.article,
        version: harness.article.version + 1,
        updatedAt: new Date().toISOString(),
      };
      return json(res, 200, { version: harness.article.version, savedAt: harness.article.updatedAt });
    }
    if (req.method === 'POST' && path === '/api/media') {
      harness.uploads.push({ headers: req.headers, body: await readBody(req) });
      return json(res, 200, { src: '/media/photo.png', width: 4, height: 3 });
    }
    if (req.method === 'POST' && path === '/edit') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      harness.submits.push(form);
      harness.article = {
        ...harness.article,
        version: harness.article.version + 1,
        updatedAt: new Date().toISOString(),
        headline: form.get('headline') ?? '',
        body: docToBlocks(form.get('body_doc') ?? ''),
      };
      res.writeHead(303, { ...headers, location: '/edit' });
      return void res.end();
    }
    send(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  headers = { ...securityHeaders(harness.url) };
  return harness;
}
