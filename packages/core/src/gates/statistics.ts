/**
 * The statistics behind the canary gate, pure and dependency-free so the numbers can be
 * checked against textbook values. The gate itself decides with Wald's SPRT (bottom of this file);
 * the fixed-horizon tests (z, Fisher) and the sample-size formula are here for reports and for
 * planning how long a step must run, never for deciding while a step is being watched.
 */
import type { ArmCounts } from '@aviary/contracts';

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * erf(x) for 0 ≤ x < 2.5 by the series 2/√π·e^{−x²}·Σ (2x²)ⁿ·x / (1·3·…·(2n+1)): every term is
 * positive, so unlike the alternating Taylor series nothing cancels.
 */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/**
 * erfc(x) for x ≥ 2.5 by its continued fraction (modified Lentz); keeps full relative precision far
 * into the tail, where 1 − erf(x) would round to 0 and p-values would too.
 */
function erfcContinuedFraction(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = 1 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Complementary error function, relative error ~1e-15 over the whole line. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < 2.5 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  return x < 2.5 ? erfSeries(x) : 1 - erfcContinuedFraction(x);
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximation (relative error 1.15e-9), polished by one Halley step on Φ.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

const poly = (coef: readonly number[], x: number): number => coef.reduce((acc, c) => acc * x + c, 0);

/** Standard normal quantile Φ⁻¹(p); ±∞ at 0 and 1. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const tail = poly(C, q) / (poly(D, q) * q + 1);
    x = p < P_LOW ? tail : -tail;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * One-sided two-proportion z-test of "canary's bad share exceeds stable's by more than `margin`"
 *. A fixed-horizon test: valid once, not when re-run at every tick.
 */
export function twoProportionZTest(
  canary: ArmCounts,
  stable: ArmCounts,
  margin: number,
): { z: number; pValue: number } {
  const pc = canary.bad / canary.total;
  const ps = stable.bad / stable.total;
  const diff = pc - ps - margin;
  const se = Math.sqrt((pc * (1 - pc)) / canary.total + (ps * (1 - ps)) / stable.total);
  // Both shares at 0 or 1 leave no variance: the sign of the difference is the whole answer.
  const z =
    se > 0 ? diff / se : diff > 0 ? Number.POSITIVE_INFINITY : diff < 0 ? Number.NEGATIVE_INFINITY : 0;
  return { z, pValue: normalCdf(-z) };
}

// Lanczos (g = 7, n = 9) for ln Γ; ~1e-15 relative, enough for hypergeometric terms in log space.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * Fisher's exact test, one-sided: the probability, given both arms' totals and the pooled number of
 * bad events, that the canary gets at least as many bad events as it did. For small counts, where
 * the z-test's normal approximation breaks down (expected errors < 5).
 */
export function fisherExactOneSided(canary: ArmCounts, stable: ArmCounts): number {
  const total = canary.total + stable.total;
  const bad = canary.bad + stable.bad;
  const top = Math.min(bad, canary.total);
  const logDenominator = logChoose(total, canary.total);
  const logTerms: number[] = [];
  for (let x = canary.bad; x <= top; x++) {
    logTerms.push(logChoose(bad, x) + logChoose(total - bad, canary.total - x) - logDenominator);
  }
  if (logTerms.length === 0) return 0;
  const max = Math.max(...logTerms);
  const sum = logTerms.reduce((acc, l) => acc + Math.exp(l - max), 0);
  return Math.min(1, Math.exp(max) * sum);
}

/** The gate asks for the same two or three confidences thousands of times a second in simulations. */
const zByConfidence = new Map<number, number>();
function twoSidedZ(confidence: number): number {
  let z = zByConfidence.get(confidence);
  if (z === undefined) {
    z = normalQuantile(1 - (1 - confidence) / 2);
    if (zByConfidence.size < 16) zByConfidence.set(confidence, z);
  }
  return z;
}

/** Wilson score interval for a binomial share, two-sided at `confidence`. */
export function wilsonInterval(
  bad: number,
  total: number,
  confidence = 0.95,
): { lower: number; upper: number } {
  if (total <= 0) return { lower: 0, upper: 1 };
  const z = twoSidedZ(confidence);
  const p = bad / total;
  const z2n = (z * z) / total;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / total + z2n / (4 * total));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Canary requests needed to tell a canary share `p1` from stable's `p0` with a one-sided fixed
 * test at level `alpha` and power 1 − `beta`, when stable gets `k` times the canary's traffic
 * (the standard formula). Rounded up.
 */
export function canarySampleSize(opts: {
  p0: number;
  p1: number;
  alpha: number;
  beta: number;
  k: number;
}): number {
  const { p0, p1, alpha, beta, k } = opts;
  const pBar = (p1 + k * p0) / (1 + k);
  const a = normalQuantile(1 - alpha) * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / k));
  const b = normalQuantile(1 - beta) * Math.sqrt(p1 * (1 - p1) + (p0 * (1 - p0)) / k);
  return Math.ceil((a + b) ** 2 / (p1 - p0) ** 2);
}

