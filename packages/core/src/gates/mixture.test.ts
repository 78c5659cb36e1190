import { describe, expect, it } from 'vitest';
import { mixtureAlternatives, mixtureLogLr, mixtureLowerBound, mixtureSamplesToBound } from './mixture.ts';
import { logGamma } from './statistics.ts';

const FAIL = Math.log(0.95 / 0.01);

/** mulberry32: a seeded uniform source, so the Monte Carlo below gives the same answer every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const binomialPmf = (x: number, n: number, p: number) =>
  Math.exp(
    logGamma(n + 1) - logGamma(x + 1) - logGamma(n - x + 1) + x * Math.log(p) + (n - x) * Math.log1p(-p),
  );

describe('mixtureAlternatives', () => {
  it.each<[number, number, number[]]>([
    [0.009, 0.005, [0.014, 0.019, 0.029, 0.049]],
    [0.05, 0.0125, [0.0625, 0.075, 0.1, 0.15]],
    // Capped at halfway from p0 to 1 (0.8 here)…
    [0.6, 0.1, [0.7, 0.8]],
    // …and never empty, even when the smallest step overshoots.
    [0.9, 0.5, [0.95]],
  ])('p0 %d, smallest step %d → %j', (p0, smallest, expected) => {
    const got = mixtureAlternatives(p0, smallest);
    expect(got).toHaveLength(expected.length);
    for (const [i, p] of got.entries()) expect(p).toBeCloseTo(expected[i]!, 12);
  });
});

describe('mixtureLogLr', () => {
  // Reference values: the same sum in 50-digit decimal arithmetic (Python's `decimal`),
  // ln(½·LR₀ + ⅙·(LR₁ + LR₂ + LR₃)) with LRₖ = (pₖ/p0)^bad · ((1−pₖ)/(1−p0))^(n−bad).
  it.each<[number, number, number, number, number]>([
    [0, 0, 0.009, 0.005, 0],
    [1, 1, 0.009, 0.005, 0.9454898865664174],
    [0, 100, 0.009, 0.005, -0.9509883494837974],
    [12, 1000, 0.009, 0.005, -0.30590581602701866],
    [41, 1950, 0.009, 0.005, 9.735875533271905],
    [8, 100, 0.0095, 0.005, 7.737046414570876],
    [9, 30, 0.05, 0.0125, 5.86149706318604],
    [3, 20, 0.6, 0.1, -5.119776478097119],
  ])('%d bad of %d against p0 %d (step %d): ln Λ = %d', (bad, total, p0, step, expected) => {
    expect(mixtureLogLr(bad, total, p0, mixtureAlternatives(p0, step))).toBeCloseTo(expected, 10);
  });

  it('is a martingale at p0 and a supermartingale below it: E[Λₙ] = 1 at p0, < 1 below', () => {
    const p0 = 0.009;
    const alternatives = mixtureAlternatives(p0, 0.005);
    const expectation = (q: number, n: number) => {
      let sum = 0;
      for (let x = 0; x <= n; x++)
        sum += binomialPmf(x, n, q) * Math.exp(mixtureLogLr(x, n, p0, alternatives));
      return sum;
    };
    for (const n of [1, 10, 200]) {
      expect(expectation(p0, n)).toBeCloseTo(1, 9);
      expect(expectation(p0 / 2, n)).toBeLessThan(1);
    }
    expect(expectation(2 * p0, 200)).toBeGreaterThan(1);
  });

  // A canary exactly at p0, judged after every single request for 4,000 requests: by Ville's
  // inequality Λ reaches 95 with probability ≤ 1/95 ≈ 1.05%, however often we look.
  it('crosses ln 95 in at most ~1/95 of runs at p0, looking after every request', () => {
    const p0 = 0.05;
    const alternatives = mixtureAlternatives(p0, p0 / 4);
    const runs = 200;
    let crossed = 0;
    for (let run = 0; run < runs; run++) {
      const random = seeded(run + 1);
      let bad = 0;
      for (let n = 1; n <= 4_000; n++) {
        if (random() < p0) bad++;
        if (mixtureLogLr(bad, n, p0, alternatives) >= FAIL) {
          crossed++;
          break;
        }
      }
    }
    // 1/95 of 200 is 2.1; allow for Monte Carlo noise (P(Binomial(200, 1/95) > 6) < 2%).
    expect(crossed).toBeLessThanOrEqual(6);
  });
});

describe('mixtureSamplesToBound', () => {
  it('is the first sample count at which the projected ln Λ reaches the bound', () => {
    const opts = { bad: 2, total: 40, share: 0.08, p0: 0.0095, bound: FAIL };
    const alternatives = mixtureAlternatives(opts.p0, 0.005);
    const m = mixtureSamplesToBound({ ...opts, alternatives });
    expect(m).not.toBeNull();
    const at = (k: number) => mixtureLogLr(opts.bad + opts.share * k, opts.total + k, opts.p0, alternatives);
    expect(at(m ?? 0)).toBeGreaterThanOrEqual(FAIL);
    expect(at((m ?? 0) - 2)).toBeLessThan(FAIL);
  });

  it('is 0 once there, and null for a share that never gets there', () => {
    const alternatives = mixtureAlternatives(0.009, 0.005);
    const base = { p0: 0.009, alternatives, bound: FAIL };
    expect(mixtureSamplesToBound({ ...base, bad: 41, total: 1950, share: 41 / 1950 })).toBe(0);
    expect(mixtureSamplesToBound({ ...base, bad: 4, total: 1000, share: 0.004 })).toBeNull();
  });
});

describe('mixtureLowerBound', () => {
  it('sits where the mixture stops rejecting, below the fixed-sample 99% bound', () => {
    const lower = mixtureLowerBound(9, 30, FAIL);
    const rejects = (p0: number) => mixtureLogLr(9, 30, p0, mixtureAlternatives(p0, p0 / 4)) >= FAIL;
    expect(rejects(lower * 0.999)).toBe(true);
    expect(rejects(lower * 1.001)).toBe(false);
    // Wilson 99% lower bound for 9/30 is 13.8%: valid at one look only, so tighter.
    expect(lower).toBeGreaterThan(0.05);
    expect(lower).toBeLessThan(0.138);
  });

  it('is 0 without bad events', () => {
    expect(mixtureLowerBound(0, 500, FAIL)).toBe(0);
  });
});
