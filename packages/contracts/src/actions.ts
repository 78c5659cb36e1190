import { z } from 'zod';
import { ActionType, Weight } from './rollouts.ts';

/**
 * One action as the API would judge it now, for this caller: the dashboard shows these and never
 * re-derives them, so a button cannot invite a request the API would refuse.
 */
export const AllowedAction = z.object({
  type: ActionType,
  allowed: z.boolean(),
  /** Why not, saying what to do instead; null when allowed. */
  reason: z.string().nullable(),
  /** The error code the API would answer the request with (e.g. `rollout-paused`); null when allowed. */
  code: z.string().nullable(),
  /** Where the canary's weight goes: the next step for `step`; null when it is not fixed in advance. */
  toWeight: Weight.nullable(),
  /**
   * The gate has not passed, so the action needs `override: true` with a reason (for `set-weight`:
   * raising the weight does; lowering never does).
   */
  needsOverride: z.boolean(),
  /** The target's two-person rule: the request waits for a second operator's approval. */
  needsApproval: z.boolean(),
  /** The request must carry a reason (a rollback; any override). */
  needsReason: z.boolean(),
});
export type AllowedAction = z.infer<typeof AllowedAction>;

export const AllowedActions = z.object({
  rolloutId: z.string(),
  /** The rollout version these answers hold for: send it back as `expectedVersion`. */
  version: z.number().int().min(1),
  actions: z.array(AllowedAction),
});
export type AllowedActions = z.infer<typeof AllowedActions>;
