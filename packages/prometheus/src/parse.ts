import type { Bucket } from './histogram.ts';
import { parseSampleValue } from './sample-value.ts';
import type { VectorSample } from './types.ts';

/**
 * The value of the first sample, or null when there is none or it is NaN/±Inf. Prometheus answers
 * `[]` for series that never existed and NaN for 0/0: both mean "no data", never 0.
 */
export function firstValue(vector: readonly VectorSample[]): number | null {
  const value = vector[0]?.value;
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * Label value → sample value, e.g. `destination_workload` → requests. NaN and ±Inf (0/0, x/0)
 * are dropped so a missing key always means "no data". A series without the label is keyed "",
 * as Prometheus treats an absent label as empty. Series sharing a value are added together.
 */
export function byLabel(vector: readonly VectorSample[], label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of vector) {
    if (!Number.isFinite(s.value)) continue;
    const key = s.metric[label] ?? '';
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** `sum by (<label>, le) (…_bucket…)` → label value → its buckets. Series without a valid `le` are skipped. */
export function bucketsByLabel(vector: readonly VectorSample[], label: string): Map<string, Bucket[]> {
  const out = new Map<string, Bucket[]>();
  for (const s of vector) {
    const le = parseSampleValue(s.metric.le);
    if (le === undefined || Number.isNaN(le) || Number.isNaN(s.value)) continue;
    const key = s.metric[label] ?? '';
    const list = out.get(key) ?? [];
    list.push({ le, count: s.value });
    out.set(key, list);
  }
  return out;
}
