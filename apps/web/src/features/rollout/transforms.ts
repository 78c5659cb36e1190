import type { MetricPoint, MetricsResponse } from '@aviary/contracts';
import type { ChartThreshold } from './gate-thresholds.ts';
import type { ChartMarker, ChartModel, ChartRow, SeriesUnit } from './types.ts';

interface SeriesDef {
  key: string;
  title: string;
  unit: SeriesUnit;
  pick: (p: MetricPoint) => number | null;
}

const percent = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 100);

const latency = (q: 'p50' | 'p95' | 'p99'): SeriesDef => ({
  key: q,
  title: `Latency ${q}`,
  unit: 'ms',
  pick: (p) => p[q],
});

/** The fixed charts of every rollout, in the order a release manager reads them. */
export const baseSeries: readonly SeriesDef[] = [
  {
    key: 'errorRate',
    title: 'Error rate (5xx)',
    unit: 'percent',
    pick: (p) => percent(p.errorRate),
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

/** What the gate adds to the charts: its lines, and where the canary's data is still thin. */
export interface ChartGate {
  thresholds: Record<string, ChartThreshold[]>;
  /** Since when (ms) the canary has fewer requests than the minimum, and how many it has. */
  thin: { from: number; n: number } | null;
}

/**
 * Move the canary's values from `from` on to the dashed `canaryThin` series (the point before
 * joins both, so the line stays continuous); returns the last thin point for the `n` label.
 */
export function splitThin(rows: ChartRow[], from: number): { t: number; value: number } | null {
  let last: { t: number; value: number } | null = null;
  let previous: ChartRow | null = null;
  for (const r of rows) {
    if (r.t < from) {
      if (r.canary !== null) previous = r;
      continue;
    }
    if (previous && previous.canaryThin === undefined) previous.canaryThin = previous.canary;
    r.canaryThin = r.canary;
    r.canary = null;
    if (r.canaryThin !== null) last = { t: r.t, value: r.canaryThin };
  }
  return last;
}

/** Every chart of the rollout page, ready to draw. */
export function toChartModels(
  metrics: MetricsResponse,
  highlightIso?: string | null,
  gate: ChartGate | null = null,
): ChartModel[] {
  const span = Math.max(1, Date.parse(metrics.to) - Date.parse(metrics.from));
  const markers = mergeMarkers(toMarkers(metrics), span / 40);
  const highlight = highlightIso ? ms(highlightIso) : Number.NaN;
  return [...baseSeries, ...businessSeries(metrics)].map((def) => {
    const rows = decimate(toChartRows(metrics, def.pick));
    const first = rows[0]?.t ?? ms(metrics.from);
    const last = rows.at(-1)?.t ?? ms(metrics.to);
    const hasCanary = rows.some((r) => r.canary !== null);
    const thinEnd = gate?.thin ? splitThin(rows, gate.thin.from) : null;
    return {
      key: def.key,
      title: def.title,
      unit: def.unit,
      rows,
      thresholds: gate?.thresholds[def.key] ?? [],
      thin: gate?.thin && thinEnd ? { n: gate.thin.n, ...thinEnd } : null,
      markers,
      highlight: Number.isFinite(highlight) ? highlight : null,
      domain: [Math.min(first, ms(metrics.from)), Math.max(last, first + 1)],
      hasData: {
        canary: hasCanary,
        stable: rows.some((r) => r.stable !== null),
      },
    };
  });
}
