import type { CheckResult, GateResult, MetricPoint, MetricsResponse } from '@aviary/contracts';
import { formatCount, formatDuration, formatMs, formatPercent } from '../../lib/format.ts';
import type {
  ChartMarker,
  ChartModel,
  ChartRow,
  CheckRow,
  GateState,
  GateView,
  SeriesUnit,
} from './types.ts';

interface SeriesDef {
  key: string;
  title: string;
  unit: SeriesUnit;
  pick: (p: MetricPoint) => number | null;
  threshold: (m: MetricsResponse) => { value: number; label: string } | null;
}

const percent = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 100);

const latency = (q: 'p50' | 'p95' | 'p99'): SeriesDef => ({
  key: q,
  title: `Latency ${q}`,
  unit: 'ms',
  pick: (p) => p[q],
  threshold: (m) =>
    m.thresholds.latencyMs === null
      ? null
      : { value: m.thresholds.latencyMs, label: `slow ≥ ${formatMs(m.thresholds.latencyMs)}` },
});

/** The fixed charts of every rollout, in the order a release manager reads them. */
export const baseSeries: readonly SeriesDef[] = [
  {
    key: 'errorRate',
    title: 'Error rate (5xx)',
    unit: 'percent',
    pick: (p) => percent(p.errorRate),
    threshold: (m) =>
      m.thresholds.errorRate === null
        ? null
        : { value: m.thresholds.errorRate * 100, label: `max ${formatPercent(m.thresholds.errorRate, 1)}` },
  },
  latency('p50'),
  latency('p95'),
  latency('p99'),
];

export function businessSeries(metrics: MetricsResponse): SeriesDef[] {
  const names = new Set<string>();
  for (const p of [...metrics.canary, ...metrics.stable])
    for (const name of Object.keys(p.business)) names.add(name);
  return [...names].sort().map((name) => ({
    key: `business:${name}`,
    title: name,
    unit: 'percent' as const,
    pick: (p: MetricPoint) => percent(p.business[name]),
    threshold: () => null,
  }));
}

const ms = (iso: string) => Date.parse(iso);

/** The weight in force at `t`: the last step-function entry at or before it. */
export function weightAt(weight: MetricsResponse['weight'], t: number): number | null {
  let value: number | null = null;
  for (const w of weight) {
    if (ms(w.at) > t) break;
    value = w.weight;
  }
  return value;
}

/** Merge both arms and the weight changes onto one time axis. */
export function toChartRows(metrics: MetricsResponse, pick: (p: MetricPoint) => number | null): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const row = (t: number) => {
    let r = rows.get(t);
    if (!r) {
      r = { t, canary: null, stable: null, weight: null };
      rows.set(t, r);
    }
    return r;
  };
  for (const p of metrics.canary) row(ms(p.at)).canary = pick(p);
  for (const p of metrics.stable) row(ms(p.at)).stable = pick(p);
  for (const w of metrics.weight) row(ms(w.at));
  const end = Math.max(ms(metrics.to), ...[...rows.keys()]);
  if (Number.isFinite(end)) row(end);
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  for (const r of sorted) r.weight = weightAt(metrics.weight, r.t);
  return sorted;
}

const actionLabels: Record<string, string> = {
  created: 'start',
  step: 'step',
  'set-weight': 'set',
  pause: 'pause',
  resume: 'resume',
  promote: 'promote',
  rollback: 'rollback',
  'drift-detected': 'drift',
  'operation-failed': 'failed',
};

export function toMarkers(metrics: MetricsResponse): ChartMarker[] {
  return metrics.annotations.map((a) => {
    const base = actionLabels[a.action] ?? a.action;
    const label =
      a.toWeight !== null && a.action !== 'pause' && a.action !== 'resume' ? `${base} ${a.toWeight}%` : base;
    return {
      t: ms(a.at),
      action: a.action,
      label,
      title: `${a.action} by ${a.actor}${a.reason ? `: ${a.reason}` : ''}`,
    };
  });
}

/** Charts are a few hundred pixels wide: more rows than this only cost rendering time. */
export const MAX_CHART_ROWS = 300;

