/**
 * A circuit breaker with exponential backoff, one per upstream service.
 * After `threshold` failures in a row it opens: calls are refused without
 * touching the network for `baseMs`, doubling on each failed trial up to
 * `maxMs` (or for as long as the service's Retry-After asked, if longer).
 * When the wait is over, one trial call goes through (half-open); success
 * closes the circuit and resets the backoff.
 *
 * @example
 *   const breaker = new CircuitBreaker({ threshold: 3, baseMs: 30_000 });
 *   if (breaker.allows()) {
 *     try { await call(); breaker.succeeded(); } catch { breaker.failed(); }
 *   }
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold?: number;
  /** First wait once open. */
  baseMs?: number;
  /** Longest wait. */
  maxMs?: number;
  now?: () => number;
  /** Told when the circuit opens or closes (for the log). */
  onChange?: (state: 'open' | 'closed', detail: { waitMs: number; failures: number }) => void;
}

export class CircuitBreaker {
  private failures = 0;
  private opens = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private readonly onChange: CircuitBreakerOptions['onChange'];

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 3;
    this.baseMs = options.baseMs ?? 30_000;
    this.maxMs = options.maxMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange;
  }

  get state(): CircuitState {
    if (this.opens === 0) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half-open';
  }

  /** When the circuit will let a trial through (0 when closed). */
  get retryAt(): number {
    return this.opens === 0 ? 0 : this.openUntil;
  }

  /** Whether a call may go out now. In half-open state only one trial at a time. */
  allows(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    const wasOpen = this.opens > 0;
    this.failures = 0;
    this.opens = 0;
    this.openUntil = 0;
    this.trialInFlight = false;
    if (wasOpen) this.onChange?.('closed', { waitMs: 0, failures: 0 });
  }

  /** Records a failure; `retryAfterMs` (a 429's Retry-After) opens the circuit at once for at least that long. */
  failed(retryAfterMs?: number): void {
    this.failures++;
    const trial = this.trialInFlight;
    this.trialInFlight = false;
    if (this.opens > 0 && !trial) {
      // A call that left before the circuit opened: it proves nothing new, except a longer Retry-After.
      if (retryAfterMs !== undefined) this.openUntil = Math.max(this.openUntil, this.now() + retryAfterMs);
      return;
    }
    if (!trial && this.failures < this.threshold && retryAfterMs === undefined) return;
    this.opens++;
    const backoff = Math.min(this.baseMs * 2 ** (this.opens - 1), this.maxMs);
    const waitMs = Math.max(backoff, Math.min(retryAfterMs ?? 0, this.maxMs * 4));
    this.openUntil = this.now() + waitMs;
    this.onChange?.('open', { waitMs, failures: this.failures });
  }
}
