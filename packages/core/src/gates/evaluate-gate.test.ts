import { type ArmCounts, type CheckResult, GateResult, MetricProfile } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { type GateInput, evaluateGate } from './evaluate-gate.ts';

const profile = MetricProfile.parse({
  business: [
    {
      name: 'checkout-conversion',
      numerator: 'completed{workload="{{workload}}"}',
      denominator: 'started{workload="{{workload}}"}',
      direction: 'higher-is-better',
      tolerance: 0.05,
    },
  ],
});
const start = new Date('2026-03-01T10:00:00Z');
const after = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const counts = (bad: number, total: number): ArmCounts => ({ bad, total });

/** Ten minutes into a step with a healthy canary at 5 req/s next to stable at 45 req/s. */
const healthy = (over: Partial<GateInput> = {}): GateInput => ({
  profile,
  now: after(600),
  stepStartedAt: start,
  canaryRequestRate: 5,
  errors: { canary: counts(6, 3000), stable: counts(108, 27000) },
  latency: { canary: counts(150, 3000), stable: counts(1350, 27000), thresholdMs: 250 },
  business: [
    {
      name: 'checkout-conversion',
      canary: { numerator: 120, denominator: 300 },
      stable: { numerator: 1080, denominator: 2700 },
    },
  ],
  ...over,
});

const noData: Pick<GateInput, 'errors' | 'latency' | 'business'> = {
  errors: { canary: null, stable: null },
  latency: { canary: null, stable: null, thresholdMs: null },
  business: [],
};

