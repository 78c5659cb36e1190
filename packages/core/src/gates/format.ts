/**
 * Number formats for gate explanations. Hand-rolled rather than `Intl` because the gate runs every
 * few seconds per rollout and in simulations millions of times, and because the output must not
 * depend on the server's locale.
 */

/** 38000 → "38,000". */
export function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A share as a percentage with enough digits to tell 0.4% from 0.9%: 0.0211 → "2.1%". */
export function percent(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0%';
  const digits = pct >= 1 ? 1 : pct >= 0.1 ? 2 : 3;
  return `${trimZeros(pct.toFixed(digits))}%`;
}

/** An absolute share difference in percentage points: 0.005 → "0.5 pp". */
export function points(share: number): string {
  return `${trimZeros((share * 100).toFixed(2))} pp`;
}

/** "41/1,950". */
export function ratio(bad: number, total: number): string {
  return `${count(bad)}/${count(total)}`;
}

/** An always-valid p-value for prose: "p < 0.001" or "p = 0.0042". */
export function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${trimZeros(p.toPrecision(2))}`;
}

/** 45 → "45 s", 170 → "2.8 min", 5400 → "1.5 h". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 90 * 60) return `${trimZeros((seconds / 60).toFixed(1))} min`;
  return `${trimZeros((seconds / 3600).toFixed(1))} h`;
}

/** 5 → "5 req/s", 0.25 → "0.25 req/s". */
export function rate(perSecond: number, unit: string): string {
  const digits = perSecond >= 10 ? 0 : perSecond >= 1 ? 1 : 2;
  return `${trimZeros(perSecond.toFixed(digits))} ${unit}/s`;
}
