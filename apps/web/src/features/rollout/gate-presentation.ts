import type { CheckResult, Direction, GateResult, Verdict } from '@aviary/contracts';
import { formatCount } from '../../lib/format.ts';
import { decisionTime, formatPoints, formatShare } from './gate-format.ts';

/**
 * The one model every part of the gate reads: the first line, the tiles, the table, the
 * explanations and the chart thresholds all take their numbers from here, so they cannot disagree.
 * Each metric has one definition, shown in its natural direction (a conversion as a conversion),
 * with its allowance in percentage points.
 */

/** The gate's state as a person reads it: "no canary data" is not "not enough data yet". */
export type GateState = 'pass' | 'fail' | 'inconclusive' | 'no-data' | 'not-evaluated';

export interface MetricPresentation {
  name: string;
  kind: CheckResult['kind'];
  verdict: Verdict;
  /** The one definition: "5xx errors", "slow requests (> 250 ms)", "checkout-conversion". */
  title: string;
  direction: Direction;
  /** The latency check's "slow" bound in ms (null for other checks, or when unknown). */
  thresholdMs: number | null;
  /** Shares in the metric's natural direction (conversion for higher-is-better), 0–1. */
  canary: number | null;
  stable: number | null;
  /** Counts in that same direction: `shown` of `total`. */
  canaryCounts: { shown: number; total: number } | null;
  stableCounts: { shown: number; total: number } | null;
  /** The allowance as a share (0.005 = 0.5 pp), and "+0.5 pp" / "−5 pp". */
  allowance: number | null;
  allowanceText: string;
  /** The worst the canary may be: stable + allowance (lower is better) or stable − allowance. */
  limit: number | null;
  /** Canary − stable, in the natural direction, as a share. */
  difference: number | null;
  samplesSoFar: number | null;
  samplesNeeded: number | null;
  secondsToDecision: number | null;
  /** "0 errors in 8 requests — still consistent with up to 31% errors"; null when decided or no data. */
  stillPossible: string | null;
  /** The gate's own one-line explanation, unchanged. */
  explanation: string;
  /** Failed on the absolute ceiling (the 5xx hard limit) rather than against stable. */
  hardLimit: boolean;
}

export interface LimitingCheck {
  name: string;
  title: string;
  samplesSoFar: number | null;
  samplesNeeded: number | null;
  secondsToDecision: number | null;
}

export interface GatePresentation {
  verdict: Verdict;
  state: GateState;
  /** One sentence that decides: verdict, what to do, the limiting check and when. */
  firstLine: string;
  /** The check that decides when the gate can decide (inconclusive only). */
  limiting: LimitingCheck | null;
  metrics: MetricPresentation[];
  /** Bake time and sample size, as checks. */
  preconditions: CheckResult[];
  summary: string;
}

const metricKinds = new Set<CheckResult['kind']>(['error-rate', 'latency', 'business']);

function titleOf(c: CheckResult): string {
  if (c.kind === 'error-rate') return '5xx errors';
  if (c.kind === 'latency')
    return typeof c.thresholdMs === 'number'
      ? `slow requests (> ${formatCount(c.thresholdMs)} ms)`
      : 'slow requests';
  return c.name;
}

/** What one bad (or, for a conversion, good) event is called in "0 errors in 8 requests". */
const eventWords: Record<CheckResult['kind'], [string, string]> = {
  'error-rate': ['errors', 'requests'],
  latency: ['slow', 'requests'],
  business: ['bad', 'samples'],
  'bake-time': ['', ''],
  'sample-size': ['', ''],
};

