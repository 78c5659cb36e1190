/**
 * Number formats of the gate, identical to the API's explanations (core's gates/format.ts) so a
 * share reads the same in the first line, the tiles, the table and the gate's own sentence.
 */

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A share with enough digits to tell 0.4% from 0.9%: 0.0211 → "2.1%", 0.0044 → "0.44%". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  if (pct === 0) return '0%';
  const digits = Math.abs(pct) >= 1 ? 1 : Math.abs(pct) >= 0.1 ? 2 : 3;
  return `${trimZeros(pct.toFixed(digits))}%`;
}

/** A difference of shares in percentage points: 0.005 → "0.5 pp". */
export function formatPoints(share: number): string {
  return `${trimZeros((share * 100).toFixed(2))} pp`;
}

/** "~36 min", "~45 s", "~1.5 h"; "unknown" without a rate. */
export function decisionTime(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 90) return `~${Math.ceil(seconds)} s`;
  if (seconds < 90 * 60) return `~${Math.round(seconds / 60)} min`;
  return `~${trimZeros((seconds / 3600).toFixed(1))} h`;
}
