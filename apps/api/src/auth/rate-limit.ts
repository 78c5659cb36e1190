export interface LoginLimiterOptions {
  windowMs: number;
  /** The first delay once a key used up its free failures; each further failure doubles it. */
  baseDelayMs?: number;
  /** The delay never grows past this, so an attacker can slow an account down but not lock it out. */
  maxDelayMs?: number;
  /** Password checks (scrypt, 32 MiB each) running at once, in total. */
  maxConcurrent?: number;
  now?: () => number;
}

/**
 * Failed sign-ins per key (an account, an address) in a sliding window, in memory: a restart
 * forgets them, which is acceptable for slowing down guessing; several processes each count
 * their own. An attempt counts as failed from the moment it starts (a parallel burst cannot
 * outrun the count) and is forgiven when it succeeds. Past the free failures each try must wait
 * a delay that doubles per failure up to a ceiling: a growing delay, never a lockout that would
 * let anyone keep an admin out mid-incident. Concurrent checks are capped per key and in total,
 * so nobody can queue unbounded scrypt work.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly running = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly opts: LoginLimiterOptions,
    private readonly maxKeys = 100_000,
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until `key` may try again: 0 while it has fewer than `free` recent failures. */
  retryAfter(key: string, free: number): number {
    const list = this.recent(key);
    if (list.length < free) return 0;
    const base = this.opts.baseDelayMs ?? 1_000;
    const max = this.opts.maxDelayMs ?? 60_000;
    const delay = Math.min(max, base * 2 ** (list.length - free));
    const last = list[list.length - 1] ?? this.now();
    const wait = last + delay - this.now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  /**
   * Starts an attempt for these keys, each with its own cap on attempts running at once: counts
   * it as a failure now and returns what to call when it is over (`succeeded` forgives it), or
   * null when a cap is reached.
   */
  begin(keys: { key: string; concurrent: number }[]): { end(succeeded: boolean): void } | null {
    if (this.total >= (this.opts.maxConcurrent ?? 4)) return null;
    if (keys.some(({ key, concurrent }) => (this.running.get(key) ?? 0) >= concurrent)) return null;
    this.total++;
    const at = this.now();
    for (const { key } of keys) {
      this.running.set(key, (this.running.get(key) ?? 0) + 1);
      this.fail(key, at);
    }
    let ended = false;
    return {
      end: (succeeded) => {
        if (ended) return;
        ended = true;
        this.total--;
        for (const { key } of keys) {
          const n = (this.running.get(key) ?? 1) - 1;
          if (n > 0) this.running.set(key, n);
          else this.running.delete(key);
          // A failure's delay runs from when it was known, not from when the slow check began.
          this.forgive(key, at);
          if (!succeeded) this.fail(key);
        }
      },
    };
  }

  fail(key: string, at = this.now()): void {
    if (this.failures.size >= this.maxKeys) this.prune();
    this.failures.set(key, [...this.recent(key), at]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private forgive(key: string, at: number): void {
    const list = this.failures.get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still full of live keys (a spray from many addresses): forget the oldest half.
    if (this.failures.size >= this.maxKeys) {
      for (const key of [...this.failures.keys()].slice(0, this.maxKeys / 2)) this.failures.delete(key);
    }
  }
}
