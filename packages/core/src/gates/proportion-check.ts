/**
 * One proportion check (5xx share, slow share, a business metric's bad share) from each arm's counts
 * since the step started: no data → inconclusive with the reason; the 5xx hard limit; then the
 * sequential test of sequential-test.ts. Every outcome gets a one-line explanation with numbers.
 */
import type { ArmCounts, CheckResult } from '@aviary/contracts';
import { count, duration, percent, points, pValue, rate, ratio } from './format.ts';
import { mixtureAlternatives, mixtureLogLr, mixtureLowerBound } from './mixture.ts';
import { judgeShare } from './sequential-test.ts';
import { sprtBounds } from './statistics.ts';

export interface ProportionCheckSpec {
  name: string;
  kind: 'error-rate' | 'latency' | 'business';
  /** What is measured, for prose: "5xx", "slower than 250 ms", "checkout-conversion". */
  label: string;
  /** Higher-is-better business metrics read as the good share ("conversion 31%"), others as the bad one. */
  shows: 'bad' | 'good';
  /** What one sample is called in "need ~N more canary …": "requests", "samples". */
  unit: string;
  canary: ArmCounts | null;
  stable: ArmCounts | null;
  tolerance: number;
  /** Canary samples per second for this check, to turn samples into time. */
  samplesPerSecond: number | null;
  /** The error rate's absolute ceiling, judged by an always-valid confidence sequence (ceilingBreached). */
  hardLimit: { max: number; minSamples: number } | null;
}

/** What every check of one evaluation shares. */
export interface GateSettings {
  /** Why there is no data at all (Prometheus down); overrides the counts. */
  unavailable: string | null;
  alpha: number;
  beta: number;
}

export interface AssessedCheck {
  check: CheckResult;
  /** What this check still lacks, for the gate's summary; null when it passed or failed. */
  shortfall: string | null;
}

const usable = (c: ArmCounts | null): ArmCounts | null =>
  c && Number.isFinite(c.bad) && Number.isFinite(c.total) && c.total > 0 && c.bad >= 0 && c.bad <= c.total
    ? c
    : null;

