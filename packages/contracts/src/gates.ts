import { z } from 'zod';

/**
 * A target's metric profile: what the gate checks and how strictly. Every check compares a
 * proportion of "bad" events (5xx, slow requests, abandoned checkouts) between canary and stable.
 */
export const Direction = z.enum(['higher-is-better', 'lower-is-better']);
export type Direction = z.infer<typeof Direction>;

/** A PromQL template; `{{namespace}}` and `{{workload}}` are replaced per arm, `{{window}}` by a range like `300s`. */
export const PromQLTemplate = z
  .string()
  .min(1)
  .max(4_000)
  .refine((q) => q.includes('{{workload}}'), 'the query must select one workload with {{workload}}');

export const BusinessMetric = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes, e.g. "checkout-conversion"'),
  /** Counter of successes (e.g. completed checkouts); the rate is numerator / denominator. */
  numerator: PromQLTemplate,
  /** Counter of attempts (e.g. started checkouts). */
  denominator: PromQLTemplate,
  direction: Direction,
  /** How much worse than stable the canary may be, as an absolute share (0.05 = 5 points). */
  tolerance: z.number().gt(0).max(1),
});
export type BusinessMetric = z.infer<typeof BusinessMetric>;

export const MetricProfile = z.object({
  /** Minimum time at each step before the gate can pass. */
  minBakeSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(60),
  /** Canary requests needed before any verdict other than a hard-limit breach. */
  minSamples: z.number().int().min(1).max(10_000_000).default(200),
  errorRate: z
    .object({
      /** How much higher than stable's 5xx share the canary's may be (0.005 = 0.5 points). */
      tolerance: z.number().gt(0).max(1).default(0.005),
      /** A hard ceiling on the canary's 5xx share, whatever stable does. */
      max: z.number().gt(0).max(1).default(0.05),
    })
    .default({ tolerance: 0.005, max: 0.05 }),
  latency: z
    .object({
      /** The stable quantile whose histogram bucket bound defines "slow". */
      quantile: z.union([z.literal(0.95), z.literal(0.99)]).default(0.95),
      /** How much larger the canary's share of slow requests may be (0.05 = 5 points). */
      tolerance: z.number().gt(0).max(1).default(0.05),
    })
    .default({ quantile: 0.95, tolerance: 0.05 }),
  business: z.array(BusinessMetric).max(10).default([]),
  /** Roll back by itself on a confident `fail`. */
  autoRollback: z.boolean().default(true),
});
export type MetricProfile = z.infer<typeof MetricProfile>;
export type MetricProfileInput = z.input<typeof MetricProfile>;

export const TargetProfile = z.object({
  namespace: z.string(),
  service: z.string(),
  profile: MetricProfile,
  /** Where this profile came from: Aviary's defaults, the router object's annotation, or a person. */
  source: z.enum(['default', 'annotation', 'api']),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type TargetProfile = z.infer<typeof TargetProfile>;

export const verdicts = ['pass', 'fail', 'inconclusive'] as const;
export const Verdict = z.enum(verdicts);
export type Verdict = z.infer<typeof Verdict>;

/** Counts of one arm over the current step: `bad` out of `total`. */
export const ArmCounts = z.object({ bad: z.number().min(0), total: z.number().min(0) });
export type ArmCounts = z.infer<typeof ArmCounts>;

export const CheckResult = z.object({
  /** `bake-time`, `sample-size`, `error-rate`, `latency`, or a business metric's name. */
  name: z.string(),
  kind: z.enum(['bake-time', 'sample-size', 'error-rate', 'latency', 'business']),
  verdict: Verdict,
  /** The measured share of bad events per arm (null when no data). */
  canary: z.number().nullable(),
  stable: z.number().nullable(),
  canaryCounts: ArmCounts.nullable(),
  stableCounts: ArmCounts.nullable(),
  tolerance: z.number().nullable(),
  /** The sequential test's log-likelihood ratio and its decision bounds. */
  llr: z.number().nullable(),
  bounds: z.object({ fail: z.number(), pass: z.number() }).nullable(),
  /** An always-valid p-value bound for "canary worse than stable + tolerance" (1/LR, capped at 1). */
  pValue: z.number().nullable(),
  /** Estimated canary samples still needed, and seconds at the current canary rate. */
  samplesNeeded: z.number().nullable(),
  secondsToSignificance: z.number().nullable(),
  /** One line with numbers, for people. */
  explanation: z.string(),
  /**
   * Which way is better for the measured share as people read it: business metrics that are
   * higher-is-better are shown as their good share (conversion), `canary`/`stable` stay bad shares.
   */
  direction: Direction.optional(),
  /** The latency check's "slow" bound: a request slower than this many ms counts as bad. */
  thresholdMs: z.number().nullable().optional(),
  /**
   * The largest bad share the canary's counts so far are still consistent with: an exact one-sided
   * 95% Clopper–Pearson upper bound (null without canary data). Describes the data, not a decision.
   */
  canaryUpperBound: z.number().nullable().optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const GateResult = z.object({
  verdict: Verdict,
  evaluatedAt: z.string(),
  /** Since when the current weight holds (the step's start). */
  stepStartedAt: z.string(),
  bakeSecondsRemaining: z.number(),
  canaryRequestRate: z.number().nullable(),
  checks: z.array(CheckResult),
  /** Why the verdict is what it is, in one line. */
  summary: z.string(),
});
export type GateResult = z.infer<typeof GateResult>;

export const GateResponse = GateResult.extend({ rolloutId: z.string() });

export const Arm = z.enum(['canary', 'stable']);
export type Arm = z.infer<typeof Arm>;

/** One chart sample of one version, as stored while the rollout runs. */
export const MetricPoint = z.object({
  at: z.string(),
  arm: Arm,
  requestRate: z.number().nullable(),
  errorRate: z.number().nullable(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  business: z.record(z.string(), z.number().nullable()),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricsQuery = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  /** Seconds per point; raised if needed so no series exceeds 1,000 points. */
  step: z.coerce.number().int().min(1).max(86_400).optional(),
});

export const MetricsResponse = z.object({
  rolloutId: z.string(),
  from: z.string(),
  to: z.string(),
  step: z.number(),
  canary: z.array(MetricPoint),
  stable: z.array(MetricPoint),
  /** The canary weight as a step function: each entry holds from `at` until the next. */
  weight: z.array(z.object({ at: z.string(), weight: z.number() })),
  annotations: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      actor: z.string(),
      reason: z.string().nullable(),
      toWeight: z.number().nullable(),
    }),
  ),
  /** Thresholds to draw: the gate's limits at the current step, when known. */
  thresholds: z.object({ errorRate: z.number().nullable(), latencyMs: z.number().nullable() }),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;
