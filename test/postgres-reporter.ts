/**
 * A Vitest reporter that adds one line to the summary when suites needing
 * PostgreSQL were skipped (none was found): how many suites and tests, so a
 * SQLite-only run never passes for a full one. Suites are recognised by the
 * `needsPostgres` meta that `describePostgres` and `describeTargets` (in
 * `test/helpers.ts`) set.
 *
 * @example
 *   // vitest.config.ts
 *   test: { reporters: ['default', './test/postgres-reporter.ts'] }
 *   // prints, after the summary, without PostgreSQL:
 *   // PostgreSQL not available: 16 suites (109 tests) skipped.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class PostgresReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let suites = 0;
    let tests = 0;
    for (const module of modules) {
      // With PostgreSQL, a suite skipped here was filtered out (-t, .only), not left without a database.
      if (module.project.getProvidedContext().testDatabaseUrl) continue;
      for (const suite of module.children.allSuites()) {
        if (!suite.meta().needsPostgres || suite.state() !== 'skipped') continue;
        // Nested suites inherit the meta: count the outermost one only.
        if (suite.parent.type === 'suite' && suite.parent.meta().needsPostgres) continue;
        suites++;
        tests += [...suite.children.allTests('skipped')].length;
      }
    }
    if (suites > 0) {
      process.stdout.write(`\n PostgreSQL not available: ${suites} suites (${tests} tests) skipped.\n\n`);
    }
  }
}