export function assessProportion(spec: ProportionCheckSpec, settings: GateSettings): AssessedCheck {
  const canary = settings.unavailable ? null : usable(spec.canary);
  const stable = settings.unavailable ? null : usable(spec.stable);
  const base: CheckResult = {
    name: spec.name,
    kind: spec.kind,
    verdict: 'inconclusive',
    canary: canary ? canary.bad / canary.total : null,
    stable: stable ? stable.bad / stable.total : null,
    canaryCounts: canary,
    stableCounts: stable,
    tolerance: spec.tolerance,
    llr: null,
    bounds: null,
    pValue: null,
    samplesNeeded: null,
    secondsToSignificance: null,
    explanation: '',
  };
  const shown = (c: ArmCounts) => {
    const n = spec.shows === 'bad' ? c.bad : c.total - c.bad;
    return `${percent(n / c.total)} (${ratio(n, c.total)})`;
  };

  if (settings.unavailable) {
    return inconclusive(base, `no data: ${settings.unavailable}`, `${spec.name}: no data`);
  }
  if (!canary) {
    const why = 'no canary data yet (no canary traffic, or no series in Prometheus)';
    return inconclusive(base, why, `${spec.name}: no canary data`);
  }
  const canaryText = `canary ${spec.label} ${shown(canary)}`;

  const limit = spec.hardLimit;
  if (
    limit &&
    canary.total >= Math.ceil(limit.minSamples / 10) &&
    ceilingBreached(canary, limit.max, settings)
  ) {
    const bound = sprtBounds(settings.alpha, settings.beta).fail;
    const lower = Math.max(limit.max, mixtureLowerBound(canary.bad, canary.total, bound));
    const why = `${canaryText}; its always-valid lower bound ${percent(lower)} is above the ${percent(limit.max)} hard limit → fail`;
    return {
      check: { ...withSprt(base, canary, stable, spec, settings), verdict: 'fail', explanation: why },
      shortfall: null,
    };
  }
  if (!stable) {
    const why = `${canaryText}, but no stable data to compare with`;
    return inconclusive(base, why, `${spec.name}: no stable data`);
  }

  const compared = `${canaryText} vs stable ${shown(stable)}`;
  const band =
    spec.shows === 'bad' ? `stable + ${points(spec.tolerance)}` : `stable − ${points(spec.tolerance)}`;
  const stableShare = stable.bad / stable.total;
  if (stableShare + spec.tolerance >= 1) {
    const why = `${compared}; stable is so close to the edge that the canary cannot be worse than ${band} → pass`;
    return { check: { ...base, verdict: 'pass', explanation: why }, shortfall: null };
  }

  const judgement = judgeShare(canary, stable, spec.tolerance, settings.alpha, settings.beta);
  const judged: CheckResult = {
    ...base,
    llr: judgement.llr,
    bounds: judgement.bounds,
    pValue: judgement.pValue,
  };
  if (judgement.verdict === 'fail') {
    const why = `${compared}; worse than ${band} with ${pValue(judgement.pValue)} → fail`;
    return { check: { ...judged, verdict: 'fail', explanation: why }, shortfall: null };
  }
  if (judgement.verdict === 'pass') {
    const why = `${compared}; within tolerance (${band}) → pass`;
    return { check: { ...judged, verdict: 'pass', explanation: why }, shortfall: null };
  }

  const needed = judgement.samplesNeeded;
  if (needed === null) {
    const why = `${compared}; stable's own share is still too uncertain to tell against ${band}`;
    return inconclusive(judged, why, `${spec.name} needs more stable data`);
  }
  const perSecond = spec.samplesPerSecond;
  const seconds = perSecond && perSecond > 0 ? needed / perSecond : null;
  const when =
    seconds === null
      ? 'no canary traffic right now'
      : `~${duration(seconds)} at ${rate(perSecond ?? 0, spec.unit === 'requests' ? 'req' : spec.unit)}`;
  const need = `~${count(needed)} more canary ${spec.unit} (${when})`;
  return {
    check: {
      ...judged,
      samplesNeeded: needed,
      secondsToSignificance: seconds,
      explanation: `${compared}; need ${need} to tell whether it is worse than ${band} → inconclusive`,
    },
    shortfall: `${spec.name} needs ${need}`,
  };
}

/** The check with the SPRT's numbers filled in (when stable data allows a comparison). */
function withSprt(
  base: CheckResult,
  canary: ArmCounts,
  stable: ArmCounts | null,
  spec: ProportionCheckSpec,
  settings: GateSettings,
): CheckResult {
  if (!stable || stable.bad / stable.total + spec.tolerance >= 1) return base;
  const j = judgeShare(canary, stable, spec.tolerance, settings.alpha, settings.beta);
  return { ...base, llr: j.llr, bounds: j.bounds, pValue: j.pValue };
}

function inconclusive(base: CheckResult, explanation: string, shortfall: string): AssessedCheck {
  return { check: { ...base, explanation: `${explanation} → inconclusive` }, shortfall };
}

/**
 * The hard ceiling as a confidence sequence: the mixture SPRT of "share > max" at the gate's fail
 * bound, so a canary exactly at the ceiling is failed with probability ≤ α/(1−β) however often the
 * gate looks (a fixed 99% bound re-checked every tick is not). The grid starts at a quarter of the
 * ceiling above it. Equivalent to the confidence sequence's lower bound (mixtureLowerBound) being above `max`.
 */
export function ceilingBreached(canary: ArmCounts, max: number, settings: GateSettings): boolean {
  if (!(max > 0 && max < 1)) return false;
  const alternatives = mixtureAlternatives(max, max / 4);
  return (
    mixtureLogLr(canary.bad, canary.total, max, alternatives) >=
    sprtBounds(settings.alpha, settings.beta).fail
  );
}
