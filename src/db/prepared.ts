/**
 * Queries built and compiled once, then run with new values: building a
 * Kysely query costs more than running it on SQLite, and a page view runs
 * the same few shapes again and again. Dialect-neutral: each database
 * instance compiles its own SQL on first use.
 *
 * @example
 *   const bySlug = prepared((db, slug: string) => db.selectFrom('articles').selectAll().where('slug', '=', slug));
 *   const rows = await bySlug(db, 'some-slug');
 */
import { CompiledQuery as Compiled, type CompiledQuery, type Kysely } from 'kysely';
import type { Schema } from './schema.js';

interface Compilable<O> {
  compile(): CompiledQuery<O>;
}

interface Plan {
  sql: string;
  /** For each parameter of the compiled query: the index of the argument it takes, or -1 for a constant. */
  slots: number[];
  constants: readonly unknown[];
}

/**
 * Wraps a query builder so it is compiled once per database. The builder
 * must use its arguments only as values (never to decide the query's shape),
 * since it runs once, with placeholders.
 */
export function prepared<A extends unknown[], O>(
  build: (db: Kysely<Schema>, ...args: A) => Compilable<O>,
): (db: Kysely<Schema>, ...args: A) => Promise<O[]> {
  const plans = new WeakMap<Kysely<Schema>, Plan>();
  return async (db, ...args) => {
    let plan = plans.get(db);
    if (!plan) {
      plan = compile(db, build, args.length);
      plans.set(db, plan);
    }
    const { slots, constants } = plan;
    const parameters = constants.map((value, i) => {
      const slot = slots[i] as number;
      return slot >= 0 ? args[slot] : value;
    });
    return (await db.executeQuery<O>(Compiled.raw(plan.sql, parameters) as CompiledQuery<O>)).rows;
  };
}

function compile<A extends unknown[], O>(
  db: Kysely<Schema>,
  build: (db: Kysely<Schema>, ...args: A) => Compilable<O>,
  arity: number,
): Plan {
  const marks = Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}\u0000`);
  const query = build(db, ...(marks as unknown as A)).compile();
  const slots = query.parameters.map((p) => (typeof p === 'string' ? marks.indexOf(p) : -1));
  if (marks.some((_, i) => !slots.includes(i))) throw new Error('prepared query: an argument was not used as a value');
  return { sql: query.sql, slots, constants: query.parameters };
}
