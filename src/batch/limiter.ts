/**
 * How many requests `llm map` has in flight, and when the next may start: at most
 * `parallel` at once, at most `rpm` starts a minute and `tpm` tokens a minute; a 429
 * halves the pool and pauses every start for the wait the server asked for, then the
 * pool grows back one slot at a time as requests succeed (additive increase,
 * multiplicative decrease, as TCP does).
 */
export interface LimiterOptions {
  parallel: number;
  rpm?: number;
  tpm?: number;
  now?: () => number;
}

const MINUTE = 60_000;

export class Limiter {
  readonly max: number;
  /** The pool's current size: `max`, less after 429s. */
  limit: number;
  private active = 0;
  private pausedUntil = 0;
  private lastCut = -Infinity;
  private successes = 0;
  private nextStart = 0;
  private readonly spacingMs: number;
  private readonly tpm: number | undefined;
  private readonly tokens: { at: number; count: number }[] = [];
  private readonly waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(options: LimiterOptions) {
    this.max = Math.max(1, Math.floor(options.parallel));
    this.limit = this.max;
    this.spacingMs = options.rpm ? MINUTE / options.rpm : 0;
    this.tpm = options.tpm;
    this.now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves when a request may start; the caller must call release() when it ends. */
  acquire(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(tryStart);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      const tryStart = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(tryStart);
      this.pump();
    });
  }

  release(outcome: { ok: boolean; tokens?: number }): void {
    this.active--;
    if (outcome.tokens) this.tokens.push({ at: this.now(), count: outcome.tokens });
    if (outcome.ok && this.limit < this.max && ++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
    }
    this.pump();
  }

  /** A 429 (or 5xx) asked everyone to wait `waitMs`: pause all starts, and halve the pool once per wait. */
  backOff(waitMs: number): void {
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
    if (now - this.lastCut >= Math.max(waitMs, 1000)) {
      this.lastCut = now;
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.successes = 0;
    }
  }

  /** Starts as many waiters as the limits allow now; sets a timer for the next when one is blocked by time. */
  private pump(): void {
    while (this.waiters.length && this.active < this.limit) {
      const wait = this.timeToWait();
      if (wait > 0) {
        if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, wait);
        }
        return;
      }
      this.active++;
      if (this.spacingMs) this.nextStart = Math.max(this.nextStart, this.now()) + this.spacingMs;
      this.waiters.shift()!();
    }
  }

  private timeToWait(): number {
    const now = this.now();
    let wait = Math.max(0, this.pausedUntil - now, this.nextStart - now);
    if (this.tpm) {
      while (this.tokens.length && this.tokens[0]!.at <= now - MINUTE) this.tokens.shift();
      let used = this.tokens.reduce((sum, t) => sum + t.count, 0);
      // Wait for the oldest counts to fall out of the minute until there is room again.
      for (let i = 0; used >= this.tpm && i < this.tokens.length; i++) {
        used -= this.tokens[i]!.count;
        wait = Math.max(wait, this.tokens[i]!.at + MINUTE - now);
      }
    }
    return wait;
  }
}
