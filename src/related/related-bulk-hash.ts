/**
 * An int32 → int32 hash table on typed arrays (open addressing, linear
 * probing, key 0 meaning empty: feature hashes are never 0, story ids are
 * article ids), for the bulk pass's millions of features: a Map of them would
 * cost hundreds of megabytes per thread. `share()` copies it to shared memory
 * for worker threads.
 *
 * @example
 *   const t = new HashTable();
 *   t.values[t.slot(42)] = 7;
 *   t.get(42); // 7
 */
export const sharedInt32 = (n: number) => new Int32Array(new SharedArrayBuffer(Math.max(8, n * 4)));

export interface HashTableData {
  keys: Int32Array;
  values: Int32Array;
}

/**
 * Int32 key → int32 value, open addressing, key 0 meaning empty (feature
 * hashes are never 0; story ids are article ids).
 */
export class HashTable {
  keys: Int32Array;
  values: Int32Array;
  size = 0;
  constructor(capacity = 1 << 16, data?: HashTableData) {
    this.keys = data?.keys ?? new Int32Array(capacity);
    this.values = data?.values ?? new Int32Array(capacity);
  }
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let i = Math.imul(key, 0x9e3779b1) & mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }
  get(key: number): number {
    const i = this.slotOf(key);
    return this.keys[i] === key ? (this.values[i] as number) : -1;
  }
  /** The slot holding `key`, or -1. */
  find(key: number): number {
    const i = this.slotOf(key);
    return this.keys[i] === key ? i : -1;
  }
  /** The slot of `key`, added (with value 0) if new. */
  slot(key: number): number {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const i = this.slotOf(key);
    if (this.keys[i] === 0) {
      this.keys[i] = key;
      this.size++;
    }
    return i;
  }
  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      const j = this.slotOf(keys[i] as number);
      this.keys[j] = keys[i] as number;
      this.values[j] = values[i] as number;
    }
  }
  /** The table on shared memory, for workers. */
  share(): HashTableData {
    const keys = sharedInt32(this.keys.length);
    const values = sharedInt32(this.keys.length);
    keys.set(this.keys);
    values.set(this.values);
    return { keys, values };
  }
}
