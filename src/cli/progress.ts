/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per
 * tenth otherwise (logs, CI), so a long rebuild shows it is alive either way.
 *
 * @example
 *   const bar = progressBar('lists', 12000);
 *   bar.update(6000); // "lists   [##########----------]  50%  6000/12000  3.1 s"
 *   bar.done();
 */
export interface ProgressBar {
  update(done: number): void;
  done(): void;
}

const WIDTH = 20;

export function formatProgress(label: string, done: number, total: number, seconds: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
  return `${label.padEnd(8)}[${bar}] ${String(Math.round(share * 100)).padStart(3)}%  ${done}/${total}  ${seconds.toFixed(1)} s`;
}

export function progressBar(
  label: string,
  total: number,
  out: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressBar {
  const started = now();
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
