import type { ArmCounts } from '@aviary/contracts';
import type { PrometheusQuerier } from './client.ts';
import { percentiles, slowRequests } from './histogram.ts';
import { bucketsByLabel, byLabel } from './parse.ts';
import {
  type Arm,
  BUSINESS_PART_LABEL,
  type BusinessWindow,
  businessPart,
  businessQuery,
} from './queries/business.ts';
import { type MeshProvider, meshQueries } from './queries/index.ts';
import type { QueryResult, VectorSample } from './types.ts';

export interface SampleSpec {
  provider: MeshProvider;
  namespace: string;
  stableWorkload: string;
  canaryWorkload: string;
  /** Gate counts cover [stepStartedAt, now]. */
  stepStartedAt: Date;
  now: Date;
  chartWindowSeconds: number;
  latencyQuantile: 0.95 | 0.99;
  business: { name: string; numerator: string; denominator: string }[];
}

export interface BusinessCounts {
  numerator: number;
  denominator: number;
}

/** One arm at one instant over the chart window; null = no data, never 0. */
export interface ChartPoint {
  /** Requests per second. */
  requestRate: number | null;
  /** Share of 5xx, 0–1. */
  errorRate: number | null;
  /** Milliseconds (histogram_quantile semantics). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** numerator / denominator per business metric name. */
  business: Record<string, number | null>;
}

export interface RolloutSample {
  at: string;
  /** Since the step started (gate input); null = no data for that arm. */
  errors: { canary: ArmCounts | null; stable: ArmCounts | null };
  latency: { canary: ArmCounts | null; stable: ArmCounts | null; thresholdMs: number | null };
  business: { name: string; canary: BusinessCounts | null; stable: BusinessCounts | null }[];
  chart: { canary: ChartPoint; stable: ChartPoint };
  canaryRequestRate: number | null;
  /** Set when a query failed (Prometheus down, or it rejected a query): what it said. */
  unavailable?: string;
}

type Outcome = { ok: true; vector: readonly VectorSample[] } | { ok: false; message: string };

/**
 * One sampling tick for one rollout: 6 mesh queries + 1 per business metric, all in parallel and
 * all evaluated at `now`, so gate counts and chart points describe the same instant. Gate counts are
 * each counter's growth since the step began (queries/istio.ts), so the first scrape after a weight
 * change already counts; chart points are rates over the chart window.
 *
 * Never throws. A failed query nulls only what it feeds and puts its message in `unavailable`;
 * with Prometheus down every query fails, so the whole sample is null. Callers treat
 * `unavailable` as "no data" (an inconclusive gate), never as a pass.
 */
