import type { ActionRequest, Rollout, TargetPolicy } from '@aviary/contracts';

/**
 * Whether an action finishes a rollout: `promote`, or a step or set-weight that sends all traffic
 * to the canary. These are what a freeze window stops and what the two-person rule guards.
 * Rollback never is.
 */
export function isPromotion(rollout: Pick<Rollout, 'weight' | 'steps'>, action: ActionRequest): boolean {
  switch (action.type) {
    case 'promote':
      return true;
    case 'step':
      return rollout.steps.find((w) => w > rollout.weight) === 100;
    case 'set-weight':
      return action.weight === 100;
    default:
      return false;
  }
}

/** The two-person rule: a promotion on a target that requires approval waits for a second operator. */
export function needsApproval(
  rollout: Pick<Rollout, 'weight' | 'steps'>,
  action: ActionRequest,
  policy: Pick<TargetPolicy, 'requireApproval'>,
): boolean {
  return policy.requireApproval && isPromotion(rollout, action);
}