/**
 * Wald's SPRT for a Bernoulli share: H0 "share = p0" against H1 "share = p1" (p0 < p1). `fail` is
 * the upper bound ln((1−β)/α), where H1 is accepted; `pass` the lower bound ln(β/(1−α)).
 */
export interface SprtBounds {
  fail: number;
  pass: number;
}

export function sprtBounds(alpha: number, beta: number): SprtBounds {
  return { fail: Math.log((1 - beta) / alpha), pass: Math.log(beta / (1 - alpha)) };
}

/** The LLR's step for one bad and one good observation. */
function llrSteps(p0: number, p1: number): { bad: number; good: number } {
  return { bad: Math.log(p1 / p0), good: Math.log1p(-p1) - Math.log1p(-p0) };
}

/** Log-likelihood ratio of H1 over H0 after `bad` bad events in `total` observations. */
export function bernoulliLlr(bad: number, total: number, p0: number, p1: number): number {
  const step = llrSteps(p0, p1);
  return bad * step.bad + (total - bad) * step.good;
}

/** E[LLR per observation] when the true share is `p`. */
export function sprtDrift(p: number, p0: number, p1: number): number {
  const step = llrSteps(p0, p1);
  return p * step.bad + (1 - p) * step.good;
}

/**
 * The nonzero h with E_p[e^{h·Z}] = 1 (Z one observation's LLR): e^{h·LLR} is then a martingale,
 * which gives Wald's exit probabilities. h = 1 at p0 and −1 at p1; its sign is opposite the drift.
 */
function waldH(p: number, p0: number, p1: number): number {
  const step = llrSteps(p0, p1);
  // expm1 keeps g's relative precision near h = 0, where the root sits when the drift is tiny.
  const g = (h: number) => p * Math.expm1(h * step.bad) + (1 - p) * Math.expm1(h * step.good);
  const dir = sprtDrift(p, p0, p1) > 0 ? -1 : 1;
  let lo = 0;
  let hi = dir;
  while (g(hi) <= 0 && Math.abs(hi) < 1e6) {
    lo = hi;
    hi *= 2;
  }
  // g < 0 strictly between 0 and the root (g is convex with g(0) = 0, g'(0) = drift).
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) <= 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Wald's expected number of further observations until the LLR, now at `fromLlr`, leaves
 * (bounds.pass, bounds.fail) when the true share is `p`:
 * E[N] = (P_fail·(fail − ℓ) + (1 − P_fail)·(pass − ℓ)) / E[Z], overshoot ignored. When one bound is
 * all but certain this is the familiar `bound / E[LLR per observation]`; unlike that form it stays
 * finite for a share between p0 and p1, where the drift is near zero.
 */
export function sprtExpectedSamples(
  p: number,
  p0: number,
  p1: number,
  bounds: SprtBounds,
  fromLlr = 0,
): number {
  const up = bounds.fail - fromLlr;
  const down = bounds.pass - fromLlr;
  if (up <= 0 || down >= 0) return 0;
  const drift = sprtDrift(p, p0, p1);
  // At p = 0 or 1 every observation moves the LLR by the same step: no randomness left.
  if (p <= 0 || p >= 1) return (drift > 0 ? up : down) / drift;
  const h = waldH(p, p0, p1);
  // Near zero drift Wald's ratio is 0/0; its limit up·|down| / E[Z²] is within ~|h|·(up − down).
  if (Math.abs(h) * (up - down) < 1e-4) {
    const step = llrSteps(p0, p1);
    const secondMoment = p * step.bad ** 2 + (1 - p) * step.good ** 2;
    return (up * -down) / secondMoment;
  }
  // P_fail = (1 − e^{h·down}) / (e^{h·up} − e^{h·down}), written to never overflow.
  const pFail =
    h < 0
      ? Math.expm1(h * -down) / Math.expm1(h * (up - down))
      : Math.exp(-h * up) * (Math.expm1(h * down) / Math.expm1(-h * (up - down)));
  return (pFail * up + (1 - pFail) * down) / drift;
}
