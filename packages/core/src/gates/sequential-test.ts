/**
 * The sequential test behind every proportion check: Wald's SPRT on the canary's cumulative counts,
 *   H0: canary share = p0 = stable + tolerance      (not worse than we tolerate)
 *   H1: canary share = p1 = stable + 2·tolerance    (worse by a clear margin)
 * LLR ≥ ln((1−β)/α) → fail; LLR ≤ ln(β/(1−α)) → pass; otherwise inconclusive.
 *
 * Why SPRT: the gate is re-evaluated every few seconds for hours, and a fixed-level test re-run at
 * every tick fails healthy canaries far more often than its α. The likelihood ratio is a martingale
 * under H0, so by Ville's inequality P(it ever reaches 1/α) ≤ α however often we look, and
 * exp(−LLR) is an always-valid p-value.
 *
 * Why not the plain plug-in (p0 = stable's observed share + tolerance): it treats stable's share as
 * known. That is fine while stable carries most traffic, but at 50–75% canary weight, or for a
 * business metric with few events, stable's estimate is as noisy as the tolerance; a low draw moves
 * H0 below the truth and a healthy canary "fails". So each side takes the side of stable's
 * uncertainty that protects it: `fail` places H0/H1 at stable's Wilson upper bound (one standard
 * error), `pass` at the lower bound; with stable at 90% of traffic both are close to the plug-in.
 * Measured by bench/gate-simulation (1,000 runs each), plug-in → these bounds:
 *  - healthy canary at 75% weight, conversion 40% ± 1 pp: false fails 2.5% → 0.4% (target ≤ 1%);
 *  - canary exactly at stable + tolerance: fails 1.6% → 1.0% (Ville's bound with stable known: 1.05%);
 *  - canary at 10× stable's 5xx at 1 / 5 req/s: median time to fail 0.97× / 1.06× → 1.13× / 1.20×
 *    of the SPRT's expected time with stable known (target within 2×).
 */
import type { ArmCounts, Verdict } from '@aviary/contracts';
import {
  type SprtBounds,
  bernoulliLlr,
  normalCdf,
  sprtBounds,
  sprtDrift,
  sprtExpectedSamples,
  wilsonInterval,
} from './statistics.ts';

/** H0 never sits below this share, so ln(p1/p0) stays finite for a tiny tolerance. */
const P0_FLOOR = 1e-4;
/** …nor above this one, so ln(1 − p1) does too. */
const P0_CEILING = 1 - 1e-6;
/** A two-sided Wilson interval of ±1 standard error (68.3%). */
const ONE_SE = 2 * normalCdf(1) - 1;

export interface ShareJudgement {
  verdict: Verdict;
  /** Evidence that the canary is worse than stable + tolerance (the fail side's LLR). */
  llr: number;
  bounds: SprtBounds;
  /** Always-valid p-value for "worse than stable + tolerance": exp(−llr), at most 1. */
  pValue: number;
  /** Expected further canary samples to a decision; null once decided. */
  samplesNeeded: number | null;
}

export function hypotheses(stableShare: number, tolerance: number): { p0: number; p1: number } {
  const p0 = Math.min(Math.max(stableShare + tolerance, P0_FLOOR), P0_CEILING);
  // Halfway to 1 at most, so p0 < p1 < 1.
  return { p0, p1: Math.min(stableShare + 2 * tolerance, (1 + p0) / 2) };
}

export function judgeShare(
  canary: ArmCounts,
  stable: ArmCounts,
  tolerance: number,
  alpha: number,
  beta: number,
): ShareJudgement {
  const bounds = sprtBounds(alpha, beta);
  const stableShare = stable.bad / stable.total;
  const band = wilsonInterval(stable.bad, stable.total, ONE_SE);
  const failSide = hypotheses(band.upper, tolerance);
  const passSide = hypotheses(band.lower, tolerance);
  const llr = bernoulliLlr(canary.bad, canary.total, failSide.p0, failSide.p1);
  const pValue = Math.min(1, Math.exp(-llr));
  if (llr >= bounds.fail) return { verdict: 'fail', llr, bounds, pValue, samplesNeeded: null };
  const passLlr = bernoulliLlr(canary.bad, canary.total, passSide.p0, passSide.p1);
  if (passLlr <= bounds.pass) return { verdict: 'pass', llr, bounds, pValue, samplesNeeded: null };

  // How long, as if stable's share were known: Wald's expected sample size at the canary's
  // observed share, from where the plug-in LLR stands now. An estimate people read as "~N".
  const share = canary.bad / canary.total;
  const central = hypotheses(stableShare, tolerance);
  const now = bernoulliLlr(canary.bad, canary.total, central.p0, central.p1);
  let needed: number | null = sprtExpectedSamples(share, central.p0, central.p1, bounds, now);
  if (needed <= 0) {
    // The plug-in has decided but the cautious side has not: it gets there by its own drift, if
    // that points the right way, or else only by stable's interval narrowing.
    const [side, from, to] =
      now >= bounds.fail ? [failSide, llr, bounds.fail] : [passSide, passLlr, bounds.pass];
    const steps = (to - from) / sprtDrift(share, side.p0, side.p1);
    needed = steps > 0 ? steps : null;
  }
  return {
    verdict: 'inconclusive',
    llr,
    bounds,
    pValue,
    samplesNeeded: needed === null ? null : Math.ceil(needed),
  };
}
