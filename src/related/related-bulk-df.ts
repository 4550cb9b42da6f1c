/**
 * Document frequencies in memory for a bulk pass: term hash → how many
 * indexed articles carry it, plus the number of articles, on a typed hash
 * table that worker threads can share (a million-article site has millions
 * of features: a Map of them would be hundreds of megabytes per thread).
 *
 * @example
 *   const df = new DfTable();
 *   df.add(termHash('quake'), 1);
 *   df.get(termHash('quake')); // 1
 */
import { HashTable, type HashTableData } from './related-bulk-hash.js';

export class DfTable {
  constructor(
    private readonly table = new HashTable(),
    public documents = 0,
  ) {}

  static from(data: HashTableData & { documents: number }): DfTable {
    return new DfTable(new HashTable(0, data), data.documents);
  }

  get(term: number): number {
    const v = this.table.get(term);
    return Math.max(v, 0);
  }

  add(term: number, n: number): void {
    const slot = this.table.slot(term);
    this.table.values[slot] = (this.table.values[slot] as number) + n;
  }

  /** Every (term, df), `size` at a time. */
  *entries(size: number): Generator<[number, number][]> {
    let part: [number, number][] = [];
    const { keys, values } = this.table;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      part.push([keys[i] as number, values[i] as number]);
      if (part.length >= size) {
        yield part;
        part = [];
      }
    }
    if (part.length > 0) yield part;
  }

  /** Every (term, df) by term, `size` at a time. */
  *sorted(size: number): Generator<[number, number][]> {
    const all = [...this.entries(Number.POSITIVE_INFINITY)].flat().sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
  }

  share(): HashTableData & { documents: number } {
    return { ...this.table.share(), documents: this.documents };
  }
}
