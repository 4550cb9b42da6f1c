import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, phasedProgress, progressBar } from './progress.js';

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { out: { isTTY, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream, lines };
}

describe('progress bar', () => {
  it('draws the share done, the counts, the time, the rate and the time left', () => {
    expect(formatProgress('lists', 50, 200, 1.25)).toBe(
      'lists   [#####---------------]  25%  50/200  1.3 s  40/s  ETA 4 s',
    );
    expect(formatProgress('lists', 200, 200, 8)).toBe('lists   [####################] 100%  200/200  8.0 s  25/s');
    expect(formatProgress('weigh', 3, 1_000_000, 2)).toMatch(/ 1\.5\/s {2}ETA 185 h 11 min$/);
    expect(formatProgress('count', 0, 0, 0)).toBe('count   [####################] 100%  0/0  0.0 s');
  });

  it('says durations as people read them', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
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

  it('starts a bar of its own for each phase, ending the one before', () => {
    const log = sink(false);
    let now = 0;
    const bars = phasedProgress({ stories: 'stories', lists: 'lists' }, log.out, () => now);
    now = 1000;
    bars.update('stories', 5, 10);
    now = 2000;
    bars.update('stories', 10, 10);
    bars.update('lists', 4, 8);
    now = 4000;
    bars.update('lists', 8, 8);
    bars.done();
    expect(log.lines).toEqual([
      'stories [##########----------]  50%  5/10  1.0 s  5.0/s  ETA 1 s\n',
      'stories [####################] 100%  10/10  2.0 s  5.0/s\n',
      'lists   [##########----------]  50%  4/8  0.0 s\n',
      'lists   [####################] 100%  8/8  2.0 s  4.0/s\n',
    ]);
  });
});
