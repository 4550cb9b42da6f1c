/**
 * A person using the newsroom through real HTTP (`app.inject`): their cookies
 * kept between requests as a browser keeps them, and the CSRF token of the
 * last page they saw sent with their next form, as the page's form would.
 *
 * @example
 *   const admin = await Desk.setUp(app);                 // the site's first administrator
 *   const author = await admin.invite('author');         // invited, joined, signed in
 *   const res = await author.post('/admin/articles', { headline: 'Talks resume', section: 'World', body_text: 'Text' });
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const PASSWORD = 'correct horse battery staple';

export interface Sent {
  /** Leave out the CSRF token (or send this one instead). */
  csrf?: string | false;
  headers?: Record<string, string>;
}

export class Desk {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that showed one. */
  csrf: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly email = '',
  ) {}

  /** Creates the first administrator through the set-up form; signed in. */
  static async setUp(app: FastifyInstance, email = 'ada@news.test'): Promise<Desk> {
    const desk = new Desk(app, email);
    await desk.get('/admin/setup');
    const res = await desk.post('/admin/setup', { name: 'Ada Admin', email, password: PASSWORD });
    if (res.statusCode !== 303) throw new Error(`set up: ${res.statusCode} ${res.body.slice(0, 500)}`);
    await desk.get('/admin');
    return desk;
  }

  /** Invites someone with this role, who accepts and is then signed in (as the returned desk). */
  async invite(role: string, email = `${role}-${Math.random().toString(36).slice(2, 8)}@news.test`, name?: string) {
    await this.get('/admin/users');
    const res = await this.post('/admin/users/invite', { email, role });
    const token = /\/admin\/invitations\/([A-Za-z0-9_-]+)/.exec(res.body)?.[1];
    if (!token) throw new Error(`no invitation link: ${res.statusCode} ${res.body.slice(0, 500)}`);
    const joined = new Desk(this.app, email);
    await joined.get(`/admin/invitations/${token}`);
    const accepted = await joined.post(`/admin/invitations/${token}`, {
      name: name ?? `${role[0]!.toUpperCase()}${role.slice(1)} Person`,
      password: PASSWORD,
    });
    if (accepted.statusCode !== 303) throw new Error(`accept: ${accepted.statusCode} ${accepted.body.slice(0, 500)}`);
    await joined.get('/admin');
    return joined;
  }

  async get(url: string, sent: Sent = {}): Promise<LightMyRequestResponse> {
    return this.send('GET', url, undefined, sent);
  }

  /** A form post (urlencoded), with the last page's CSRF token unless told otherwise. */
  async post(url: string, form: Record<string, string> = {}, sent: Sent = {}): Promise<LightMyRequestResponse> {
    const token = sent.csrf === undefined ? this.csrf : sent.csrf;
    const body = new URLSearchParams({ ...(token ? { _csrf: token } : {}), ...form }).toString();
    return this.send('POST', url, body, {
      ...sent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sent.headers },
    });
  }

  /** A script's request (the editor's autosave): JSON, the token in `x-csrf-token`. */
  async json(method: 'PUT' | 'POST', url: string, payload: unknown, sent: Sent = {}): Promise<LightMyRequestResponse> {
    const token = sent.csrf === undefined ? this.csrf : sent.csrf;
    return this.send(method, url, JSON.stringify(payload), {
      ...sent,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}), ...sent.headers },
    });
  }

  /** A multipart upload of one file in the field `file`, the token in `x-csrf-token`. */
  async upload(url: string, bytes: Buffer, filename = 'photo.jpg', sent: Sent = {}): Promise<LightMyRequestResponse> {
    const token = sent.csrf === undefined ? this.csrf : sent.csrf;
    const boundary = `----dateline${Math.random().toString(16).slice(2)}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.send('POST', url, body, {
      ...sent,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(token ? { 'x-csrf-token': token } : {}),
        ...sent.headers,
      },
    });
  }

  private async send(method: string, url: string, payload: string | Buffer | undefined, sent: Sent) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      ...(payload !== undefined ? { payload } : {}),
      headers: { ...(cookie ? { cookie } : {}), ...sent.headers },
    });
    const setCookies = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookies) ? setCookies : setCookies ? [setCookies] : []) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
}

/** The first value of an input named `name` in a page's HTML. */
export function inputValue(page: string, name: string): string | undefined {
  const tag = new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*>`).exec(page)?.[0];
  if (!tag) return undefined;
  if (tag.startsWith('<textarea')) {
    const start = page.indexOf(tag) + tag.length;
    return page.slice(start, page.indexOf('</textarea>', start));
  }
  return /value="([^"]*)"/.exec(tag)?.[1];
}

/** The article id a create redirected to. */
export function createdId(res: LightMyRequestResponse): number {
  const id = /\/admin\/(?:articles|pages)\/(\d+)/.exec(String(res.headers.location))?.[1];
  if (res.statusCode !== 303 || !id) throw new Error(`not created: ${res.statusCode} ${res.body.slice(0, 800)}`);
  return Number(id);
}
