import { describe, expect, it } from 'vitest';
import { formatProgress, progressBar } from './progress.js';

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { out: { isTTY, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream, lines };
}

describe('progress bar', () => {
  it('draws the share done, the counts and the time', () => {
    expect(formatProgress('lists', 50, 200, 1.25)).toBe('lists   [#####---------------]  25%  50/200  1.3 s');
    expect(formatProgress('count', 0, 0, 0)).toContain('100%');
  });

  it('redraws one line on a terminal and writes a line per tenth elsewhere', () => {
    const tty = sink(true);
    const bar = progressBar('lists', 100, tty.out, () => 0);
    for (let i = 1; i <= 100; i++) bar.update(i);
    bar.done();
    expect(tty.lines).toHaveLength(101);
    expect(tty.lines[0]?.startsWith('\r')).toBe(true);
    expect(tty.lines.at(-1)).toMatch(/100% {2}100\/100.*\n$/);

    const log = sink(false);
    const plain = progressBar('lists', 100, log.out, () => 0);
    for (let i = 1; i <= 100; i++) plain.update(i);
    plain.done();
    expect(log.lines).toHaveLength(11);
    expect(log.lines.every((l) => l.endsWith('\n') && !l.startsWith('\r'))).toBe(true);
  });
});
