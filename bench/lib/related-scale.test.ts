import { describe, expect, it } from 'vitest';
import { isScaleRun, scaleOptions, UsageError } from './related-scale.js';

describe('scaleOptions', () => {
  it('takes a comma list of sizes, ascending and without repeats, and the defaults', () => {
    expect(scaleOptions(['--scale', '100000,10000,10_000'], {})).toEqual({
      sizes: [10_000, 100_000],
      db: 'sqlite',
      postgresUrl: undefined,
      samples: 200,
      reads: 2000,
      seed: 42,
      reuse: undefined,
    });
  });

  it('measures a kept database as it is with --reuse, its database told by its URL', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_import_1';
    expect(scaleOptions(['--reuse', url], {})).toMatchObject({ sizes: [0], db: 'postgres', reuse: url });
    expect(scaleOptions(['--reuse', 'sqlite:/tmp/x/bench.db'], {})).toMatchObject({ db: 'sqlite' });
  });

  it.each([
    ['--scale', ''],
    ['--scale', '10k'],
    ['--scale', '10000,'],
    ['--scale', '50'],
    ['--scale', '1', '--db', 'mysql'],
  ])('refuses %j', (...argv) => {
    expect(() => scaleOptions(argv, {})).toThrow(UsageError);
  });

  it('needs BENCH_DATABASE_URL for PostgreSQL', () => {
    expect(() => scaleOptions(['--scale', '10000', '--db', 'postgres'], {})).toThrow(/BENCH_DATABASE_URL/);
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(scaleOptions(['--scale', '10000', '--db', 'postgres'], { BENCH_DATABASE_URL: url }).postgresUrl).toBe(url);
  });

  it('is asked for by --scale or --reuse, in either spelling', () => {
    expect(isScaleRun(['--scale', '1000'])).toBe(true);
    expect(isScaleRun(['--scale=1000'])).toBe(true);
    expect(isScaleRun(['--reuse', 'sqlite:/tmp/x.db'])).toBe(true);
    expect(isScaleRun(['--corpus', 'x.jsonl.gz', '--label', 'story'])).toBe(false);
  });
});
