/**
 * Worker threads for a bulk pass, fed slices of articles as they free up
 * (two in flight each, so a worker never waits for the writer). With no
 * threads the tasks run in the calling thread, one after the other.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  applyState,
  type BulkResult,
  type BulkTask,
  runTask,
  type StateMessage,
  type WorkerState,
} from './related-bulk-task.js';

export type BulkTasks = BulkTask[] | (() => Promise<BulkTask | undefined>);

export interface BulkPool {
  /**
   * Runs every task (an array, or a producer called for each next task until
   * it returns undefined); `onResult` (awaited, one at a time, in completion
   * order) sees each result.
   */
  run(tasks: BulkTasks, onResult: (result: BulkResult) => Promise<void> | void): Promise<void>;
  /** Hands every worker what its next tasks need (the index, document frequencies). */
  broadcast(message: StateMessage): void;
  close(): Promise<void>;
}

/**
 * A worker on the module beside this one. Running from the TypeScript sources
 * (tests, benchmarks), the worker registers tsx's loader first: a worker
 * does not inherit the loaders of the thread that starts it.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./related-bulk.worker.js', import.meta.url));
  // tsx's loader hooks, registered in the worker before its module is imported.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const worker = new URL('./related-bulk.worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(boot, { eval: true });
}

export function createPool(threads: number): BulkPool {
  if (threads <= 0) return inThread();
  const workers = Array.from({ length: threads }, () => startWorker());
  for (const w of workers) w.unref();
  return {
    broadcast(message) {
      for (const w of workers) w.postMessage(message);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
    run(tasks, onResult) {
      const next = producer(tasks);
      return new Promise((resolve, reject) => {
        let pending = 0;
        let exhausted = false;
        let failed = false;
        let id = 0;
        /** Results wait their turn for `onResult`, one at a time. */
        let chain = Promise.resolve();
        const finishIfDone = () => {
          if (!failed && exhausted && pending === 0) {
            cleanup();
            resolve();
          }
        };
        const send = async (w: Worker) => {
          if (failed || exhausted) return;
          pending++;
          const task = await next();
          if (task === undefined) {
            exhausted = true;
            pending--;
            chain = chain.then(finishIfDone);
            return;
          }
          w.postMessage({ kind: 'task', id: id++, task });
        };
        const fail = (err: Error) => {
          if (failed) return;
          failed = true;
          cleanup();
          reject(err);
        };
        const handlers = workers.map((w) => {
          const onMessage = (m: { result?: BulkResult; error?: string }) => {
            if (m.error) return fail(new Error(`bulk related worker: ${m.error}`));
            send(w).catch(fail);
            chain = chain
              .then(() => onResult(m.result as BulkResult))
              .then(() => {
                pending--;
                finishIfDone();
              }, fail);
          };
          w.on('message', onMessage);
          w.on('error', fail);
          return { w, onMessage };
        });
        const cleanup = () => {
          for (const { w, onMessage } of handlers) {
            w.off('message', onMessage);
            w.off('error', fail);
          }
        };
        for (const w of workers) for (let k = 0; k < IN_FLIGHT; k++) send(w).catch(fail);
      });
    },
  };
}

/** Tasks in flight per worker: one running, one waiting, so a worker never waits for this thread. */
const IN_FLIGHT = 2;

/** Tasks one at a time from an array or a producer (which reads what the next task needs when asked). */
function producer(tasks: BulkTasks): () => Promise<BulkTask | undefined> {
  if (typeof tasks === 'function') {
    // One read at a time: a producer reads the database in order.
    let last: Promise<BulkTask | undefined> = Promise.resolve(undefined);
    return () => {
      last = last.then(() => tasks());
      return last;
    };
  }
  let i = 0;
  return async () => tasks[i++];
}

function inThread(): BulkPool {
  const state: WorkerState = {};
  return {
    broadcast: (message) => applyState(state, message),
    async close() {},
    async run(tasks, onResult) {
      const next = producer(tasks);
      for (let task = await next(); task !== undefined; task = await next()) await onResult(await runTask(state, task));
    },
  };
}