const check = (result: GateResult, name: string): CheckResult => {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name}`);
  return found;
};
const metricChecks = (r: GateResult) =>
  r.checks.filter((c) => c.kind !== 'bake-time' && c.kind !== 'sample-size');

describe('evaluateGate: verdicts', () => {
  it.each<[string, GateInput, GateResult['verdict'], string]>([
    ['no data at all', healthy(noData), 'inconclusive', 'no canary requests yet'],
    [
      'Prometheus unavailable, even with stale counts passed in',
      healthy({ unavailable: 'Prometheus at http://prom:9090 is unreachable: ECONNREFUSED' }),
      'inconclusive',
      'no metrics: Prometheus at http://prom:9090 is unreachable',
    ],
    [
      'stable has no data',
      healthy({ errors: { canary: counts(6, 3000), stable: null } }),
      'inconclusive',
      'error-rate: no stable data',
    ],
    [
      'healthy but too few samples',
      healthy({ errors: { canary: counts(0, 150), stable: counts(5, 1350) } }),
      'inconclusive',
      '50 more canary requests (~10 s at 5 req/s) to reach the 200 minimum',
    ],
    ['bake time remaining', healthy({ now: after(30) }), 'inconclusive', '30 s of bake time left'],
    ['healthy', healthy(), 'pass', 'error-rate, latency, checkout-conversion within tolerance'],
    [
      'error rate worse than stable + tolerance',
      healthy({ errors: { canary: counts(41, 1950), stable: counts(152, 38000) } }),
      'fail',
      'fail — error-rate: canary 5xx 2.1% (41/1,950)',
    ],
    [
      'latency: too many slow requests',
      healthy({ latency: { canary: counts(450, 3000), stable: counts(1350, 27000), thresholdMs: 250 } }),
      'fail',
      'fail — latency: canary slow (> 250 ms) 15% (450/3,000) vs stable 5% (1,350/27,000)',
    ],
    [
      'business, higher is better: conversion dropped',
      healthy({
        business: [
          {
            name: 'checkout-conversion',
            canary: { numerator: 250, denominator: 1000 },
            stable: { numerator: 4000, denominator: 10000 },
          },
        ],
      }),
      'fail',
      'canary checkout-conversion 25% (250/1,000) vs stable 40% (4,000/10,000); worse than stable − 5 pp',
    ],
  ])('%s → %s', (_name, input, verdict, summary) => {
    const result = evaluateGate(input);
    expect(result.verdict).toBe(verdict);
    expect(result.summary).toContain(summary);
    expect(() => GateResult.parse(result)).not.toThrow();
  });
});

describe('evaluateGate: no data is never a pass', () => {
  it('every metric check says why it has nothing, long after bake time', () => {
    const result = evaluateGate(healthy({ ...noData, now: after(86_400) }));
    expect(result.verdict).toBe('inconclusive');
    for (const c of metricChecks(result)) {
      expect(c.verdict).toBe('inconclusive');
      expect(c.explanation).toContain('no canary data yet');
    }
  });

  it('an unavailable Prometheus is named in every check', () => {
    const why = 'Prometheus at http://prom:9090 is unreachable: ECONNREFUSED';
    const result = evaluateGate(healthy({ unavailable: why }));
    for (const c of result.checks) expect(c.explanation).toContain(why);
    expect(metricChecks(result).every((c) => c.canaryCounts === null && c.verdict === 'inconclusive')).toBe(
      true,
    );
  });

  it.each<[string, ArmCounts]>([
    ['NaN', counts(Number.NaN, 3000)],
    ['more bad than total', counts(3001, 3000)],
    ['zero requests', counts(0, 0)],
  ])('stable counts that are %s count as no data', (_name, stable) => {
    const result = evaluateGate(healthy({ errors: { canary: counts(6, 3000), stable } }));
    expect(result.verdict).toBe('inconclusive');
    expect(check(result, 'error-rate').explanation).toContain('no stable data to compare with');
  });
});

describe('evaluateGate: fail does not wait', () => {
  it('a confident breach fails before bake time and minimum samples', () => {
    const input = healthy({
      // A ceiling no canary reaches, so the comparison with stable is what fails.
      profile: { ...profile, errorRate: { tolerance: 0.005, max: 0.9 } },
      now: after(15),
      errors: { canary: counts(20, 150), stable: counts(5, 1350) },
    });
    const result = evaluateGate(input);
    expect(result.verdict).toBe('fail');
    expect(result.bakeSecondsRemaining).toBe(45);
    expect(check(result, 'bake-time').verdict).toBe('inconclusive');
    expect(check(result, 'sample-size').verdict).toBe('inconclusive');
    expect(check(result, 'error-rate').explanation).toContain('worse than stable + 0.5 pp');
    expect(result.summary).toContain('does not wait for bake time');
  });

  it('the hard limit fails on the canary alone, without stable data', () => {
    const result = evaluateGate(healthy({ now: after(30), errors: { canary: counts(9, 30), stable: null } }));
    expect(result.verdict).toBe('fail');
    expect(check(result, 'error-rate').explanation).toBe(
      'canary 5xx 30% (9/30); its always-valid lower bound 7.6% is above the 5% hard limit → fail',
    );
  });

  it('the hard limit fails even when stable is as bad', () => {
    const result = evaluateGate(
      healthy({ errors: { canary: counts(160, 2000), stable: counts(1400, 18000) } }),
    );
    expect(check(result, 'error-rate').verdict).toBe('fail');
    expect(check(result, 'error-rate').explanation).toContain('hard limit');
  });

  it('the hard limit waits for minSamples / 10 requests', () => {
    const result = evaluateGate(healthy({ errors: { canary: counts(5, 10), stable: null } }));
    expect(result.verdict).toBe('inconclusive');
  });
});

describe('evaluateGate: numbers in explanations', () => {
  it('a fail names both shares, the counts, the tolerance and the p-value', () => {
    const result = evaluateGate(
      healthy({ errors: { canary: counts(41, 1950), stable: counts(152, 38000) } }),
    );
    const errors = check(result, 'error-rate');
    expect(errors.explanation).toBe(
      'canary 5xx 2.1% (41/1,950) vs stable 0.4% (152/38,000); worse than stable + 0.5 pp with p < 0.001 → fail',
    );
    expect(errors.canary).toBeCloseTo(41 / 1950, 12);
    expect(errors.pValue).toBeCloseTo(Math.exp(-(errors.llr ?? 0)), 12);
    expect(errors.bounds?.fail).toBeCloseTo(Math.log(0.95 / 0.01), 12);
    expect(errors.bounds?.pass).toBeCloseTo(Math.log(0.05 / 0.99), 12);
  });

  it('an undecided check says how many more requests and how long at the current rate', () => {
    const result = evaluateGate(healthy({ errors: { canary: counts(3, 400), stable: counts(108, 27000) } }));
    const errors = check(result, 'error-rate');
    expect(errors.verdict).toBe('inconclusive');
    expect(errors.samplesNeeded).toBeGreaterThan(100);
    expect(errors.secondsToSignificance).toBeCloseTo((errors.samplesNeeded ?? 0) / 5, 9);
    expect(errors.explanation).toMatch(/need ~[\d,]+ more canary requests \(~[\d.]+ (s|min) at 5 req\/s\)/);
    expect(result.summary).toMatch(/error-rate needs ~[\d,]+ more canary requests/);
  });

  it('without a current rate, time comes from the step so far', () => {
    const input = healthy({
      canaryRequestRate: null,
      errors: { canary: counts(3, 400), stable: counts(108, 27000) },
    });
    const errors = check(evaluateGate(input), 'error-rate');
    expect(errors.secondsToSignificance).toBeCloseTo((errors.samplesNeeded ?? 0) / (400 / 600), 9);
  });

  it('lower-is-better business metrics count the numerator as bad', () => {
    const input = healthy({
      profile: {
        ...profile,
        business: [
          { ...profile.business[0]!, name: 'refund-rate', direction: 'lower-is-better', tolerance: 0.02 },
        ],
      },
      business: [
        {
          name: 'refund-rate',
          canary: { numerator: 80, denominator: 1000 },
          stable: { numerator: 200, denominator: 10000 },
        },
      ],
    });
    const refunds = check(evaluateGate(input), 'refund-rate');
    expect(refunds.canaryCounts).toEqual({ bad: 80, total: 1000 });
    expect(refunds.explanation).toContain(
      'canary refund-rate 8% (80/1,000) vs stable 2% (200/10,000); worse than stable + 2 pp',
    );
  });
});