export function presentMetric(c: CheckResult): MetricPresentation {
  const direction: Direction = c.direction ?? 'lower-is-better';
  const good = direction === 'higher-is-better';
  const natural = (share: number | null) => (share === null ? null : good ? 1 - share : share);
  const naturalCounts = (x: CheckResult['canaryCounts']) =>
    x ? { shown: good ? x.total - x.bad : x.bad, total: x.total } : null;
  const canary = natural(c.canary);
  const stable = natural(c.stable);
  const allowance = c.tolerance;
  const limit =
    stable === null || allowance === null
      ? null
      : good
        ? Math.max(0, stable - allowance)
        : Math.min(1, stable + allowance);
  const canaryCounts = naturalCounts(c.canaryCounts);
  return {
    name: c.name,
    kind: c.kind,
    verdict: c.verdict,
    title: titleOf(c),
    direction,
    thresholdMs: c.kind === 'latency' ? (c.thresholdMs ?? null) : null,
    canary,
    stable,
    canaryCounts,
    stableCounts: naturalCounts(c.stableCounts),
    allowance,
    allowanceText: allowance === null ? '—' : `${good ? '−' : '+'}${formatPoints(allowance)}`,
    limit,
    difference: canary === null || stable === null ? null : canary - stable,
    samplesSoFar: c.canaryCounts?.total ?? null,
    samplesNeeded: c.verdict === 'inconclusive' ? c.samplesNeeded : null,
    secondsToDecision: c.verdict === 'inconclusive' ? c.secondsToSignificance : null,
    stillPossible: c.verdict === 'inconclusive' ? stillPossible(c, canaryCounts, good) : null,
    explanation: c.explanation,
    // The gate states a hard-limit breach in its explanation; no field carries it (yet).
    hardLimit: c.verdict === 'fail' && c.explanation.includes('hard limit'),
  };
}

function stillPossible(
  c: CheckResult,
  counts: { shown: number; total: number } | null,
  good: boolean,
): string | null {
  const bound = c.canaryUpperBound;
  if (!counts || bound === null || bound === undefined) return null;
  const [bad, unit] = eventWords[c.kind];
  const n = `${formatCount(counts.total)} ${unit}`;
  if (good)
    return `${formatCount(counts.shown)} of ${n} converted — still consistent with as low as ${formatShare(1 - bound)}`;
  return `${formatCount(counts.shown)} ${bad} in ${n} — still consistent with up to ${formatShare(bound)} ${bad}`;
}

/** The check that holds the decision back longest: the latest to decide, else the most samples short. */
export function limitingCheck(gate: GateResult, metrics: MetricPresentation[]): LimitingCheck | null {
  const requests = gate.checks.find((c) => c.kind === 'error-rate')?.canaryCounts?.total ?? null;
  const open = gate.checks.filter(
    (c) => c.verdict === 'inconclusive' && (c.samplesNeeded !== null || c.secondsToSignificance !== null),
  );
  const key = (c: CheckResult) => [c.secondsToSignificance ?? -1, c.samplesNeeded ?? -1] as const;
  const worst = open.reduce<CheckResult | null>((best, c) => {
    if (!best) return c;
    const [a1, a2] = key(c);
    const [b1, b2] = key(best);
    return a1 > b1 || (a1 === b1 && a2 > b2) ? c : best;
  }, null);
  if (!worst) return null;
  const metric = metrics.find((m) => m.name === worst.name);
  const title =
    metric?.title ??
    (worst.kind === 'bake-time'
      ? 'bake time'
      : worst.kind === 'sample-size'
        ? 'minimum sample size'
        : worst.name);
  return {
    name: worst.name,
    title,
    samplesSoFar: worst.kind === 'bake-time' ? null : (metric?.samplesSoFar ?? requests),
    samplesNeeded: worst.kind === 'bake-time' ? null : worst.samplesNeeded,
    secondsToDecision: worst.secondsToSignificance,
  };
}

export function gateState(gate: GateResult): GateState {
  if (gate.verdict === 'pass') return 'pass';
  if (gate.verdict === 'fail') return 'fail';
  if (gate.checks.length === 0) return 'not-evaluated';
  const metrics = gate.checks.filter((c) => metricKinds.has(c.kind));
  return metrics.length > 0 && metrics.every((c) => c.canaryCounts === null) ? 'no-data' : 'inconclusive';
}

