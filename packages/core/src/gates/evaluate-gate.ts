/**
 * The canary gate: from counts per arm since the step started, decide pass / fail /
 * inconclusive and say why with numbers. Pure: the caller queries Prometheus and passes counts.
 *
 * Each proportion (5xx share, share of requests slower than stable's p95/p99 bucket, each business
 * metric's bad share) goes through a sequential test against stable + tolerance that stays valid
 * however often the gate is re-evaluated: a mixture SPRT to fail, Wald's SPRT to pass
 * (sequential-test.ts, mixture.ts). Verdict:
 *  - any check `fail` → `fail`, even before bake time or minimum samples: a confident breach (or the
 *    5xx hard limit) rolls back at once;
 *  - `pass` only when bake time has elapsed, the canary has ≥ minSamples requests, and every metric
 *    check passed;
 *  - otherwise `inconclusive`, saying what is missing. Missing data is never a pass.
 */
import type { ArmCounts, CheckResult, GateResult, MetricProfile, Verdict } from '@aviary/contracts';
import { count, duration, rate } from './format.ts';
import { type AssessedCheck, type GateSettings, assessProportion } from './proportion-check.ts';

export interface RawRatio {
  numerator: number;
  denominator: number;
}

export interface GateInput {
  profile: MetricProfile;
  now: Date;
  stepStartedAt: Date;
  /** Canary requests per second over the last interval, if known. */
  canaryRequestRate: number | null;
  /** Counts since the step started; null = no data for that arm (no traffic, NaN, Prometheus down). */
  errors: { canary: ArmCounts | null; stable: ArmCounts | null };
  latency: { canary: ArmCounts | null; stable: ArmCounts | null; thresholdMs: number | null };
  business: { name: string; canary: RawRatio | null; stable: RawRatio | null }[];
  /** Why there is no data at all (e.g. "Prometheus at … is unreachable: …"), shown in every check. */
  unavailable?: string;
  /** Test parameters; defaults α=0.01 (false fail), β=0.05. */
  alpha?: number;
  beta?: number;
}

/** A false `fail` rolls a healthy release back; keep it rare (≤ 1% of healthy runs). */
export const DEFAULT_ALPHA = 0.01;
export const DEFAULT_BETA = 0.05;

const emptyCheck = (name: string, kind: CheckResult['kind']): CheckResult => ({
  name,
  kind,
  verdict: 'inconclusive',
  canary: null,
  stable: null,
  canaryCounts: null,
  stableCounts: null,
  tolerance: null,
  llr: null,
  bounds: null,
  pValue: null,
  samplesNeeded: null,
  secondsToSignificance: null,
  explanation: '',
});