export async function sampleRollout(client: PrometheusQuerier, spec: SampleSpec): Promise<RolloutSample> {
  const mesh = meshQueries[spec.provider];
  const arms = {
    namespace: spec.namespace,
    stableWorkload: spec.stableWorkload,
    canaryWorkload: spec.canaryWorkload,
  };
  const stepWindow = Math.max(1, (spec.now.getTime() - spec.stepStartedAt.getTime()) / 1000);
  const gate = { ...arms, window: stepWindow, since: spec.stepStartedAt.getTime() / 1000 };
  const chart = { ...arms, window: spec.chartWindowSeconds };
  const run = (build: () => string) => settle(client, build, spec.now);

  const [requests, serverErrors, buckets, rate, share, chartBuckets, ...business] = await Promise.all([
    run(() => mesh.requests(gate)),
    run(() => mesh.serverErrors(gate)),
    run(() => mesh.latencyBuckets(gate)),
    run(() => mesh.requestRate(chart)),
    run(() => mesh.errorShare(chart)),
    run(() => mesh.latencyBuckets(chart)),
    ...spec.business.map((m) =>
      run(() =>
        businessQuery(m, {
          ...arms,
          stepWindowSeconds: stepWindow,
          chartWindowSeconds: spec.chartWindowSeconds,
        }),
      ),
    ),
  ]);

  const wl = mesh.workloadLabel;
  // The label values naming each arm in this source's answers (workload names for most).
  const workload: Record<Arm, string> = mesh.arms?.(gate) ?? {
    canary: spec.canaryWorkload,
    stable: spec.stableWorkload,
  };
  // Latency buckets arrive in the source's unit; the gate always reads milliseconds.
  const inMs = (vector: readonly VectorSample[]) => {
    const grouped = bucketsByLabel(vector, wl);
    if (mesh.latencyUnitMs === 1) return grouped;
    for (const [key, list] of grouped)
      grouped.set(
        key,
        list.map((b) => ({ ...b, le: b.le * mesh.latencyUnitMs })),
      );
    return grouped;
  };
  const values = (o: Outcome) => (o.ok ? byLabel(o.vector, wl) : undefined);
  const totals = values(requests);
  const failed = values(serverErrors);
  const stepBuckets = buckets.ok ? inMs(buckets.vector) : undefined;
  const recentBuckets = chartBuckets.ok ? inMs(chartBuckets.vector) : undefined;
  const rates = values(rate);
  const shares = values(share);
  const parts = business.map((o) => (o.ok ? byLabel(o.vector, BUSINESS_PART_LABEL) : undefined));

  const errorCounts = (arm: Arm): ArmCounts | null => {
    const total = totals?.get(workload[arm]);
    if (total === undefined || !failed) return null;
    // 5xx series appear with the first 5xx, so an arm with requests but no 5xx series had none.
    return counts(failed.get(workload[arm]) ?? 0, total);
  };
  const slow = stepBuckets
    ? slowRequests(
        { canary: stepBuckets.get(workload.canary), stable: stepBuckets.get(workload.stable) },
        spec.latencyQuantile,
      )
    : undefined;
  const chartPoint = (arm: Arm): ChartPoint => {
    const point: ChartPoint = {
      requestRate: rates?.get(workload[arm]) ?? null,
      errorRate: shares?.get(workload[arm]) ?? null,
      ...percentiles(recentBuckets?.get(workload[arm])),
      business: {},
    };
    spec.business.forEach((m, i) => {
      const ratio = businessRatio(parts[i], arm, 'chart');
      point.business[m.name] = ratio && ratio.denominator > 0 ? ratio.numerator / ratio.denominator : null;
    });
    return point;
  };
  const chartPoints = { canary: chartPoint('canary'), stable: chartPoint('stable') };

  const messages = new Set<string>();
  for (const o of [requests, serverErrors, buckets, rate, share, chartBuckets])
    if (!o.ok) messages.add(o.message);
  // An outage fails every query with the same words; say them once.
  business.forEach((o, i) => {
    if (!o.ok && !messages.has(o.message))
      messages.add(`business metric "${spec.business[i]!.name}": ${o.message}`);
  });

  return {
    at: spec.now.toISOString(),
    errors: { canary: errorCounts('canary'), stable: errorCounts('stable') },
    latency: {
      canary: slow?.canary ?? null,
      stable: slow?.stable ?? null,
      thresholdMs: slow?.thresholdMs ?? null,
    },
    business: spec.business.map((m, i) => ({
      name: m.name,
      canary: businessCounts(parts[i], 'canary'),
      stable: businessCounts(parts[i], 'stable'),
    })),
    chart: chartPoints,
    canaryRequestRate: chartPoints.canary.requestRate,
    ...(messages.size > 0 ? { unavailable: [...messages].join('; ') } : {}),
  };
}

async function settle(client: PrometheusQuerier, build: () => string, time: Date): Promise<Outcome> {
  try {
    const result = await client.query(build(), time);
    return { ok: true, vector: vectorOf(result) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function vectorOf(result: QueryResult): readonly VectorSample[] {
  if (result.resultType === 'vector') return result.result;
  throw new Error(`the query returned a ${result.resultType}, expected an instant vector`);
}

/** Counts can arrive as floats (increase() extrapolates): whole numbers, never more bad than total. */
function counts(bad: number, total: number): ArmCounts {
  const t = Math.max(0, Math.round(total));
  return { bad: Math.min(t, Math.max(0, Math.round(bad))), total: t };
}

/**
 * One arm's numerator and denominator in one window, or null without a denominator. A success
 * counter only appears with its first success, so a missing numerator counts as 0 — but only when
 * the other arm's numerator exists, which proves the query matches real series (a mistyped
 * numerator stays "no data" for both arms instead of reading as 0% conversion).
 */
function businessRatio(
  parts: Map<string, number> | undefined,
  arm: Arm,
  window: BusinessWindow,
): BusinessCounts | null {
  const denominator = parts?.get(businessPart(arm, 'denominator', window));
  if (!parts || denominator === undefined) return null;
  const other: Arm = arm === 'canary' ? 'stable' : 'canary';
  const numerator =
    parts.get(businessPart(arm, 'numerator', window)) ??
    (parts.has(businessPart(other, 'numerator', window)) ? 0 : undefined);
  return numerator === undefined ? null : { numerator, denominator };
}

function businessCounts(parts: Map<string, number> | undefined, arm: Arm): BusinessCounts | null {
  const ratio = businessRatio(parts, arm, 'step');
  if (!ratio) return null;
  const { bad, total } = counts(ratio.numerator, ratio.denominator);
  return { numerator: bad, denominator: total };
}
