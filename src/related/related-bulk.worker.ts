/**
 * A worker thread of a bulk pass: keeps what it is given (the shared
 * in-memory index, document frequencies) and runs the tasks it is sent, one
 * at a time (`related-bulk-task.ts`).
 */
import { parentPort } from 'node:worker_threads';
import {
  applyState,
  type BulkTask,
  runTask,
  type StateMessage,
  transferables,
  type WorkerState,
} from './related-bulk-task.js';

type Message = StateMessage | { kind: 'task'; id: number; task: BulkTask };

const state: WorkerState = {};

parentPort?.on('message', (message: Message) => {
  if (message.kind !== 'task') {
    applyState(state, message);
    return;
  }
  runTask(state, message.task).then(
    (result) => parentPort?.postMessage({ id: message.id, result }, transferables(result)),
    (err: Error) => parentPort?.postMessage({ id: message.id, error: err.stack ?? err.message }),
  );
});
