import type { ChartThreshold } from './gate-thresholds.ts';

/** View models for the rollout page: what the thin components draw, computed by transforms.ts. */

export type SeriesUnit = 'percent' | 'ms';

/** One x position of a chart: canary and stable values there, and the weight in force. */
export interface ChartRow {
  t: number;
  canary: number | null;
  stable: number | null;
  weight: number | null;
  /** The canary while its data is thin (below the profile's minimum samples): drawn dashed. */
  canaryThin?: number | null;
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
  /** The gate's lines for this chart (see gate-thresholds.ts). */
  thresholds: ChartThreshold[];
  /** Canary requests at this step while fewer than the minimum: labelled at the line's end. */
  thin: { n: number; t: number; value: number } | null;
  markers: ChartMarker[];
  /** The deep-linked moment (`?at=`), drawn as a highlighted line. */
  highlight: number | null;
  domain: [number, number];
  hasData: { canary: boolean; stable: boolean };
}
