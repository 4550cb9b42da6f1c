import { createRequire } from 'node:module';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] };

/** The violations of the project's folder rules in `src/` under `baseDir`, as [rule, from, to]. */
async function violations(baseDir: string): Promise<string[][]> {
  const result = await cruise(
    ['src'],
    {
      ruleSet: { forbidden: config.forbidden },
      validate: true,
      baseDir,
      tsPreCompilationDeps: true,
      exclude: { path: ['\\.test\\.ts$', '/fixtures/'] },
    },
    { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  );
  if (typeof result.output === 'string') throw new Error('expected a cruise result');
  return result.output.summary.violations.map((v) => [v.rule.name, v.from, v.to]).sort();
}

// `npm run lint:deps` checks src/ itself with the same rules; here, that each rule fires when broken.
describe('the folder rules (npm run lint:deps)', () => {
  it('catch a folder cycle, a face importing another, the web layer importing a face, and articles importing an index', async () => {
    expect(await violations(new URL('./fixtures/dependency-rules', import.meta.url).pathname)).toEqual([
      ['articles-know-no-consumers', 'src/articles/article.service.ts', 'src/related/scoring.ts'],
      ['faces-independent', 'src/site/site.routes.ts', 'src/weather/weather.view.ts'],
      ['no-folder-cycles', 'src/articles', 'src/related'],
      ['no-folder-cycles', 'src/related', 'src/articles'],
      ['web-layer-is-shared', 'src/web/layout.ts', 'src/site/site.routes.ts'],
    ]);
  });
});
