/** Quantile of a sample by nearest rank (q in 0..1). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const ms = (ns: bigint): number => Number(ns) / 1e6;

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** Print one result row as `name: value unit (ratio x baseline)`, the shape every bench uses. */
export function report(rows: { name: string; value: number; unit: string; baseline?: number }[]): void {
  for (const r of rows) {
    const ratio =
      r.baseline === undefined
        ? ''
        : `  ratio ${fmt(r.value / r.baseline)}× baseline (${fmt(r.baseline)} ${r.unit})`;
    console.log(`  ${r.name.padEnd(34)} ${fmt(r.value).padStart(10)} ${r.unit}${ratio}`);
  }
}
