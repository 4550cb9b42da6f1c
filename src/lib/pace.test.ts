import { describe, expect, it } from 'vitest';
import { type CpuCounters, createPacer, dutyOf, parseStat, readCpuCounters } from './pace.js';

/** A pacer on a hand-driven clock and hand-set counters; records each rest. */
function harness(options: { duty: number; counters: CpuCounters[] }) {
  let clock = 0;
  const rests: number[] = [];
  const queue = [...options.counters];
  let last: CpuCounters | undefined;
  const pacer = createPacer({
    duty: options.duty,
    now: () => clock,
    counters: () => {
      last = queue.shift() ?? last;
      return last;
    },
    rest: async (ms) => {
      rests.push(ms);
      clock += ms;
    },
  });
  return {
    rests,
    /** Work for `ms`, then the pacer's step. */
    async work(ms: number) {
      clock += ms;
      await pacer.step();
    },
  };
}

describe('dutyOf', () => {
  it('gives the share a task of that niceness gets beside one of niceness 0', () => {
    expect(dutyOf(0)).toBe(1);
    expect(dutyOf(-5)).toBe(1);
    expect(dutyOf(10)).toBeCloseTo(110 / 1134, 6);
    expect(dutyOf(19)).toBeCloseTo(15 / 1039, 6);
    // lower priority, less time
    for (let n = 1; n < 19; n++) expect(dutyOf(n + 1)).toBeLessThan(dutyOf(n));
  });
});

describe('the counters', () => {
  it('reads busy and total ticks of /proc/stat, counting I/O wait as idle', () => {
    const text = 'cpu  100 10 50 800 40 0 5 0 0 0\ncpu0 50 5 25 400 20 0 3 0 0 0\nintr 1 2 3\n';
    expect(parseStat(text)).toEqual({ busy: 165, total: 1005 });
    expect(parseStat('intr 1 2 3\n')).toBeUndefined();
  });

  it('reads this machine (Linux): counters that only grow', () => {
    const first = readCpuCounters();
    if (process.platform !== 'linux') return expect(first).toBeUndefined();
    expect(first).toBeDefined();
    let spin = 0;
    for (let i = 0; i < 5e6; i++) spin += i;
    expect(spin).toBeGreaterThan(0);
    const second = readCpuCounters()!;
    expect(second.busy).toBeGreaterThanOrEqual(first!.busy);
    expect(second.total).toBeGreaterThanOrEqual(first!.total);
  });
});

describe('createPacer', () => {
  it('rests (1 ÷ duty − 1) × the step while the CPUs are busy, not at all while they have time to spare', async () => {
    const pace = harness({
      duty: 0.1,
      counters: [
        { busy: 0, total: 0 },
        { busy: 19, total: 20 }, // 95 % busy
        { busy: 19 + 100, total: 20 + 200 }, // 50 %
        { busy: 119 + 15, total: 220 + 20 }, // 75 %
        { busy: 134 + 16, total: 240 + 20 }, // 80 %
      ],
    });
    await pace.work(100);
    expect(pace.rests).toEqual([900]);
    await pace.work(100); // a sample over the rest as well: the CPUs had time to spare
    expect(pace.rests).toEqual([900]);
    await pace.work(100);
    expect(pace.rests).toEqual([900]);
    await pace.work(100);
    expect(pace.rests).toEqual([900, 900]);
  });

  it('bounds one rest', async () => {
    const pace = harness({
      duty: 0.01,
      counters: [
        { busy: 0, total: 0 },
        { busy: 30, total: 30 },
      ],
    });
    await pace.work(150);
    expect(pace.rests).toEqual([2_000]); // 99 × 150 ms, bounded
  });

  it('keeps its judgement between samples (the counters read at most every 100 ms)', async () => {
    let reads = 0;
    const counters = [
      { busy: 0, total: 0 },
      { busy: 30, total: 30 },
      { busy: 30, total: 64 },
    ];
    let clock = 0;
    const rests: number[] = [];
    const pacer = createPacer({
      duty: 0.5,
      now: () => clock,
      counters: () => counters[Math.min(reads++, counters.length - 1)],
      rest: async (ms) => {
        rests.push(ms);
        clock += ms;
      },
    });
    clock += 150;
    await pacer.step(); // read: busy; rest 150
    clock += 20;
    await pacer.step(); // 170 ms after that read: read again, idle since
    clock += 20;
    await pacer.step(); // 20 ms after it: not read, still not busy
    expect(rests).toEqual([150]);
    expect(reads).toBe(3);
    clock += 200;
    counters.push({ busy: 70, total: 104 });
    await pacer.step(); // read: busy again; rests as long as the 200 ms since the last step
    expect(rests).toEqual([150, 200]);
    expect(reads).toBe(4);
  });

  it('makes callers that step during a rest wait for that rest, not take one each', async () => {
    let clock = 0;
    const rests: number[] = [];
    let wake = () => {};
    const pacer = createPacer({
      duty: 0.5,
      now: () => clock,
      counters: () => ({ busy: clock, total: clock }), // always busy
      rest: (ms) => {
        rests.push(ms);
        return new Promise<void>((resolve) => {
          wake = () => {
            clock += ms;
            resolve();
          };
        });
      },
    });
    clock = 200;
    const first = pacer.step(); // two polls' work since the start: one rest of 200 ms
    const second = pacer.step();
    let done = 0;
    for (const p of [first, second]) void p.then(() => done++);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(0); // both wait
    wake();
    await Promise.all([first, second]);
    expect(rests).toEqual([200]);
    clock += 50;
    const third = pacer.step(); // 50 ms of work since the rest ended
    wake();
    await third;
    expect(rests).toEqual([200, 50]);
  });

  it('never rests at duty 1 (niceness 0) and never reads the counters then', async () => {
    let reads = 0;
    const pacer = createPacer({
      duty: 1,
      counters: () => {
        reads++;
        return { busy: reads, total: reads };
      },
      rest: async () => {
        throw new Error('rested');
      },
    });
    for (let i = 0; i < 3; i++) await pacer.step();
    expect(reads).toBe(0);
  });

  it('runs at full speed where the counters cannot be read', async () => {
    const pace = harness({ duty: 0.1, counters: [] });
    await pace.work(500);
    await pace.work(500);
    expect(pace.rests).toEqual([]);
  });
});
