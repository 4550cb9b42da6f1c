import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag } from './heap.js';

describe('heapGrowthFlag', () => {
  it('asks for the percentage given', () => {
    expect(heapGrowthFlag(25, [])).toBe('--heap-growing-percent=25');
  });

  it('leaves V8 its own factor at 0', () => {
    expect(heapGrowthFlag(0, [])).toBeUndefined();
  });

  it("keeps the operator's flag, on the command line or in NODE_OPTIONS, with dashes or underscores", () => {
    expect(heapGrowthFlag(25, ['--heap-growing-percent=60'])).toBeUndefined();
    expect(heapGrowthFlag(25, [], '--max-semi-space-size=4 --heap_growing_percent=60')).toBeUndefined();
    expect(heapGrowthFlag(25, ['--max-semi-space-size=4'], '--inspect')).toBe('--heap-growing-percent=25');
  });
});

describe('limitHeapGrowth in a process', () => {
  // V8 has no way to read a flag back: what shows is the heap. A process with a live heap that keeps promoting
  // garbage out of the young generation; single-threaded, so that its collections come at the same points.
  const script = (percent: number) => `
    import('${new URL('./heap.ts', import.meta.url).pathname}').then(({ limitHeapGrowth }) => {
      limitHeapGrowth(${percent});
      const live = Array.from({ length: 300000 }, (_, j) => ({ j, s: 'y' + j }));
      const recent = [];
      let peak = 0;
      for (let i = 0; i < 3000; i++) {
        recent.push(Array.from({ length: 2000 }, (_, j) => ({ i, j, s: 'x' + j })));
        if (recent.length > 30) recent.shift();
        peak = Math.max(peak, process.memoryUsage().heapTotal);
      }
      process.stdout.write(String(peak));
      if (live.length === 0) process.exitCode = 1;
    });`;
  const peakMb = (percent: number) =>
    Number(
      execFileSync(process.execPath, [
        '--single-threaded',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script(percent),
      ]),
    ) / 1048576;

  it('keeps the heap nearer its live size than V8 alone lets it grow', () => {
    const limited = peakMb(10);
    const own = peakMb(0);
    expect(limited).toBeLessThan(own * 0.75);
  });
});
