/**
 * Failed logins per key (an account, an address) in a sliding window, in memory: a restart
 * forgets them, which is acceptable for slowing down guessing; several processes each count
 * their own.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: { windowMs: number; now?: () => number },
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

  /** Seconds until `key` may try again, or 0 when it has fewer than `max` recent failures. */
  retryAfter(key: string, max: number): number {
    const list = this.recent(key);
    if (list.length < max) return 0;
    const oldest = list[list.length - max] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    if (this.failures.size >= this.maxKeys) this.prune();
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still full of live keys (a spray from many addresses): forget the oldest half.
    if (this.failures.size >= this.maxKeys) {
      for (const key of [...this.failures.keys()].slice(0, this.maxKeys / 2)) this.failures.delete(key);
    }
  }
}
