import type { GateResult, MetricsResponse } from '@aviary/contracts';
import { formatCount } from '../../lib/format.ts';
import { formatShare } from './gate-format.ts';
import { type GatePresentation, presentGate } from './gate-presentation.ts';
import type { ChartGate } from './transforms.ts';

export interface ChartThreshold {
  /** In the chart's unit: percent for shares, ms for latency. */
  value: number;
  label: string;
}

/**
 * The lines each chart draws, from the gate's own numbers: where the canary would be worse than
 * allowed (stable ± allowance), the 5xx hard limit, and the latency bound that makes a request
 * "slow". Keyed like the charts (`errorRate`, `p95`, `business:<name>`).
 */
export function chartThresholds(
  gate: GatePresentation | null,
  hard: MetricsResponse['thresholds'] | null,
): Record<string, ChartThreshold[]> {
  const out: Record<string, ChartThreshold[]> = {};
  const add = (key: string, t: ChartThreshold) => {
    out[key] = [...(out[key] ?? []), t];
  };
  for (const m of gate?.metrics ?? []) {
    if (m.kind === 'latency') continue;
    if (m.limit === null) continue;
    const key = m.kind === 'error-rate' ? 'errorRate' : `business:${m.name}`;
    add(key, { value: m.limit * 100, label: `allowed: stable ${m.allowanceText} = ${formatShare(m.limit)}` });
  }
  // The gate's own bound first; the chart endpoint's copy only when the gate has none yet.
  const slowMs = gate?.metrics.find((m) => m.kind === 'latency')?.thresholdMs ?? hard?.latencyMs ?? null;
  if (slowMs !== null)
    for (const q of ['p50', 'p95', 'p99'])
      add(q, { value: slowMs, label: `slow > ${formatCount(slowMs)} ms` });
  if (hard?.errorRate != null)
    add('errorRate', { value: hard.errorRate * 100, label: `hard limit ${formatShare(hard.errorRate)}` });
  return out;
}

/**
 * What the gate adds to the charts: its lines, and while the canary has fewer requests than the
 * minimum (the sample-size check has not passed), its series from the step's start drawn thin.
 */
export function chartGate(
  gate: GateResult | undefined,
  hard: MetricsResponse['thresholds'] | null,
): ChartGate {
  const view = gate ? presentGate(gate, 0) : null;
  const sampleSize = gate?.checks.find((c) => c.kind === 'sample-size');
  const n = gate?.checks.find((c) => c.kind === 'error-rate')?.canaryCounts?.total ?? 0;
  const from = gate ? Date.parse(gate.stepStartedAt) : Number.NaN;
  return {
    thresholds: chartThresholds(view, hard),
    thin: sampleSize && sampleSize.verdict !== 'pass' && Number.isFinite(from) ? { from, n } : null,
  };
}
