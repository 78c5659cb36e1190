import type { CheckResult, Verdict } from '@aviary/contracts';

/** View models for the rollout page: what the thin components draw, computed by transforms.ts. */

export type SeriesUnit = 'percent' | 'ms';

/** One x position of a chart: canary and stable values there, and the weight in force. */
export interface ChartRow {
  t: number;
  canary: number | null;
  stable: number | null;
  weight: number | null;
}

export interface ChartMarker {
  t: number;
  action: string;
  label: string;
  title: string;
}

export interface ChartModel {
  key: string;
  title: string;
  unit: SeriesUnit;
  rows: ChartRow[];
  threshold: { value: number; label: string } | null;
  markers: ChartMarker[];
  /** The deep-linked moment (`?at=`), drawn as a highlighted line. */
  highlight: number | null;
  domain: [number, number];
  hasData: { canary: boolean; stable: boolean };
}

/** The one-word state of the gate, which decides the panel's colour and headline. */
export type GateState = 'pass' | 'fail' | 'no-data' | 'needs-samples' | 'baking' | 'not-evaluated';

export interface CheckRow {
  name: string;
  kind: CheckResult['kind'];
  verdict: Verdict;
  canary: string;
  stable: string;
  tolerance: string;
  counts: string;
  pValue: string;
  samplesNeeded: string;
  timeToSignificance: string;
  explanation: string;
}

export interface GateView {
  verdict: Verdict;
  state: GateState;
  headline: string;
  summary: string;
  evaluatedAt: string;
  bakeLeft: string | null;
  samplesSoFar: string;
  samplesNeeded: string | null;
  timeToSignificance: string | null;
  requestRate: string;
  checks: CheckRow[];
  /** The checks an override would overrule (not passing). */
  blocking: CheckRow[];
}
