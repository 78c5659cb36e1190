import { type ActionType, type GateResult, type Rollout, finalPhases } from '@aviary/contracts';

export interface ActionAvailability {
  type: ActionType;
  label: string;
  enabled: boolean;
  /** Why it is disabled (shown as text and title); null when enabled. */
  reason: string | null;
  /** Needs a confirmation dialog with a reason. */
  confirm: boolean;
  /** Enabled only by overriding a gate that has not passed. */
  override: boolean;
}

export const actionLabels: Record<ActionType, string> = {
  step: 'Next step',
  'set-weight': 'Set weight',
  pause: 'Pause',
  resume: 'Resume',
  promote: 'Promote',
  rollback: 'Roll back',
};

/** The weight the next step goes to, or null at the plan's end. */
export function nextStepWeight(rollout: Rollout): number | null {
  return rollout.steps.find((w) => w > rollout.weight) ?? null;
}

function blockedForAll(rollout: Rollout, denied: string | null): string | null {
  if (denied) return denied;
  if (finalPhases.includes(rollout.phase))
    return `The rollout is ${rollout.phase}; start a new one to change traffic`;
  if (rollout.phase === 'starting') return 'The canary is starting; wait until it takes traffic';
  return null;
}

/**
 * Which buttons a release manager may press, and why not. Mirrors the API's rules so a button
 * never invites a request the API will refuse; the API stays the judge.
 */
export function availableActions(
  rollout: Rollout,
  gate: GateResult | undefined,
  /** Why this person's role may not act (see auth/permissions), or null. */
  denied: string | null,
  /**
   * Why the target's policy holds back full traffic now (a pending approval, a change freeze; see
   * policy.ts), or null. Applies to promote and to a step that reaches 100%; never to rollback.
   */
  fullTrafficBlocked: string | null = null,
): ActionAvailability[] {
  const all = blockedForAll(rollout, denied);
  const busy = rollout.operation ? `Busy: "${rollout.operation}" is under way` : null;
  const paused = rollout.phase === 'paused' ? 'Paused: resume first' : null;
  const gatePassed = gate?.verdict === 'pass';
  const next = nextStepWeight(rollout);
  const make = (
    type: ActionType,
    reason: string | null,
    extra: Partial<Pick<ActionAvailability, 'confirm' | 'override' | 'label'>> = {},
  ): ActionAvailability => ({
    type,
    label: extra.label ?? actionLabels[type],
    enabled: reason === null,
    reason,
    confirm: extra.confirm ?? false,
    override: extra.override ?? false,
  });
  const gatedOverride = !gatePassed;

  return [
    make(
      'step',
      all ??
        (next === 100 ? fullTrafficBlocked : null) ??
        busy ??
        paused ??
        (next === null ? 'No next step: the plan is at its end; promote' : null),
      {
        label: next === null || all !== null ? 'Next step' : `Next step → ${next}%`,
        override: gatedOverride,
        confirm: gatedOverride,
      },
    ),
    make('set-weight', all ?? busy, { confirm: true }),
    rollout.phase === 'paused' ? make('resume', all ?? busy) : make('pause', all ?? busy),
    make('promote', all ?? fullTrafficBlocked ?? busy ?? paused, { confirm: true, override: gatedOverride }),
    make('rollback', rollout.phase === 'starting' && !denied ? null : all, { confirm: true }),
  ];
}
