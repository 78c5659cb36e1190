/**
 * The sequential test behind every proportion check, on the canary's cumulative counts:
 *   fail: the mixture SPRT (mixture.ts) of "canary share > stable + tolerance" reaches ln((1−β)/α);
 *   pass: Wald's SPRT of H0 "share = stable + tolerance" against H1 "share = stable + 2·tolerance"
 *         reaches ln(β/(1−α));
 * otherwise inconclusive.
 *
 * Why sequential: the gate is re-evaluated every second for hours, and a fixed-level test re-run at
 * every tick fails healthy canaries far more often than its α. Both likelihood ratios are
 * (super)martingales under H0, so by Ville's inequality P(ever reaching 1/a) ≤ a however often we
 * look, and 1/Λ is an always-valid p-value. The fail side is a mixture because a single H1 at
 * + 2·tolerance weighs every error the same however bad the canary is.
 *
 * Why not the plain plug-in (H0 at stable's observed share + tolerance): it treats stable's share as
 * known. That is fine while stable carries most traffic, but at 50–75% canary weight, or for a
 * business metric with few events, stable's estimate is as noisy as the tolerance; a low draw moves
 * H0 below the truth and a healthy canary "fails". So each side takes the side of stable's
 * uncertainty that protects it: `fail` widens H0 by the noise stable adds to the comparison
 * (failNull), `pass` places H0/H1 at stable's lower bound (one standard error). Measured by
 * bench/gate-simulation (1,000 runs each, checked every second for an hour): healthy canary at 75%
 * weight with conversion 40% ± 1 pp: false fails 0.4% (target ≤ 1%); canary exactly at stable +
 * tolerance: fails 0.8% (Ville's bound 1.05%).
 */
import type { ArmCounts, Verdict } from '@aviary/contracts';
import { mixtureAlternatives, mixtureLogLr, mixtureSamplesToBound } from './mixture.ts';
import {
  type SprtBounds,
  bernoulliLlr,
  normalCdf,
  sprtBounds,
  sprtDrift,
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
  /** Evidence that the canary is worse than stable + tolerance: ln Λ of the fail side's mixture. */
  llr: number;
  bounds: SprtBounds;
  /** Always-valid p-value for "worse than stable + tolerance": 1/Λ, at most 1. */
  pValue: number;
  /** Further canary samples to a decision at the canary's share so far; null once decided. */
  samplesNeeded: number | null;
}

export function hypotheses(stableShare: number, tolerance: number): { p0: number; p1: number } {
  const p0 = Math.min(Math.max(stableShare + tolerance, P0_FLOOR), P0_CEILING);
  // Halfway to 1 at most, so p0 < p1 < 1.
  return { p0, p1: Math.min(stableShare + 2 * tolerance, (1 + p0) / 2) };
}

/**
 * The fail side's null: stable + tolerance, widened by what stable's own noise adds to the
 * comparison. Treating stable's share as known, the canary's share is compared at its own standard
 * error s_c; the comparison's real standard error is √(s_c² + s_s²). Moving H0 up by the fail
 * boundary's z times the difference keeps a stable draw on the low side from failing a healthy
 * canary, and costs little while stable carries most traffic (s_s ≪ s_c: the shift is ~z·s_s²/2s_c).
 */
export function failNull(canary: ArmCounts, stable: ArmCounts, tolerance: number, bound: number): number {
  const stableShare = stable.bad / stable.total;
  const stableSe = wilsonInterval(stable.bad, stable.total, ONE_SE).upper - stableShare;
  const p0 = clampNull(stableShare + tolerance);
  const canarySe = Math.sqrt((p0 * (1 - p0)) / Math.max(1, canary.total));
  const z = Math.sqrt(2 * bound);
  return clampNull(p0 + z * (Math.hypot(canarySe, stableSe) - canarySe));
}

const clampNull = (p: number) => Math.min(Math.max(p, P0_FLOOR), P0_CEILING);

/**
 * Fail: the mixture SPRT (mixture.ts) of "canary share > failNull" reaches ln((1−β)/α), so a canary
 * exactly at stable + tolerance fails with probability ≤ α/(1−β) by Ville's inequality.
 * Pass: Wald's SPRT with H0/H1 at stable's lower bound + tolerance / + 2·tolerance reaches
 * ln(β/(1−α)), as before the mixture: "not worse" needs a fixed alternative to be beaten.
 */
export function judgeShare(
  canary: ArmCounts,
  stable: ArmCounts,
  tolerance: number,
  alpha: number,
  beta: number,
  /** Skip the samples-still-needed estimate (simulations that only want the verdict). */
  estimate = true,
): ShareJudgement {
  const bounds = sprtBounds(alpha, beta);
  const p0 = failNull(canary, stable, tolerance, bounds.fail);
  const alternatives = mixtureAlternatives(p0, tolerance);
  const llr = mixtureLogLr(canary.bad, canary.total, p0, alternatives);
  const pValue = Math.min(1, Math.exp(-llr));
  if (llr >= bounds.fail) return { verdict: 'fail', llr, bounds, pValue, samplesNeeded: null };
  const passSide = hypotheses(wilsonInterval(stable.bad, stable.total, ONE_SE).lower, tolerance);
  const passLlr = bernoulliLlr(canary.bad, canary.total, passSide.p0, passSide.p1);
  if (passLlr <= bounds.pass) return { verdict: 'pass', llr, bounds, pValue, samplesNeeded: null };
  if (!estimate) return { verdict: 'inconclusive', llr, bounds, pValue, samplesNeeded: null };

  // How long, from each side's own arithmetic, if the canary's share stays where it is: the
  // mixture's samples to its bound, and the pass side's LLR walking down at its expected drift.
  const share = canary.bad / canary.total;
  const toFail = mixtureSamplesToBound({
    bad: canary.bad,
    total: canary.total,
    share,
    p0,
    alternatives,
    bound: bounds.fail,
  });
  const drift = sprtDrift(share, passSide.p0, passSide.p1);
  const toPass = drift < 0 ? (bounds.pass - passLlr) / drift : null;
  const candidates = [toFail, toPass].filter((n): n is number => n !== null && Number.isFinite(n));
  const needed = candidates.length > 0 ? Math.ceil(Math.min(...candidates)) : null;
  return { verdict: 'inconclusive', llr, bounds, pValue, samplesNeeded: needed };
}
