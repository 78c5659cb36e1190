import { describe, expect, it } from 'vitest';
import { mixtureAlternatives, mixtureLogLr } from './mixture.ts';
import { failNull, hypotheses, judgeShare } from './sequential-test.ts';
import { bernoulliLlr, twoProportionZTest } from './statistics.ts';

const alpha = 0.01;
const beta = 0.05;
const tolerance = 0.005;

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

describe('judgeShare', () => {
  it('with stable known precisely, fails on the mixture against stable + tolerance', () => {
    const stable = { bad: 4_000_000, total: 1_000_000_000 };
    const canary = { bad: 12, total: 1000 };
    const j = judgeShare(canary, stable, tolerance, alpha, beta);
    const p0 = failNull(canary, stable, tolerance, j.bounds.fail);
    expect(p0).toBeCloseTo(0.009, 6);
    expect(j.llr).toBeCloseTo(mixtureLogLr(12, 1000, p0, mixtureAlternatives(p0, tolerance)), 12);
    expect(j.pValue).toBeCloseTo(Math.min(1, Math.exp(-j.llr)), 12);
  });

  it('widens the fail side by stable’s noise, more when stable has less traffic than the canary', () => {
    const bound = Math.log(0.95 / 0.01);
    const canary = { bad: 9, total: 1000 };
    const shift = (stable: { bad: number; total: number }) =>
      failNull(canary, stable, tolerance, bound) - (stable.bad / stable.total + tolerance);
    const atTenPercent = shift({ bad: 36, total: 9000 });
    const atSeventyFive = shift({ bad: 1, total: 333 });
    expect(atTenPercent).toBeGreaterThan(0);
    expect(atSeventyFive).toBeGreaterThan(3 * atTenPercent);
  });

  it('fails a gross breach in under half the requests Wald’s SPRT at stable + 2·tolerance needs', () => {
    const stable = { bad: 400, total: 100_000 };
    const firstFail = (fails: (c: { bad: number; total: number }) => boolean) => {
      for (let n = 1; n < 100_000; n++) if (fails({ bad: Math.round(0.08 * n), total: n })) return n;
      return Number.POSITIVE_INFINITY;
    };
    const mixture = firstFail((c) => judgeShare(c, stable, tolerance, alpha, beta).verdict === 'fail');
    const wald = firstFail((c) => bernoulliLlr(c.bad, c.total, 0.009, 0.014) >= Math.log(0.95 / 0.01));
    expect(mixture).toBeLessThan(0.5 * wald);
  });

  it('fails only on evidence beyond stable’s upper bound: a small stable sample weakens it', () => {
    const canary = { bad: 30, total: 1000 };
    const big = judgeShare(canary, { bad: 400, total: 100_000 }, tolerance, alpha, beta);
    const small = judgeShare(canary, { bad: 4, total: 1000 }, tolerance, alpha, beta);
    expect(small.llr).toBeLessThan(big.llr);
  });

  it('passes only below stable’s lower bound: the same canary waits for a small stable sample', () => {
    const canary = { bad: 39, total: 300 };
    const big = judgeShare(canary, { bad: 40_000, total: 400_000 }, 0.05, alpha, beta);
    const small = judgeShare(canary, { bad: 10, total: 100 }, 0.05, alpha, beta);
    expect(big.verdict).toBe('pass');
    expect(small.verdict).toBe('inconclusive');
    expect(small.samplesNeeded).toBeGreaterThan(0);
  });

  it('estimates the samples still needed only while undecided', () => {
    const stable = { bad: 108, total: 27000 };
    expect(judgeShare({ bad: 3, total: 400 }, stable, tolerance, alpha, beta).samplesNeeded).toBeGreaterThan(
      0,
    );
    expect(judgeShare({ bad: 41, total: 1950 }, stable, tolerance, alpha, beta).samplesNeeded).toBeNull();
  });

  it.each([0, 1e-9, 0.5, 0.97, 0.999999, 1])('keeps 0 < p0 < p1 < 1 for a stable share of %d', (share) => {
    const { p0, p1 } = hypotheses(share, 0.05);
    expect(p0).toBeGreaterThan(0);
    expect(p1).toBeGreaterThan(p0);
    expect(p1).toBeLessThan(1);
  });
});

describe('judgeShare under continuous monitoring', () => {
  // 400 runs of a canary exactly at the edge of H0 (stable + tolerance), judged after every
  // 25 requests for 18,000 requests (an hour at 5 req/s). Ville's inequality bounds the SPRT's chance of ever failing by
  // 1/95 ≈ 1.05%; the same data judged by a fixed z-test at α = 1% at every look fails far more often.
  it('keeps false fails near α however often it looks; a fixed test does not', () => {
    const stable = { bad: 4_000, total: 1_000_000 };
    const truth = stable.bad / stable.total + tolerance;
    let sprtFails = 0;
    let peekingFails = 0;
    for (let run = 0; run < 400; run++) {
      const random = seeded(run + 1);
      const canary = { bad: 0, total: 0 };
      let sprtFailed = false;
      let peekingFailed = false;
      for (let look = 0; look < 720 && !(sprtFailed && peekingFailed); look++) {
        for (let i = 0; i < 25; i++) if (random() < truth) canary.bad++;
        canary.total += 25;
        sprtFailed ||= judgeShare(canary, stable, tolerance, alpha, beta, false).verdict === 'fail';
        peekingFailed ||= twoProportionZTest(canary, stable, tolerance).pValue < alpha;
      }
      if (sprtFailed) sprtFails++;
      if (peekingFailed) peekingFails++;
    }
    expect(sprtFails / 400).toBeLessThanOrEqual(0.02);
    expect(peekingFails).toBeGreaterThan(3 * Math.max(sprtFails, 1));
  });
});
