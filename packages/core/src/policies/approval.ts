import type { ActionRequest, Rollout, TargetPolicy } from '@aviary/contracts';

type Threshold = Pick<TargetPolicy, 'promotionThreshold'>;

/**
 * The canary weight an action moves traffic up to; null when it does not raise the canary's
 * share (pause, resume, rollback, or a set-weight down, which only takes exposure away).
 */
export function raisesTo(rollout: Pick<Rollout, 'weight' | 'steps'>, action: ActionRequest): number | null {
  switch (action.type) {
    case 'promote':
      return 100;
    case 'step':
      return rollout.steps.find((w) => w > rollout.weight) ?? null;
    case 'set-weight':
      return action.weight !== undefined && action.weight > rollout.weight ? action.weight : null;
    default:
      return null;
  }
}

/**
 * Whether an action is a promotion: `promote`, or any move of the canary up to the target's
 * promotion threshold or above it. These are what a freeze window stops and what the
 * two-person rule guards; a move down and a rollback never are.
 */
export function isPromotion(
  rollout: Pick<Rollout, 'weight' | 'steps'>,
  action: ActionRequest,
  policy: Threshold,
): boolean {
  if (action.type === 'promote') return true;
  const to = raisesTo(rollout, action);
  return to !== null && to >= policy.promotionThreshold;
}

/** Whether starting with `steps` puts the canary at or above the threshold from the first step. */
export const startIsPromotion = (steps: readonly number[], policy: Threshold): boolean =>
  (steps[0] ?? 0) >= policy.promotionThreshold;

/** The two-person rule: a promotion on a target that requires approval waits for a second operator. */
export function needsApproval(
  rollout: Pick<Rollout, 'weight' | 'steps'>,
  action: ActionRequest,
  policy: Pick<TargetPolicy, 'requireApproval' | 'promotionThreshold'>,
): boolean {
  return policy.requireApproval && isPromotion(rollout, action, policy);
}
