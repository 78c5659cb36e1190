/**
 * Replicas the canary needs to carry `weight` percent of what `stableReplicas` carry, never
 * fewer than one while it gets any traffic: one pod must not take 50% of the load alone.
 */
export function canaryReplicasFor(stableReplicas: number, weight: number): number {
  if (weight <= 0) return 0;
  return Math.max(1, Math.ceil((stableReplicas * weight) / 100));
}
