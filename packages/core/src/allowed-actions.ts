import type { ActionRequest, ActionType, AllowedAction, GateResult, Rollout } from '@aviary/contracts';
import { actionTypes } from '@aviary/contracts';
import { gateRule } from './engine/gate-rule.ts';
import { DomainError, isDomainError } from './errors.ts';
import { planAction } from './plan-action.ts';
import type { StoredRollout } from './ports.ts';

/** What stands in front of the engine for one action: the target's guardrails, as the API applies them. */
export interface Screening {
  /** The refusal the action would meet (a freeze window, a pending approval), or null. */
  refusal: DomainError | null;
  /** The action would wait for a second operator's approval. */
  needsApproval: boolean;
}

export interface AllowedActionsInput {
  /** The gate the engine would judge the action on; null when it has not evaluated yet. */
  gate: GateResult | null;
  /** Whether stepping up is gated at all (an engine without a gate keeper does not gate). */
  gated: boolean;
  /** Why this caller may not act at all (their role), or null. */
  denied: string | null;
  /** The guardrails the API applies before the engine; none when omitted. */
  screen?: (action: ActionRequest) => Screening;
}

/** A representative request per action type: set-weight is judged at the current weight. */
const probe = (type: ActionType, rollout: Rollout): ActionRequest =>
  type === 'set-weight' ? { type, weight: rollout.weight } : { type };

/**
 * Each action's verdict for this rollout now, from the very rules the API applies when the
 * request arrives: the caller's role, the guardrails, `planAction` and the gate rule. Refusals
 * carry the message and code the request would be answered with.
 */
export function allowedActions(stored: StoredRollout, input: AllowedActionsInput): AllowedAction[] {
  const rollout: Rollout = { ...stored, operation: stored.operation?.type ?? null };
  return actionTypes.map((type) => {
    const action = probe(type, rollout);
    const nextStep = rollout.steps.find((w) => w > rollout.weight) ?? null;
    const base: AllowedAction = {
      type,
      allowed: true,
      reason: null,
      code: null,
      toWeight: type === 'step' ? nextStep : type === 'promote' ? 100 : type === 'rollback' ? 0 : null,
      needsOverride: false,
      needsApproval: false,
      needsReason: type === 'rollback',
    };
    const refuse = (err: DomainError): AllowedAction => ({
      ...base,
      allowed: false,
      reason: err.message,
      code: err.code,
    });
    if (input.denied) return refuse(new DomainError('forbidden', input.denied));
    let plan: ReturnType<typeof planAction>;
    try {
      plan = planAction(rollout, action);
    } catch (err) {
      if (isDomainError(err)) return refuse(err);
      throw err;
    }
    const screening = input.screen?.(action) ?? { refusal: null, needsApproval: false };
    if (screening.refusal) return refuse(screening.refusal);
    // Raising the weight is what the gate guards: ask the rule about set-weight one point up,
    // when raising is possible at all (a paused rollout may only go down).
    const raised = type === 'set-weight' ? raise(rollout) : plan.toWeight;
    const needsOverride =
      input.gated && raised !== null && !passesGate(input.gate, stored, plan.event, raised, action);
    return {
      ...base,
      needsOverride,
      needsApproval: screening.needsApproval,
      needsReason: base.needsReason || needsOverride,
    };
  });
}

function raise(rollout: Rollout): number | null {
  const to = Math.min(100, rollout.weight + 1);
  try {
    planAction(rollout, { type: 'set-weight', weight: to });
    return to;
  } catch (err) {
    if (isDomainError(err)) return null;
    throw err;
  }
}

function passesGate(
  gate: GateResult | null,
  rollout: StoredRollout,
  event: string,
  toWeight: number,
  action: ActionRequest,
): boolean {
  try {
    gateRule(gate, rollout, event, toWeight, action);
    return true;
  } catch (err) {
    if (isDomainError(err) && err.code === 'gate-not-passed') return false;
    throw err;
  }
}
