/**
 * The web process's side of the stream process (`live-stream.worker.ts`):
 * starts it at a lower CPU priority, hands it each stream's socket once the
 * request is read, and forwards the invalidation tags of live coverages.
 *
 * @example
 *   const streams = startStreamProcess({ databaseUrl, security, invalidator, log });
 *   streams.handOff(request.raw.socket, { coverageId: 7, ip, lastEventId });
 *   await streams.close();
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { setPriority } from 'node:os';
import type { Invalidator } from '../instances/invalidation.js';
import type { HeaderMap } from '../web/security-headers.js';
import type { StreamRequest } from './live-stream.socket.js';
import type { ToWorker } from './live-stream.worker.js';

/** How much lower than the web process the streams run (nice): pages first, fan-outs with what is left. */
export const STREAM_NICENESS = 10;

export interface StreamProcess {
  handOff(socket: Socket, request: StreamRequest): void;
  close(): Promise<void>;
}

export function startStreamProcess(deps: {
  databaseUrl: string;
  security: HeaderMap;
  invalidator: Pick<Invalidator, 'subscribe'>;
  log: { warn(obj: object, msg: string): void };
  /** How far the child's heap grows past its live size before a full collection (`HEAP_GROWTH_PERCENT`). */
  heapGrowthPercent?: number;
}): StreamProcess {
  // From the sources (tsx), the worker is TypeScript too; built, it is JavaScript beside this file.
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./live-stream.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const child: ChildProcess = fork(entry, [], {
    execArgv: fromSources ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid) {
    try {
      setPriority(child.pid, STREAM_NICENESS);
    } catch (err) {
      deps.log.warn({ err }, 'could not lower the stream process’s priority');
    }
  }
  const send = (message: ToWorker, socket?: Socket) => {
    if (child.connected) child.send(message, socket as never);
  };
  send({
    type: 'init',
    databaseUrl: deps.databaseUrl,
    security: { ...deps.security },
    heapGrowthPercent: deps.heapGrowthPercent ?? 0,
  });
  deps.invalidator.subscribe((tags) => {
    const live = tags.filter((t) => t.startsWith('live:') || t === '*');
    if (live.length) send({ type: 'tags', tags: live });
  });
  return {
    handOff(socket, request) {
      if (!child.connected) {
        socket.destroy();
        return;
      }
      child.send({ type: 'stream', ...request } satisfies ToWorker, socket);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
