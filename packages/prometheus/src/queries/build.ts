import { rangeSeconds } from '../promql.ts';
import type { MeshQueries, RolloutQueryInput } from './types.ts';

/** The label a source's answer is regrouped by when its own labels do not name the arm. */
export const ARM_LABEL = 'aviary_arm';

export interface SourceSpec {
  requests: string;
  buckets: string;
  /** The matcher for a failed request, e.g. `code=~"5.."`. */
  failed: string;
  latencyUnitMs: number;
  /** The label grouped by before `relabel` (the arm label itself when there is no relabelling). */
  groupBy: string;
  /** The matchers selecting both arms' series. */
  matchers(input: RolloutQueryInput): string;
  /** Turns a vector grouped by `groupBy` into one labelled by `ARM_LABEL`. */
  relabel?(expr: string, input: RolloutQueryInput): string;
  arms?(input: RolloutQueryInput): { canary: string; stable: string };
}

/**
 * The five queries from a source's metric names and selectors. Units and labels differ per
 * source; what comes out is the same shape for every one, so the gate never knows the source.
 */
export function sourceQueries(spec: SourceSpec): MeshQueries {
  const over = (fn: 'increase' | 'rate', metric: string, input: RolloutQueryInput, extra?: string) => {
    const sel = extra ? `${spec.matchers(input)},${extra}` : spec.matchers(input);
    return `${fn}(${metric}{${sel}}[${rangeSeconds(input.window)}])`;
  };
  // A step count: with `since`, each series' growth since the step began (see istio.ts).
  const counted = (metric: string, input: RolloutQueryInput, extra?: string) => {
    if (input.since === undefined) return over('increase', metric, input, extra);
    const series = `${metric}{${extra ? `${spec.matchers(input)},${extra}` : spec.matchers(input)}}`;
    return `((${series} - ${series} @ ${input.since.toFixed(3)}) >= 0 or ${series} + 0)`;
  };
  const grouped = (by: string, inner: string, input: RolloutQueryInput) => {
    const expr = `sum by (${by}) (${inner})`;
    if (!spec.relabel) return expr;
    const outer = by.replace(spec.groupBy, ARM_LABEL);
    return `sum by (${outer}) (${spec.relabel(expr, input)})`;
  };
  const armLabel = spec.relabel ? ARM_LABEL : spec.groupBy;
  const rate = (input: RolloutQueryInput, extra?: string) =>
    grouped(spec.groupBy, over('rate', spec.requests, input, extra), input);
  return {
    workloadLabel: armLabel,
    ...(spec.arms ? { arms: spec.arms } : {}),
    latencyUnitMs: spec.latencyUnitMs,
    requests: (input) => grouped(spec.groupBy, counted(spec.requests, input), input),
    serverErrors: (input) => grouped(spec.groupBy, counted(spec.requests, input, spec.failed), input),
    latencyBuckets: (input) => grouped(`${spec.groupBy}, le`, counted(spec.buckets, input), input),
    requestRate: (input) => rate(input),
    errorShare: (input) => {
      const all = rate(input);
      // An arm that never failed has no failure series; `or 0 * all` makes its share 0 instead
      // of dropping it, while 0 requests still divide to NaN (no data).
      return `(${rate(input, spec.failed)} or 0 * ${all}) / ${all}`;
    },
  };
}
