/**
 * The folder rules of `src/` (see docs/ARCHITECTURE.md), checked by
 * `npm run lint:deps` as part of `npm run check`: no two folders import each
 * other, and the arrows point one way, from the faces down to the database.
 *
 *   cli, server → app (faces) → site, weather, ops, web
 *              → services → publishing, ingest, demo
 *              → images, articles, related, search → events → jobs → db, lib
 *              → accounts → audit → db, lib
 */
const below = (folders) => `^src/(${folders.join('|')})/`;
const HIGH = ['web', 'site', 'feeds', 'seo', 'weather', 'ops', 'publishing', 'ingest', 'demo', 'cli', 'api'];
const ROOT = '^src/(app|services|server)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other can no longer be read top-down: one of them must give way.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-below-faces',
      comment:
        'The domain, its storage and the job queue know nothing of the faces, the web layer or the composition roots.',
      severity: 'error',
      from: {
        path: below([
          'lib',
          'db',
          'net',
          'instances',
          'jobs',
          'events',
          'articles',
          'related',
          'search',
          'images',
          'accounts',
          'audit',
          'webhooks',
          'live',
          'breaking',
        ]),
      },
      to: { path: [below(HIGH), ROOT] },
    },
    {
      name: 'web-layer-is-shared',
      comment: 'The web layer serves every face; it knows none of them, nor the domain.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: [
          below([
            'site',
            'feeds',
            'seo',
            'weather',
            'ops',
            'articles',
            'related',
            'search',
            'images',
            'publishing',
            'ingest',
            'events',
            'jobs',
            'accounts',
            'audit',
          ]),
          ROOT,
        ],
      },
    },
    {
      name: 'faces-independent',
      comment: 'Faces meet only in app.ts: the reader site and the weather do not import each other.',
      severity: 'error',
      from: { path: '^src/(site|weather)/' },
      to: { path: '^src/(site|weather)/', pathNot: '^src/$1/' },
    },
    {
      name: 'articles-know-no-consumers',
      comment:
        'Indexes (search, related) reach the article service through the ArticleIndex interface, wired in services.ts; images (their files, the missing-image check) are checked by the callers of a save.',
      severity: 'error',
      from: { path: '^src/articles/' },
      to: { path: below(['related', 'search', 'images']) },
    },
    {
      name: 'no-http-server-in-services',
      comment: 'Services, repositories and jobs run without a web server (the CLI and workers use them alone).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(web|site|weather|ops)/', ROOT, '\\.test\\.ts$'] },
      to: { path: '(^|/)node_modules/(fastify|@fastify/[^/]+)/' },
    },
    {
      name: 'repositories-below-services',
      severity: 'error',
      from: { path: '\\.repository\\.ts$' },
      to: { path: '\\.service\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Rules are for the code that ships; tests may reach anywhere (test/helpers.ts builds the whole app).
    exclude: { path: ['(^|/)(node_modules|dist)/', '\\.test\\.ts$', '^src/.*/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
