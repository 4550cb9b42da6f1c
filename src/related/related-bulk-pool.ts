/**
 * Worker threads for a bulk pass, fed slices of articles as they free up
 * (two in flight each, so a worker never waits for the writer). With no
 * threads the tasks run in the calling thread, one after the other.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BulkIndexData } from './related-bulk-index.js';
import { type BulkResult, type BulkTask, runTask, sourceOf } from './related-bulk-task.js';

export interface BulkPool {
  /** Runs every task; `onResult` (awaited, in completion order) sees each result. */
  run(tasks: BulkTask[], onResult: (result: BulkResult) => Promise<void> | void): Promise<void>;
  /** Hands the workers a new index (the same articles with their stories). */
  setIndex(index: BulkIndexData): void;
  close(): Promise<void>;
}

/**
 * A worker on the module beside this one. Running from the TypeScript sources
 * (tests, benchmarks), the worker registers tsx's loader first: a worker
 * does not inherit the loaders of the thread that starts it.
 */
function startWorker(index: BulkIndexData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./related-bulk.worker.js', import.meta.url), { workerData: index });
  // tsx's loader hooks, registered in the worker before its module is imported.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const worker = new URL('./related-bulk.worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(boot, { eval: true, workerData: index });
}

export function createPool(index: BulkIndexData, threads: number): BulkPool {
  if (threads <= 0) return inThread(index);
  const workers = Array.from({ length: threads }, () => startWorker(index));
  for (const w of workers) w.unref();
  return {
    setIndex(next) {
      for (const w of workers) w.postMessage({ kind: 'index', index: next });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
    run(tasks, onResult) {
      return new Promise((resolve, reject) => {
        let next = 0;
        let pending = 0;
        let failed = false;
        /** Results wait their turn for `onResult`, one at a time. */
        let chain = Promise.resolve();
        const send = (w: Worker) => {
          if (failed || next >= tasks.length) return;
          const id = next++;
          pending++;
          w.postMessage({ kind: 'task', id, task: tasks[id] });
        };
        const fail = (err: Error) => {
          if (failed) return;
          failed = true;
          cleanup();
          reject(err);
        };
        const handlers = workers.map((w) => {
          const onMessage = (m: { id: number; result?: BulkResult; error?: string }) => {
            pending--;
            if (m.error) return fail(new Error(`bulk related worker: ${m.error}`));
            send(w);
            chain = chain
              .then(() => onResult(m.result as BulkResult))
              .then(() => {
                if (!failed && pending === 0 && next >= tasks.length) {
                  cleanup();
                  resolve();
                }
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
        if (tasks.length === 0) {
          cleanup();
          resolve();
          return;
        }
        for (const w of workers) {
          send(w);
          send(w);
        }
      });
    },
  };
}

function inThread(index: BulkIndexData): BulkPool {
  let source = sourceOf(index);
  return {
    setIndex(next) {
      source = sourceOf(next);
    },
    async close() {},
    async run(tasks, onResult) {
      for (const task of tasks) await onResult(await runTask(source, task));
    },
  };
}