const finite = (n: number | null | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;

function bakeCheck(elapsed: number, minBake: number, unavailable: string | null): AssessedCheck {
  const left = Math.max(0, minBake - elapsed);
  const note = unavailable ? `; metrics: ${unavailable}` : '';
  if (left <= 0) {
    const explanation = `baked ${duration(elapsed)} of the ${duration(minBake)} minimum → pass${note}`;
    return {
      check: { ...emptyCheck('bake-time', 'bake-time'), verdict: 'pass', explanation },
      shortfall: null,
    };
  }
  const explanation = `baked ${duration(elapsed)} of ${duration(minBake)}; ${duration(left)} left → inconclusive${note}`;
  return {
    check: { ...emptyCheck('bake-time', 'bake-time'), secondsToSignificance: left, explanation },
    shortfall: `${duration(left)} of bake time left`,
  };
}

function sampleSizeCheck(
  requests: number | null,
  minSamples: number,
  requestRate: number | null,
  unavailable: string | null,
): AssessedCheck {
  const check = emptyCheck('sample-size', 'sample-size');
  if (unavailable)
    return { check: { ...check, explanation: `no data: ${unavailable} → inconclusive` }, shortfall: null };
  if (requests === null) {
    const explanation = `no canary requests counted yet; need ${count(minSamples)} → inconclusive`;
    return {
      check: { ...check, samplesNeeded: minSamples, explanation },
      shortfall: 'no canary requests yet',
    };
  }
  if (requests >= minSamples) {
    const explanation = `${count(requests)} canary requests, at least the ${count(minSamples)} minimum → pass`;
    return { check: { ...check, verdict: 'pass', explanation }, shortfall: null };
  }
  const missing = Math.ceil(minSamples - requests);
  const seconds = requestRate && requestRate > 0 ? missing / requestRate : null;
  const when =
    seconds === null
      ? 'no canary traffic right now'
      : `~${duration(seconds)} at ${rate(requestRate ?? 0, 'req')}`;
  const need = `${count(missing)} more canary requests (${when})`;
  return {
    check: {
      ...check,
      samplesNeeded: missing,
      secondsToSignificance: seconds,
      explanation: `${count(requests)} of ${count(minSamples)} canary requests; need ${need} → inconclusive`,
    },
    shortfall: `${need} to reach the ${count(minSamples)} minimum`,
  };
}

/** "slow (> 250 ms)", or the quantile it stands for when the bucket bound is unknown. */
const slowLabel = (thresholdMs: number | null, quantile: number): string =>
  thresholdMs === null
    ? `slow (> stable p${Math.round(quantile * 100)})`
    : `slow (> ${count(thresholdMs)} ms)`;

/** Business counters as bad-event counts: a lost conversion is bad when higher is better. */
function businessCounts(
  r: RawRatio | null,
  direction: 'higher-is-better' | 'lower-is-better',
): ArmCounts | null {
  if (!r) return null;
  return {
    bad: direction === 'higher-is-better' ? r.denominator - r.numerator : r.numerator,
    total: r.denominator,
  };
}

export function evaluateGate(input: GateInput): GateResult {
  const { profile } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  const beta = input.beta ?? DEFAULT_BETA;
  const unavailable = input.unavailable ?? null;
  const elapsed = Math.max(0, (input.now.getTime() - input.stepStartedAt.getTime()) / 1000);
  const perStepSecond = (n: number | undefined) => (n !== undefined && elapsed > 0 ? n / elapsed : null);
  const canaryRequests = unavailable ? null : (finite(input.errors.canary?.total) ?? null);
  const requestRate = finite(input.canaryRequestRate) ?? perStepSecond(canaryRequests ?? undefined);
  const settings: GateSettings = { unavailable, alpha, beta };

  const metrics: AssessedCheck[] = [
    assessProportion(
      {
        name: 'error-rate',
        kind: 'error-rate',
        label: '5xx',
        shows: 'bad',
        unit: 'requests',
        canary: input.errors.canary,
        stable: input.errors.stable,
        tolerance: profile.errorRate.tolerance,
        samplesPerSecond: requestRate,
        hardLimit: { max: profile.errorRate.max, minSamples: profile.minSamples },
      },
      settings,
    ),
    assessProportion(
      {
        name: 'latency',
        kind: 'latency',
        label: slowLabel(input.latency.thresholdMs, profile.latency.quantile),
        shows: 'bad',
        unit: 'requests',
        canary: input.latency.canary,
        stable: input.latency.stable,
        tolerance: profile.latency.tolerance,
        samplesPerSecond: requestRate,
        hardLimit: null,
      },
      settings,
    ),
    ...profile.business.map((metric) => {
      const data = input.business.find((b) => b.name === metric.name);
      const canary = businessCounts(data?.canary ?? null, metric.direction);
      return assessProportion(
        {
          name: metric.name,
          kind: 'business',
          label: metric.name,
          shows: metric.direction === 'higher-is-better' ? 'good' : 'bad',
          unit: 'samples',
          canary,
          stable: businessCounts(data?.stable ?? null, metric.direction),
          tolerance: metric.tolerance,
          samplesPerSecond: perStepSecond(canary?.total),
          hardLimit: null,
        },
        settings,
      );
    }),
  ];
  const assessed = [
    bakeCheck(elapsed, profile.minBakeSeconds, unavailable),
    sampleSizeCheck(canaryRequests, profile.minSamples, requestRate, unavailable),
    ...metrics,
  ];
  const checks = assessed.map((a) => a.check);
  const verdict: Verdict = checks.some((c) => c.verdict === 'fail')
    ? 'fail'
    : checks.every((c) => c.verdict === 'pass')
      ? 'pass'
      : 'inconclusive';

  return {
    verdict,
    evaluatedAt: input.now.toISOString(),
    stepStartedAt: input.stepStartedAt.toISOString(),
    bakeSecondsRemaining: Math.max(0, profile.minBakeSeconds - elapsed),
    canaryRequestRate: finite(input.canaryRequestRate),
    checks,
    summary: summarize(verdict, assessed, { elapsed, profile, canaryRequests, unavailable }),
  };
}

function summarize(
  verdict: Verdict,
  assessed: AssessedCheck[],
  ctx: { elapsed: number; profile: MetricProfile; canaryRequests: number | null; unavailable: string | null },
): string {
  const checks = assessed.map((a) => a.check);
  if (verdict === 'fail') {
    const failing = checks.filter((c) => c.verdict === 'fail');
    const [first, ...rest] = failing;
    const more = rest.length > 0 ? ` (also failing: ${rest.map((c) => c.name).join(', ')})` : '';
    const early = checks.some(
      (c) => (c.kind === 'bake-time' || c.kind === 'sample-size') && c.verdict !== 'pass',
    )
      ? '; a confident breach does not wait for bake time or minimum samples'
      : '';
    return `fail — ${first?.name}: ${first?.explanation}${more}${early}`;
  }
  if (verdict === 'pass') {
    const metrics = checks
      .filter((c) => c.kind !== 'bake-time' && c.kind !== 'sample-size')
      .map((c) => c.name);
    return (
      `pass — baked ${duration(ctx.elapsed)} (minimum ${duration(ctx.profile.minBakeSeconds)}), ` +
      `${count(ctx.canaryRequests ?? 0)} canary requests (minimum ${count(ctx.profile.minSamples)}), ` +
      `and ${metrics.join(', ')} within tolerance`
    );
  }
  if (ctx.unavailable) {
    const bake = assessed[0]?.shortfall;
    return `inconclusive — no metrics: ${ctx.unavailable}${bake ? `; ${bake}` : ''}`;
  }
  const missing = assessed.map((a) => a.shortfall).filter((s): s is string => s !== null);
  return `inconclusive — ${missing.join('; ')}`;
}
