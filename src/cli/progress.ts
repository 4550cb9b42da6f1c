/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per
 * tenth otherwise (logs, CI), so a long rebuild shows it is alive either way.
 * Each line says how fast it goes and when it should end.
 *
 * @example
 *   const bar = progressBar('lists', 12000);
 *   bar.update(6000); // "lists   [##########----------]  50%  6000/12000  3.1 s  1935/s  ETA 3 s"
 *   bar.done();
 */
import type { RebuildPhase } from '../related/related.service.js';

/** The related pass's phases as its bars name them (an import's, a rebuild's). */
export const RELATED_PHASE_LABELS: Record<RebuildPhase, string> = {
  index: 'count',
  weigh: 'weigh',
  load: 'load',
  postings: 'post',
  stories: 'stories',
  lists: 'lists',
};

export interface ProgressBar {
  update(done: number): void;
  done(): void;
}

const WIDTH = 20;

/** A duration as people read it: `42 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatProgress(label: string, done: number, total: number, seconds: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
  const head = `${label.padEnd(8)}[${bar}] ${String(Math.round(share * 100)).padStart(3)}%  ${done}/${total}  ${seconds.toFixed(1)} s`;
  if (done <= 0 || seconds <= 0) return head;
  const rate = done / seconds;
  const eta = done < total ? `  ETA ${formatDuration((total - done) / rate)}` : '';
  return `${head}  ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s${eta}`;
}

export function progressBar(
  label: string,
  total: number,
  out: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
  started: number = now(),
): ProgressBar {
  const tty = out.isTTY === true;
  let lastTenth = -1;
  let last = 0;
  const line = (done: number) => formatProgress(label, done, total, (now() - started) / 1000);
  return {
    update(done) {
      last = done;
      if (tty) {
        out.write(`\r${line(done)}`);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`${line(done)}\n`);
      }
    },
    done() {
      if (tty) out.write(`\r${line(last)}\n`);
      else if (lastTenth < 10) out.write(`${line(last)}\n`);
    },
  };
}

/**
 * One bar per phase of a longer job: a new phase ends the bar before it, and
 * its clock starts where the last phase's last report left it (the first
 * report of a phase comes after some of its work).
 *
 * @example
 *   const bars = phasedProgress({ stories: 'stories', lists: 'lists' });
 *   bars.update('stories', 10, 100); bars.update('lists', 5, 100); bars.done();
 */
export function phasedProgress<P extends string>(
  labels: Record<P, string>,
  out: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): { update(phase: P, done: number, total: number): void; done(): void } {
  let bar: ProgressBar | undefined;
  let current: P | undefined;
  let last = now();
  return {
    update(phase, done, total) {
      if (phase !== current) {
        bar?.done();
        current = phase;
        bar = progressBar(labels[phase], total, out, now, last);
      }
      bar?.update(done);
      last = now();
    },
    done() {
      bar?.done();
      bar = undefined;
      current = undefined;
    },
  };
}
