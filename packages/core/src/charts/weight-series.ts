import type { RolloutEvent } from '@aviary/contracts';

/**
 * The canary weight over time as a step function, from history: every event that set a weight
 * (steps, set-weight, drift, rollback, promotion) starts a new segment.
 */
export function weightSeries(events: readonly RolloutEvent[]): { at: string; weight: number }[] {
  const series: { at: string; weight: number }[] = [];
  for (const e of events) {
    if (e.action === 'operation-failed' || e.toWeight === null) continue;
    if (series.at(-1)?.weight === e.toWeight) continue;
    series.push({ at: e.at, weight: e.toWeight });
  }
  return series;
}

/** When the current weight started: the last event that changed it (the gate's step start). */
export function currentStepStart(events: readonly RolloutEvent[], fallback: string): string {
  return weightSeries(events).at(-1)?.at ?? fallback;
}
