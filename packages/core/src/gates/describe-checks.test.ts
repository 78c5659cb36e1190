import { MetricProfile } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { describeChecks } from './describe-checks.ts';
import { evaluateGate } from './evaluate-gate.ts';

const profile = MetricProfile.parse({
  minSamples: 200,
  business: [
    {
      name: 'checkout-conversion',
      numerator: 'a{workload="{{workload}}"}',
      denominator: 'b{workload="{{workload}}"}',
      direction: 'higher-is-better',
      tolerance: 0.05,
    },
  ],
});

const gate = () =>
  evaluateGate({
    profile,
    now: new Date('2025-01-01T00:10:00Z'),
    stepStartedAt: new Date('2025-01-01T00:00:00Z'),
    canaryRequestRate: 0.1,
    errors: { canary: { bad: 0, total: 8 }, stable: { bad: 40, total: 9000 } },
    latency: { canary: { bad: 1, total: 8 }, stable: { bad: 450, total: 9000 }, thresholdMs: 250 },
    business: [
      {
        name: 'checkout-conversion',
        canary: { numerator: 3, denominator: 5 },
        stable: { numerator: 500, denominator: 900 },
      },
    ],
  });

describe('describeChecks', () => {
  it('says what 0 errors in 8 requests cannot rule out: up to 31%', () => {
    const error = describeChecks(gate(), { profile, latencyThresholdMs: 250 }).checks.find(
      (c) => c.kind === 'error-rate',
    );
    expect(error?.canaryUpperBound).toBeCloseTo(0.3123, 4);
    expect(error?.direction).toBe('lower-is-better');
  });

  it("gives the latency check its slow bound and a business metric its profile's direction", () => {
    const checks = describeChecks(gate(), { profile, latencyThresholdMs: 250 }).checks;
    expect(checks.find((c) => c.kind === 'latency')).toMatchObject({ thresholdMs: 250 });
    expect(checks.find((c) => c.kind === 'business')?.direction).toBe('higher-is-better');
    // Bake time and sample size have no share to bound.
    expect(checks.find((c) => c.kind === 'bake-time')?.canaryUpperBound).toBeUndefined();
  });

  it('changes no verdict, number or explanation the gate decided on', () => {
    const before = gate();
    const after = describeChecks(before, { profile, latencyThresholdMs: 250 });
    expect(after.verdict).toBe(before.verdict);
    after.checks.forEach((c, i) => {
      const { direction, thresholdMs, canaryUpperBound, ...rest } = c;
      expect(rest).toEqual(before.checks[i]);
    });
  });
});
