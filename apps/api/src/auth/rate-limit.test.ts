import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './rate-limit.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('LoginLimiter', () => {
  it('lets the free failures through, then doubles the wait per failure up to the ceiling', () => {
    const c = clock();
    const limiter = new LoginLimiter({
      windowMs: 900_000,
      baseDelayMs: 1_000,
      maxDelayMs: 8_000,
      now: c.now,
    });
    const failOnce = () => limiter.begin([{ key: 'a', concurrent: 1 }])?.end(false);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a', 3)).toBe(0);
      failOnce();
    }
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = limiter.retryAfter('a', 3);
      waits.push(wait);
      c.advance(wait * 1000);
      expect(limiter.retryAfter('a', 3)).toBe(0);
      failOnce();
    }
    expect(waits).toEqual([1, 2, 4, 8, 8]);
  });

  it('counts an attempt as failed while it runs, and forgives it when it succeeds', () => {
    const limiter = new LoginLimiter({ windowMs: 900_000, now: () => 5 });
    const first = limiter.begin([{ key: 'a', concurrent: 5 }]);
    expect(limiter.retryAfter('a', 1)).toBeGreaterThan(0);
    first?.end(true);
    expect(limiter.retryAfter('a', 1)).toBe(0);
  });

  it('caps attempts running at once per key and in total', () => {
    const limiter = new LoginLimiter({ windowMs: 900_000, maxConcurrent: 2 });
    const a1 = limiter.begin([{ key: 'a', concurrent: 1 }]);
    expect(a1).not.toBeNull();
    expect(limiter.begin([{ key: 'a', concurrent: 1 }])).toBeNull();
    const b1 = limiter.begin([{ key: 'b', concurrent: 1 }]);
    expect(b1).not.toBeNull();
    expect(limiter.begin([{ key: 'c', concurrent: 1 }])).toBeNull();
    a1?.end(false);
    a1?.end(false);
    expect(limiter.begin([{ key: 'c', concurrent: 1 }])).not.toBeNull();
    expect(limiter.begin([{ key: 'd', concurrent: 1 }])).toBeNull();
  });
});
