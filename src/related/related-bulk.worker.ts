/**
 * A worker thread of a bulk pass: holds the shared in-memory index and runs
 * the tasks it is sent, one at a time (`related-bulk-task.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BulkIndexData } from './related-bulk-index.js';
import { type BulkTask, runTask, type Source, sourceOf } from './related-bulk-task.js';

type Message = { kind: 'index'; index: BulkIndexData } | { kind: 'task'; id: number; task: BulkTask };

let source: Source = sourceOf(workerData as BulkIndexData);

parentPort?.on('message', (message: Message) => {
  if (message.kind === 'index') {
    source = sourceOf(message.index);
    return;
  }
  runTask(source, message.task).then(
    (result) => parentPort?.postMessage({ id: message.id, result }),
    (err: Error) => parentPort?.postMessage({ id: message.id, error: err.stack ?? err.message }),
  );
});
