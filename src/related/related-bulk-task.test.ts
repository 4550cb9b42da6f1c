import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DfTable } from './related-bulk-df.js';
import { type BulkResult, runTask, transferables } from './related-bulk-task.js';
import { featureCounts } from './related-index.repository.js';

describe('transferables', () => {
  it("moves a result's own buffers to the receiving thread, each once, and no shared memory", async () => {
    const docs = [
      { headline: 'Flood waters rise in Valmora', body: 'Residents leave as the river rises.' },
      { headline: 'Valmora flood: the river crests', body: 'The river crests overnight.' },
    ].map((t, k) => ({ id: k + 1, text: { ...t, standfirst: '' }, publishedAt: new Date(Date.UTC(2024, 0, 1 + k)) }));
    const counted = await runTask({}, { kind: 'count', docs });
    const df = new DfTable();
    for (const d of docs) for (const term of featureCounts(d.text).counts.keys()) df.add(term, 1);
    df.documents = docs.length;
    const weighed = await runTask({ df }, { kind: 'weigh', docs });
    const lists: BulkResult = {
      positions: Int32Array.from([0, 1]),
      ids: Int32Array.from([2, 1]),
      scores: Float64Array.from([0.5, 0.5]),
      links: new Int32Array(new SharedArrayBuffer(8)),
    };
    // Every vector of a weigh task is a view of one buffer; counting gives six arrays; the shared one stays.
    expect([counted, weighed, lists].map((r) => transferables(r).length)).toEqual([6, 1, 3]);
    for (const result of [counted, weighed, lists]) {
      const buffers = transferables(result);
      expect(buffers.every((b) => b instanceof ArrayBuffer)).toBe(true);
      expect(new Set(buffers).size).toBe(buffers.length);
      const before = structuredClone(result);
      const { port1, port2 } = new MessageChannel();
      port1.postMessage(result, buffers);
      const received = receiveMessageOnPort(port2)?.message as BulkResult;
      port1.close();
      // Moved: the sender's views are empty, the receiver's hold what they held.
      expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
      expect(received).toEqual(before);
    }
  });
});
