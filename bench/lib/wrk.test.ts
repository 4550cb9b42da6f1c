/**
 * The wrk parser against real `wrk --latency` output (wrk 4.1.0), captured
 * from a Dateline home page, a bare server with one connection (microseconds),
 * a slow server (seconds, socket timeouts) and a 404 (non-2xx responses).
 */
import { describe, expect, it } from 'vitest';
import { parseWrk, toMs } from './wrk.js';

const dateline = `Running 3s test @ http://127.0.0.1:38123/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.92ms   12.67ms 207.04ms   97.91%
    Req/Sec     7.59k     1.96k    9.56k    81.67%
  Latency Distribution
     50%    2.82ms
     75%    3.24ms
     90%    5.33ms
     99%   74.84ms
  45302 requests in 3.00s, 160.20MB read
Requests/sec:  15093.40
Transfer/sec:     53.37MB
`;

const micro = `Running 1s test @ http://127.0.0.1:38125/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   223.41us  596.73us   4.78ms   91.42%
    Req/Sec    24.42k     9.23k   34.03k    70.00%
  Latency Distribution
     50%   26.00us
     75%   53.00us
     90%  632.00us
     99%    3.24ms
  24288 requests in 1.00s, 3.85MB read
Requests/sec:  24270.11
Transfer/sec:      3.84MB
`;

const slow = `Running 5s test @ http://127.0.0.1:38126/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.31s   159.77ms   1.50s    66.67%
    Req/Sec     1.50      3.10    10.00     90.00%
  Latency Distribution
     50%    1.39s 
     75%    1.42s 
     90%    1.50s 
     99%    1.50s 
  10 requests in 5.01s, 1.23KB read
  Socket errors: connect 0, read 0, write 0, timeout 4
Requests/sec:      2.00
Transfer/sec:     251.57B
`;

const notFound = `Running 1s test @ http://127.0.0.1:38126/404
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   205.38us  555.55us   6.72ms   93.08%
    Req/Sec    28.66k    10.75k   36.53k    80.00%
  Latency Distribution
     50%   51.00us
     75%   72.00us
     90%  323.00us
     99%    3.00ms
  28468 requests in 1.00s, 3.56MB read
  Non-2xx or 3xx responses: 28468
Requests/sec:  28433.17
Transfer/sec:      3.55MB
`;

describe('toMs', () => {
  it('converts microseconds, milliseconds, seconds and minutes to milliseconds', () => {
    expect(toMs('26.00us')).toBeCloseTo(0.026);
    expect(toMs('2.82ms')).toBe(2.82);
    expect(toMs('1.39s ')).toBe(1390);
    expect(toMs('1.50m')).toBe(90_000);
  });

  it('rejects text that is not a wrk time', () => {
    expect(() => toMs('fast')).toThrow(/not a wrk time/);
  });
});

describe('parseWrk', () => {
  it('reads requests/s and the latency distribution of a normal run', () => {
    expect(parseWrk(dateline)).toEqual({
      rps: 15093.4,
      p50: 2.82,
      p75: 3.24,
      p90: 5.33,
      p99: 74.84,
      requests: 45302,
      non2xx: 0,
      socketErrors: 0,
    });
  });

  it('converts percentiles given in microseconds', () => {
    const r = parseWrk(micro);
    expect(r.p50).toBeCloseTo(0.026);
    expect(r.p90).toBeCloseTo(0.632);
    expect(r.p99).toBe(3.24);
    expect(r.rps).toBe(24270.11);
  });

  it('converts percentiles given in seconds and counts socket errors', () => {
    const r = parseWrk(slow);
    expect(r.p50).toBe(1390);
    expect(r.p99).toBe(1500);
    expect(r.rps).toBe(2);
    expect(r.socketErrors).toBe(4);
  });

  it('counts responses that were not 2xx or 3xx', () => {
    expect(parseWrk(notFound).non2xx).toBe(28468);
  });

  it('fails loudly on output without --latency figures', () => {
    const withoutLatency = dateline.replace(/ {2}Latency Distribution[\s\S]*?99%.*\n/, '');
    expect(() => parseWrk(withoutLatency)).toThrow(/no 50% latency/);
  });
});