function firstLine(gate: GateResult, state: GateState, weight: number, ctx: Context): string {
  const { metrics, limiting } = ctx;
  switch (state) {
    case 'not-evaluated':
      return `Hold at ${weight}%: the gate has not evaluated this step yet`;
    case 'no-data':
      return `No canary data — hold at ${weight}%: no canary requests have been counted at this step yet`;
    case 'pass': {
      const n = gate.checks.find((c) => c.kind === 'error-rate')?.canaryCounts?.total ?? null;
      const after = n === null ? '' : ` after ${formatCount(n)} canary requests`;
      return `Take the next step: every check passed at ${weight}%${after}`;
    }
    case 'fail': {
      const failing = metrics.find((m) => m.verdict === 'fail');
      if (!failing) return `Roll back: the gate failed at ${weight}%`;
      if (failing.hardLimit)
        return `Roll back: ${failing.title} above the hard limit — canary ${formatShare(failing.canary)}, whatever stable does`;
      const vs =
        failing.canary !== null && failing.stable !== null
          ? ` — canary ${formatShare(failing.canary)} vs stable ${formatShare(failing.stable)}, allowed ${failing.allowanceText}`
          : failing.canary !== null
            ? ` — canary ${formatShare(failing.canary)}`
            : '';
      return `Roll back: ${failing.title} worse than allowed${vs}`;
    }
    case 'inconclusive': {
      if (!limiting) return `Hold at ${weight}%: nothing worse yet`;
      if (limiting.samplesNeeded === null)
        return `Hold at ${weight}%: nothing worse yet; ${limiting.title} ends in ${decisionTime(limiting.secondsToDecision)}`;
      const unit =
        limiting.name === 'sample-size' || metrics.find((m) => m.name === limiting.name)?.kind !== 'business'
          ? 'requests'
          : 'samples';
      const soFar = limiting.samplesSoFar ?? 0;
      const counts = `${formatCount(soFar)} of ~${formatCount(soFar + limiting.samplesNeeded)} ${unit}`;
      if (limiting.secondsToDecision === null)
        return `Hold at ${weight}%: nothing worse yet; ${limiting.title} needs ~${formatCount(limiting.samplesNeeded)} more ${unit} and there is no canary traffic now (${counts})`;
      return `Hold at ${weight}%: nothing worse yet; ${limiting.title} decides in ${decisionTime(limiting.secondsToDecision)} (${counts})`;
    }
  }
}

interface Context {
  metrics: MetricPresentation[];
  limiting: LimitingCheck | null;
}

/** The gate as people read it, at the rollout's current weight. */
export function presentGate(gate: GateResult, weight: number): GatePresentation {
  const state = gateState(gate);
  const metrics = gate.checks.filter((c) => metricKinds.has(c.kind)).map(presentMetric);
  const limiting = state === 'inconclusive' ? limitingCheck(gate, metrics) : null;
  return {
    verdict: gate.verdict,
    state,
    firstLine: firstLine(gate, state, weight, { metrics, limiting }),
    limiting,
    metrics,
    preconditions: gate.checks.filter((c) => !metricKinds.has(c.kind)),
    summary: gate.summary,
  };
}

/** A metric's numbers as text: what a tile and a table row both show. */
export interface MetricCells {
  canary: string;
  stable: string;
  counts: string;
  allowance: string;
  difference: string;
  samples: string;
  stillPossible: string | null;
}

export function metricCells(m: MetricPresentation): MetricCells {
  const counts = (x: MetricPresentation['canaryCounts']) =>
    x ? `${formatCount(x.shown)}/${formatCount(x.total)}` : '—';
  const diff = m.difference;
  return {
    canary: formatShare(m.canary),
    stable: formatShare(m.stable),
    counts: `${counts(m.canaryCounts)} vs ${counts(m.stableCounts)}`,
    allowance: m.allowanceText,
    difference: diff === null ? '—' : `${diff < 0 ? '−' : '+'}${formatPoints(Math.abs(diff))}`,
    samples:
      m.samplesNeeded === null
        ? formatCount(m.samplesSoFar ?? 0)
        : `${formatCount(m.samplesSoFar ?? 0)} (needs ~${formatCount(m.samplesNeeded)} more)`,
    stillPossible: m.stillPossible,
  };
}