const meanOf = (values: (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
};

/**
 * Average runs of neighbouring rows down to at most `max` (as the API's own downsampling does),
 * keeping the rows where the weight changes so the step line stays exact.
 */
export function decimate(rows: readonly ChartRow[], max = MAX_CHART_ROWS): ChartRow[] {
  if (rows.length <= max) return [...rows];
  const size = Math.ceil(rows.length / max);
  const out: ChartRow[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const bucket = rows.slice(i, i + size);
    let start = 0;
    // Split the bucket where the weight changes.
    for (let j = 1; j <= bucket.length; j++) {
      if (j === bucket.length || bucket[j]!.weight !== bucket[start]!.weight) {
        const part = bucket.slice(start, j);
        out.push({
          t: part[0]!.t,
          canary: meanOf(part.map((r) => r.canary)),
          stable: meanOf(part.map((r) => r.stable)),
          weight: part[0]!.weight,
        });
        start = j;
      }
    }
  }
  const last = rows.at(-1)!;
  if (out.at(-1)?.t !== last.t) out.push({ ...last });
  return out;
}

/** Markers closer than `minGapMs` share one line and one label, so labels never overprint. */
export function mergeMarkers(markers: readonly ChartMarker[], minGapMs: number): ChartMarker[] {
  const merged: ChartMarker[] = [];
  for (const m of [...markers].sort((a, b) => a.t - b.t)) {
    const last = merged.at(-1);
    if (last && m.t - last.t < minGapMs) {
      merged[merged.length - 1] = {
        ...last,
        label: `${last.label} · ${m.label}`,
        title: `${last.title}\n${m.title}`,
        action: m.action,
      };
    } else merged.push({ ...m });
  }
  return merged;
}

/** Every chart of the rollout page, ready to draw. */
export function toChartModels(metrics: MetricsResponse, highlightIso?: string | null): ChartModel[] {
  const span = Math.max(1, Date.parse(metrics.to) - Date.parse(metrics.from));
  const markers = mergeMarkers(toMarkers(metrics), span / 40);
  const highlight = highlightIso ? ms(highlightIso) : Number.NaN;
  return [...baseSeries, ...businessSeries(metrics)].map((def) => {
    const rows = decimate(toChartRows(metrics, def.pick));
    const first = rows[0]?.t ?? ms(metrics.from);
    const last = rows.at(-1)?.t ?? ms(metrics.to);
    return {
      key: def.key,
      title: def.title,
      unit: def.unit,
      rows,
      threshold: def.threshold(metrics),
      markers,
      highlight: Number.isFinite(highlight) ? highlight : null,
      domain: [Math.min(first, ms(metrics.from)), Math.max(last, first + 1)],
      hasData: {
        canary: rows.some((r) => r.canary !== null),
        stable: rows.some((r) => r.stable !== null),
      },
    };
  });
}

const shareKinds = new Set<CheckResult['kind']>(['error-rate', 'latency', 'business']);

export function toCheckRow(c: CheckResult): CheckRow {
  const share = shareKinds.has(c.kind);
  const counts = (x: CheckResult['canaryCounts']) =>
    x ? `${formatCount(x.bad)}/${formatCount(x.total)}` : '—';
  return {
    name: c.name,
    kind: c.kind,
    verdict: c.verdict,
    canary: share ? formatPercent(c.canary) : '—',
    stable: share ? formatPercent(c.stable) : '—',
    tolerance: c.tolerance === null ? '—' : `+${formatPercent(c.tolerance, 1)}`,
    counts: share ? `${counts(c.canaryCounts)} vs ${counts(c.stableCounts)}` : '—',
    pValue: c.pValue === null ? '—' : c.pValue < 0.001 ? '<0.001' : c.pValue.toFixed(3),
    samplesNeeded: c.samplesNeeded === null ? '—' : formatCount(c.samplesNeeded),
    timeToSignificance: formatDuration(c.secondsToSignificance),
    explanation: c.explanation,
  };
}

export function gateState(gate: GateResult): GateState {
  if (gate.verdict === 'pass') return 'pass';
  if (gate.verdict === 'fail') return 'fail';
  if (gate.checks.length === 0) return 'not-evaluated';
  const open = gate.checks.filter((c) => c.verdict !== 'pass');
  if (open.every((c) => c.kind === 'bake-time')) return 'baking';
  const metricChecks = gate.checks.filter((c) => shareKinds.has(c.kind));
  const noData = !gate.canaryRequestRate || metricChecks.every((c) => c.canary === null);
  return noData ? 'no-data' : 'needs-samples';
}

const headlines: Record<GateState, string> = {
  pass: 'Gate passed: safe to take the next step',
  fail: 'Gate failed: the canary is worse than stable',
  'no-data': 'Inconclusive: no canary data yet',
  'needs-samples': 'Inconclusive: needs more samples',
  baking: 'Inconclusive: baking',
  'not-evaluated': 'Not evaluated yet',
};

/** The gate panel's view model: every number formatted, the blocking checks picked out. */
export function toGateView(gate: GateResult): GateView {
  const state = gateState(gate);
  const checks = gate.checks.map(toCheckRow);
  const requests =
    gate.checks.find((c) => c.kind === 'error-rate')?.canaryCounts?.total ??
    gate.checks.find((c) => c.kind === 'sample-size')?.canaryCounts?.total ??
    null;
  const sampleCheck = gate.checks.find((c) => c.kind === 'sample-size');
  const etas = gate.checks
    .filter((c) => c.verdict !== 'pass' && c.secondsToSignificance !== null)
    .map((c) => c.secondsToSignificance as number);
  return {
    verdict: gate.verdict,
    state,
    headline: headlines[state],
    summary: gate.summary,
    evaluatedAt: gate.evaluatedAt,
    bakeLeft: gate.bakeSecondsRemaining > 0 ? formatDuration(gate.bakeSecondsRemaining) : null,
    samplesSoFar: formatCount(requests ?? 0),
    samplesNeeded:
      sampleCheck && sampleCheck.verdict !== 'pass' && sampleCheck.samplesNeeded !== null
        ? formatCount(sampleCheck.samplesNeeded)
        : null,
    timeToSignificance: etas.length && state !== 'pass' ? formatDuration(Math.max(...etas)) : null,
    requestRate: gate.canaryRequestRate === null ? '—' : `${gate.canaryRequestRate.toFixed(1)} req/s`,
    checks,
    blocking: checks.filter((c) => c.verdict !== 'pass'),
  };
}
