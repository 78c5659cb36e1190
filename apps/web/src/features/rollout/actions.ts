import type { ActionType, AllowedAction, Rollout, Verdict } from '@aviary/contracts';

/**
 * One button of the action bar. Whether it is enabled, and why not, comes from the API's
 * allowed-actions answer (GET /rollouts/:id/actions); this file only decides how to draw it.
 */
export interface ActionButton {
  type: ActionType;
  label: string;
  enabled: boolean;
  /** Why it is disabled (shown as text and title); null when enabled or not known yet. */
  reason: string | null;
  /** Needs a confirmation dialog with a reason. */
  confirm: boolean;
  /** Needs an override of a gate that has not passed (for set-weight: to raise the weight). */
  override: boolean;
  /** Where the weight goes (the next step for `step`), when fixed in advance. */
  toWeight: number | null;
  /** Waits for a second operator (the target's two-person rule). */
  needsApproval: boolean;
  /** The one action the gate's verdict recommends: drawn filled. */
  primary: boolean;
}

export const actionLabels: Record<ActionType, string> = {
  step: 'Next step',
  'set-weight': 'Set weight',
  pause: 'Pause',
  resume: 'Resume',
  promote: 'Promote',
  rollback: 'Roll back',
};

/** Always confirmed with a dialog, whatever the gate says. */
const confirmed = new Set<ActionType>(['set-weight', 'promote', 'rollback']);

/**
 * The action the verdict recommends: the next step (or, at the plan's end, promotion) on `pass`,
 * roll back on `fail`, nothing on `inconclusive` — waiting is the safe choice there, and an
 * override is never the loudest button.
 */
export function primaryAction(
  verdict: Verdict | undefined,
  allowed: ReadonlyMap<ActionType, AllowedAction>,
): ActionType | null {
  const plain = (t: ActionType) => {
    const a = allowed.get(t);
    return a?.allowed === true && !a.needsOverride;
  };
  if (verdict === 'pass') return plain('step') ? 'step' : plain('promote') ? 'promote' : null;
  if (verdict === 'fail') return allowed.get('rollback')?.allowed ? 'rollback' : null;
  return null;
}

/**
 * The buttons in the order drawn: the way forward first, Roll back last, with Set weight and
 * Pause between Promote and Roll back so the two are never side by side.
 */
export function toActionButtons(
  rollout: Rollout,
  answer: readonly AllowedAction[] | undefined,
  verdict: Verdict | undefined,
): ActionButton[] {
  const allowed = new Map((answer ?? []).map((a) => [a.type, a]));
  const toggle: ActionType =
    allowed.get('resume')?.allowed || rollout.phase === 'paused' ? 'resume' : 'pause';
  const primary = primaryAction(verdict, allowed);
  return (['step', 'promote', 'set-weight', toggle, 'rollback'] as const).map((type) => {
    const a = allowed.get(type);
    const enabled = a?.allowed === true;
    const override = enabled && a.needsOverride;
    const label =
      type === 'step' && enabled && a.toWeight !== null ? `Next step → ${a.toWeight}%` : actionLabels[type];
    return {
      type,
      label,
      enabled,
      reason: a && !a.allowed ? a.reason : null,
      confirm: confirmed.has(type) || override,
      override,
      toWeight: a?.toWeight ?? null,
      needsApproval: a?.needsApproval ?? false,
      primary: primary === type,
    };
  });
}
