/**
 * Hostile input on every newsroom route, signed in as an administrator (who
 * may reach them all): each field of each form, each query parameter and
 * each path parameter takes values a fuzzer or an attacker would send. No
 * answer may be a 5xx, nothing sent may come back unescaped, and the article
 * already saved must come through unchanged.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { createdId, Desk } from '../../test/newsroom-client.js';

const HOSTILE = [
  '',
  ' ',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999',
  'NaN',
  'null',
  '[]',
  '{"type":"doc","content":[{"type":"doc"}]}',
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '%00%ff',
  '\u0000',
  '\ud800',
  '‮evil‬ مرحبا 你好 🎉',
  'x'.repeat(70_000),
];

/** Form fields of every newsroom form, by route. */
const FORMS: Record<string, string[]> = {
  '/admin/articles': [
    'headline',
    'standfirst',
    'section',
    'authors',
    'tags',
    'lead_src',
    'lead_width',
    'body_doc',
    'body_text',
    'embargo_until',
    'slug',
    'language',
  ],
  '/admin/articles/:id': ['headline', 'section', 'version', 'body_doc', 'lead_src', 'lead_height', 'embargo_until'],
  '/admin/articles/:id/submit': ['version'],
  '/admin/articles/:id/send-back': ['comment', 'version'],
  '/admin/articles/:id/schedule': ['at', 'version'],
  '/admin/articles/:id/notes': ['kind', 'text', 'version'],
  '/admin/articles/:id/restore/1': ['version'],
  '/admin/users/invite': ['email', 'role'],
  '/admin/users/:other/role': ['role'],
  '/admin/sections': ['name', 'description'],
  '/admin/sections/:section': ['name', 'description', 'position'],
  '/admin/tags/:tag': ['name'],
  '/admin/authors/:author': ['name', 'bio', 'photo'],
  '/admin/settings': ['siteName', 'siteDescription', 'logo', 'timeZone', 'weatherCity', 'weatherUnits'],
  '/admin/account/password': ['current', 'password'],
  '/admin/reset-password': ['token', 'password'],
  '/admin/login': ['email', 'password', 'next'],
  '/admin/pages': ['title', 'slug', 'position', 'body_text', 'body_doc'],
  '/admin/pages/1': ['title', 'slug', 'position', 'body_text'],
  '/admin/webhooks': ['url', 'events'],
  '/admin/import': ['url', 'section', 'mode'],
};

const PAGES = [
  '/admin?state=:v',
  '/admin?section=:v',
  '/admin?author=:v',
  '/admin?q=:v',
  '/admin?after=:v',
  '/admin/articles/:v',
  '/admin/articles/:id/history?from=:v&to=:v',
  '/admin/tags?prefix=:v',
  '/admin/tags?after=:v',
  '/admin/authors?prefix=:v',
  '/admin/audit?action=:v',
  '/admin/audit?before=:v',
  '/admin/login?next=:v',
  '/admin/invitations/:v',
  '/admin/reset-password?token=:v',
];

/** The value in a URL; a lone surrogate, which has no UTF-8, as the bytes a broken client would send. */
function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

describeTargets('the newsroom under hostile input on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let admin: Desk;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    admin = await Desk.setUp(app);
    await admin.invite('author', 'other@news.test');
    await admin.get('/admin/articles/new');
    ids.id = String(
      createdId(
        await admin.post('/admin/articles', {
          headline: 'Kept safe',
          section: 'World',
          authors: 'Ada Admin',
          tags: 'Harbour',
          body_text: 'The text that must survive.',
        }),
      ),
    );
    const { db } = app.dateline.database;
    ids.other = String((await app.dateline.accounts.findUserByEmail('other@news.test'))!.id);
    ids.section = String((await db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id);
    ids.tag = String((await db.selectFrom('tags').select('id').executeTakeFirstOrThrow()).id);
    ids.author = String((await db.selectFrom('authors').select('id').executeTakeFirstOrThrow()).id);
  });
  afterAll(() => t.cleanup());

  const path = (route: string) => route.replace(/:(id|other|section|tag|author)\b/g, (_, k: string) => ids[k]!);
  let failures: string[] = [];
  beforeEach(() => {
    failures = [];
  });
  const check = (what: string, status: number, body: string) => {
    if (status >= 500) failures.push(`${what}: ${status}`);
    if (body.includes('<script>alert("x")</script>') || body.includes('<img src=x onerror'))
      failures.push(`${what}: echoed unescaped`);
  };

  // Hundreds of requests in one test: its limit is for a hung request, not a measure of speed.
  it('answers every form field with every hostile value without a 5xx or an unescaped echo', {
    timeout: 180_000,
  }, async () => {
    for (const [route, names] of Object.entries(FORMS)) {
      for (const name of names) {
        for (const value of HOSTILE) {
          await admin.get('/admin');
          const res = await admin.post(path(route), { [name]: value });
          check(`POST ${route} ${name}=${JSON.stringify(value.slice(0, 30))}`, res.statusCode, res.body);
        }
      }
    }
    // Nothing hostile ended the session (a password change, a log-in attempt).
    expect((await admin.get('/admin')).statusCode).toBe(200);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('answers every query and path parameter with every hostile value without a 5xx', async () => {
    for (const page of PAGES) {
      for (const value of HOSTILE) {
        const url = path(page).replaceAll(':v', encoded(value));
        const res = await admin.get(url);
        check(`GET ${page} ${JSON.stringify(value.slice(0, 30))}`, res.statusCode, res.body);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('answers malformed autosave requests with a 4xx and a stable code', async () => {
    await admin.get(`/admin/articles/${ids.id}`);
    let deep: unknown = { type: 'paragraph' };
    for (let i = 0; i < 2000; i++) deep = { type: 'doc', content: [deep] };
    const bodies: unknown[] = [
      null,
      [],
      'text',
      { version: '1', fields: {} },
      { version: 1, fields: [] },
      { version: 1, fields: { headline: { $gt: '' } } },
      { version: 1.5, fields: {} },
      { version: -1, fields: {} },
      { version: 1, fields: { headline: 'x', section: 'World' }, body_doc: deep },
      { version: 1, fields: { headline: 'x', section: 'World' }, body_doc: { type: 'doc', content: 'no' } },
      { version: 1, fields: { headline: 'x', section: 'World' }, body_doc: '{"type":' },
      { version: 1, fields: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, 'x'])) },
    ];
    for (const payload of bodies) {
      const res = await admin.json('PUT', `/admin/api/articles/${ids.id}`, payload);
      const what = `PUT autosave ${JSON.stringify(payload)?.slice(0, 60)}`;
      check(what, res.statusCode, res.body);
      if (res.statusCode < 400) failures.push(`${what}: accepted (${res.statusCode})`);
      else if (!/^[A-Z_]+$/.test(res.json<{ error: { code: string } }>().error?.code ?? ''))
        failures.push(`${what}: no code`);
    }
    const raw = await admin.app.inject({
      method: 'PUT',
      url: `/admin/api/articles/${ids.id}`,
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': admin.csrf!,
        cookie: `dateline_session=${admin.cookies.get('dateline_session')}`,
      },
      payload: '{"version": 1, "fields": {',
    });
    check('PUT autosave, broken JSON', raw.statusCode, raw.body);
    expect(raw.statusCode).toBe(400);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('kept the saved article as it was', async () => {
    const article = (await app.dateline.articles.get(Number(ids.id)))!;
    expect(article.body).toEqual([{ type: 'paragraph', html: 'The text that must survive.' }]);
  });
});
