/**
 * Content checksums that mean the same on SQLite and PostgreSQL: rows are
 * normalised (timestamps → ISO strings, columns in name order) before hashing,
 * so a site copied between dialects hashes alike on both sides.
 *
 * @example
 *   const hash = tableHash();
 *   for (const row of rows) hash.add(row); // rows in primary-key order
 *   const { rows: count, checksum } = hash.digest();
 */
import { createHash } from 'node:crypto';

export interface TableSum {
  rows: number;
  /** sha256 (hex) over the normalised rows, one JSON line each. */
  checksum: string;
}

/** A value as it should be written to either dialect: PostgreSQL's `timestamptz` arrives as a Date. */
export function toWritable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * A value as it is compared. Fractional numbers are compared at float32
 * precision because the schema declares them `real`, which PostgreSQL keeps in
 * 4 bytes (SQLite in 8): `related_articles.score` loses digits past the
 * seventh on the way to PostgreSQL, as it does when PostgreSQL sites compute it.
 */
export function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.fround(value);
  return value;
}

/** The JSON line hashed for one row: `[[column, value], …]` in column-name order. */
export function rowLine(row: Record<string, unknown>): string {
  const entries = Object.keys(row)
    .sort()
    .map((key) => [key, comparable(row[key])]);
  return JSON.stringify(entries);
}

/** Accumulates one table's rows (fed in primary-key order) into a count and a checksum. */
export function tableHash(): { add(row: Record<string, unknown>): void; digest(): TableSum } {
  const hash = createHash('sha256');
  let rows = 0;
  return {
    add(row) {
      hash.update(rowLine(row));
      hash.update('\n');
      rows++;
    },
    digest: () => ({ rows, checksum: hash.digest('hex') }),
  };
}
