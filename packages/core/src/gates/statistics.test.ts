import { describe, expect, it } from 'vitest';
import {
  bernoulliLlr,
  canarySampleSize,
  erf,
  fisherExactOneSided,
  logGamma,
  normalCdf,
  normalQuantile,
  sprtBounds,
  sprtDrift,
  sprtExpectedSamples,
  twoProportionZTest,
  wilsonInterval,
} from './statistics.ts';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('normal distribution', () => {
  // Reference values from R: pnorm(), qnorm(), 2*pnorm(x*sqrt(2))-1 for erf.
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-1.96, 0.0249978951482204],
    [3, 0.9986501019683699],
    [-5, 2.866515718791939e-7],
    [-8, 6.220960574271785e-16],
  ])('Φ(%d) = %d', (x, expected) => {
    expect(relErr(normalCdf(x), expected)).toBeLessThan(1e-9);
  });

  it.each([
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [3, 0.9999779095030014],
  ])('erf(%d) = %d', (x, expected) => {
    expect(erf(x)).toBeCloseTo(expected, 13);
  });

  it.each([
    [0.5, 0],
    [0.99, 2.3263478740408408],
    [0.975, 1.959963984540054],
    [0.05, -1.6448536269514722],
    [1e-6, -4.753424308822899],
    [0.999999, 4.753424308822899],
  ])('Φ⁻¹(%d) = %d', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 7);
  });

  it('Φ⁻¹ is Φ’s inverse deep in both tails', () => {
    for (const p of [1e-12, 1e-4, 0.02, 0.3, 0.7, 0.98, 1 - 1e-9]) {
      expect(relErr(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-9);
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('fixed-horizon tests', () => {
  it('z-test with a margin matches a hand calculation', () => {
    // 30/1000 vs 40/4000, δ = 0.005: (0.03 − 0.01 − 0.005) / √(0.03·0.97/1000 + 0.01·0.99/4000)
    // = 0.015 / 0.0056192 = 2.6694; one-sided p = 1 − Φ(2.6694) = 0.0038.
    const { z, pValue } = twoProportionZTest({ bad: 30, total: 1000 }, { bad: 40, total: 4000 }, 0.005);
    expect(z).toBeCloseTo(2.6694, 3);
    expect(pValue).toBeCloseTo(0.0038, 4);
  });

  it('z-test with no variance answers by the sign of the difference', () => {
    expect(twoProportionZTest({ bad: 0, total: 100 }, { bad: 0, total: 100 }, 0.01).pValue).toBe(1);
  });

  it.each([
    // Fisher's lady tasting tea: 4 of 4 cups right is 1/C(8,4) = 1/70; 3 of 4 is (16 + 1)/70.
    ['all four right', 4, 0, 1 / 70],
    ['three of four right', 3, 1, 17 / 70],
    ['none right: certain', 0, 4, 1],
  ])('Fisher one-sided, %s', (_name, a, b, expected) => {
    const p = fisherExactOneSided({ bad: a, total: 4 }, { bad: b, total: 4 });
    expect(p).toBeCloseTo(expected, 12);
  });

  it('Fisher matches exact big-integer hypergeometric sums at larger counts', () => {
    const choose = (n: number, k: number): bigint => {
      let r = 1n;
      for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
      return r;
    };
    const exact = (a: number, nc: number, b: number, ns: number): number => {
      const bad = a + b;
      let tail = 0n;
      for (let x = a; x <= Math.min(bad, nc); x++) tail += choose(bad, x) * choose(nc + ns - bad, nc - x);
      const scale = 10n ** 30n;
      return Number((tail * scale) / choose(nc + ns, nc)) / 1e30;
    };
    for (const [a, nc, b, ns] of [
      [7, 50, 3, 200],
      [30, 1000, 40, 4000],
      [2, 300, 10, 2700],
    ] as const) {
      const p = fisherExactOneSided({ bad: a, total: nc }, { bad: b, total: ns });
      expect(relErr(p, exact(a, nc, b, ns))).toBeLessThan(1e-9);
    }
  });

  it('ln Γ matches factorials', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('Wilson interval: 10/100 at 95% is [5.52%, 17.44%], 0/10 reaches 27.75%', () => {
    const a = wilsonInterval(10, 100, 0.95);
    expect(a.lower).toBeCloseTo(0.05523, 5);
    expect(a.upper).toBeCloseTo(0.17437, 5);
    const b = wilsonInterval(0, 10, 0.95);
    expect(b.lower).toBeCloseTo(0, 12);
    expect(b.upper).toBeCloseTo(0.27753, 5);
  });

  it('sample size for 1% vs 2%, one-sided α 5%, power 80%, equal arms is 1,826 (by hand)', () => {
    // p̄ = 0.015; (1.644854·√(0.015·0.985·2) + 0.841621·√(0.0196 + 0.0099))² / 0.01² = 1825.9
    expect(canarySampleSize({ p0: 0.01, p1: 0.02, alpha: 0.05, beta: 0.2, k: 1 })).toBe(1826);
  });

  it('a canary at 10% of traffic needs fewer canary requests than with equal arms', () => {
    const equal = canarySampleSize({ p0: 0.004, p1: 0.04, alpha: 0.01, beta: 0.05, k: 1 });
    const tenth = canarySampleSize({ p0: 0.004, p1: 0.04, alpha: 0.01, beta: 0.05, k: 9 });
    expect(tenth).toBeLessThan(equal);
  });
});

describe('SPRT', () => {
  const p0 = 0.01;
  const p1 = 0.02;
  const bounds = sprtBounds(0.01, 0.05);

  it('bounds are ln((1−β)/α) and ln(β/(1−α))', () => {
    expect(bounds.fail).toBeCloseTo(Math.log(95), 12);
    expect(bounds.pass).toBeCloseTo(-2.9856819, 6);
  });

  it('LLR after 3 bad in 100: 3·ln 2 + 97·ln(0.98/0.99) = 1.09466', () => {
    expect(bernoulliLlr(3, 100, p0, p1)).toBeCloseTo(1.09466, 5);
  });

  it('expected samples match Wald’s formulas at p0 and p1', () => {
    // At p1 the chance of ending at the fail bound is exactly 1 − β; at p0 it is α.
    const at1 = (0.95 * bounds.fail + 0.05 * bounds.pass) / sprtDrift(p1, p0, p1);
    const at0 = (0.01 * bounds.fail + 0.99 * bounds.pass) / sprtDrift(p0, p0, p1);
    expect(relErr(sprtExpectedSamples(p1, p0, p1, bounds), at1)).toBeLessThan(1e-6);
    expect(relErr(sprtExpectedSamples(p0, p0, p1, bounds), at0)).toBeLessThan(1e-6);
  });

  it('far from the indifference zone it is bound / E[LLR per observation]', () => {
    const drift = sprtDrift(0.04, 0.009, 0.014);
    const wald = sprtExpectedSamples(0.04, 0.009, 0.014, bounds);
    expect(relErr(wald, bounds.fail / drift)).toBeLessThan(1e-3);
    expect(Math.round(wald)).toBe(355);
  });

  it('stays finite and continuous where the drift is zero', () => {
    // Find the share with zero drift by bisection, then look either side of it.
    let lo = p0;
    let hi = p1;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (sprtDrift(mid, p0, p1) < 0) lo = mid;
      else hi = mid;
    }
    const at = sprtExpectedSamples(lo, p0, p1, bounds);
    expect(Number.isFinite(at)).toBe(true);
    expect(relErr(sprtExpectedSamples(lo * 0.999, p0, p1, bounds), at)).toBeLessThan(0.01);
    expect(relErr(sprtExpectedSamples(lo * 1.001, p0, p1, bounds), at)).toBeLessThan(0.01);
  });

  it('counts from where the LLR is now, and is 0 beyond a bound', () => {
    const fresh = sprtExpectedSamples(0, p0, p1, bounds);
    expect(fresh).toBeCloseTo(bounds.pass / sprtDrift(0, p0, p1), 9);
    expect(sprtExpectedSamples(0, p0, p1, bounds, -1)).toBeCloseTo(fresh - -1 / sprtDrift(0, p0, p1), 9);
    expect(sprtExpectedSamples(0.5, p0, p1, bounds, 10)).toBe(0);
  });
});
