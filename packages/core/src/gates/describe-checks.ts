/**
 * What people need beside each check's verdict and the gate does not decide on: which way the
 * metric reads, the latency check's "slow" bound, and what the canary's counts still cannot rule
 * out (upper-bound.ts). Added after evaluation so the gate's decision code stays as it is.
 */
import type { CheckResult, GateResult, MetricProfile } from '@aviary/contracts';
import { clopperPearsonUpper } from './upper-bound.ts';

export interface CheckContext {
  profile: MetricProfile;
  /** The bucket bound that defined "slow" in this evaluation, when known. */
  latencyThresholdMs: number | null;
}

function describeCheck(check: CheckResult, ctx: CheckContext): CheckResult {
  if (check.kind === 'bake-time' || check.kind === 'sample-size') return check;
  const counts = check.canaryCounts;
  const canaryUpperBound = counts ? clopperPearsonUpper(counts.bad, counts.total) : null;
  const direction =
    check.kind === 'business'
      ? (ctx.profile.business.find((b) => b.name === check.name)?.direction ?? 'lower-is-better')
      : 'lower-is-better';
  return {
    ...check,
    direction,
    canaryUpperBound,
    ...(check.kind === 'latency' ? { thresholdMs: ctx.latencyThresholdMs } : {}),
  };
}

export function describeChecks(gate: GateResult, ctx: CheckContext): GateResult {
  return { ...gate, checks: gate.checks.map((c) => describeCheck(c, ctx)) };
}
