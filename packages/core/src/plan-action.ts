import type { ActionRequest, EventAction, Rollout, RolloutPhase } from '@aviary/contracts';
import { finalPhases } from '@aviary/contracts';
import { DomainError } from './errors.ts';

/** What the cluster must do for an accepted action. */
export type Operation = 'set-weight' | 'promote' | 'rollback';

export interface ActionPlan {
  event: EventAction;
  /** Cluster work to do, or null when the action only changes Aviary's own state (pause, resume). */
  operation: Operation | null;
  toWeight: number;
  toStepIndex: number;
  /** Phase while the operation runs (e.g. `promoting`), then `toPhase` once it completed. */
  duringPhase: RolloutPhase;
  toPhase: RolloutPhase;
}

/** The last plan step at or below `weight`; -1 when below the first step. */
export function stepIndexFor(steps: readonly number[], weight: number): number {
  let index = -1;
  steps.forEach((w, i) => {
    if (w <= weight) index = i;
  });
  return index;
}

/**
 * Decide whether an action may run on a rollout and what it leads to. Pure: the engine calls it
 * inside the transaction that accepts the action, so the decision and the record agree.
 */
export function planAction(rollout: Rollout, action: ActionRequest): ActionPlan {
  const { phase, weight } = rollout;
  if (finalPhases.includes(phase)) {
    throw new DomainError(
      'rollout-finished',
      `rollout ${rollout.id} is already ${phase}; start a new rollout instead`,
    );
  }
  if (action.expectedVersion !== undefined && action.expectedVersion !== rollout.version) {
    throw new DomainError(
      'version-conflict',
      `rollout ${rollout.id} is at version ${rollout.version}, not ${action.expectedVersion}; reload it and decide again`,
      { currentVersion: rollout.version },
    );
  }
  // Rollback preempts whatever is under way; everything else waits its turn.
  if (rollout.operation && action.type !== 'rollback') {
    throw new DomainError(
      'rollout-busy',
      `rollout ${rollout.id} is busy with "${rollout.operation}"; wait for it to finish (a rollback is always accepted)`,
    );
  }
  const same = { toWeight: weight, toStepIndex: rollout.stepIndex, duringPhase: phase, toPhase: phase };

  switch (action.type) {
    case 'rollback':
      return { ...same, event: 'rollback', operation: 'rollback', toWeight: 0, toPhase: 'rolled-back' };
    case 'pause':
      requirePhase(rollout, 'progressing', 'pause');
      return { ...same, event: 'pause', operation: null, duringPhase: 'paused', toPhase: 'paused' };
    case 'resume':
      if (phase !== 'paused') {
        throw new DomainError(
          'rollout-not-paused',
          `rollout ${rollout.id} is ${phase}, not paused; nothing to resume`,
        );
      }
      return {
        ...same,
        event: 'resume',
        operation: null,
        duringPhase: 'progressing',
        toPhase: 'progressing',
      };
    case 'step': {
      requirePhase(rollout, 'progressing', 'step');
      const next = rollout.steps.findIndex((w) => w > weight);
      if (next < 0) {
        throw new DomainError(
          'no-next-step',
          `rollout ${rollout.id} is at ${weight}%, the plan's last step; promote it or set a weight`,
        );
      }
      return {
        ...same,
        event: 'step',
        operation: 'set-weight',
        toWeight: rollout.steps[next]!,
        toStepIndex: next,
      };
    }
    case 'set-weight': {
      const to = action.weight!;
      // Paused freezes stepping up; stepping back down is how people reduce the blast radius.
      if (!(phase === 'paused' && to <= weight)) requirePhase(rollout, 'progressing', 'set the weight of');
      return {
        ...same,
        event: 'set-weight',
        operation: 'set-weight',
        toWeight: to,
        toStepIndex: stepIndexFor(rollout.steps, to),
      };
    }
    case 'promote':
      requirePhase(rollout, 'progressing', 'promote');
      return {
        ...same,
        event: 'promote',
        operation: 'promote',
        toWeight: 0,
        duringPhase: 'promoting',
        toPhase: 'promoted',
      };
  }
}

function requirePhase(rollout: Rollout, wanted: RolloutPhase, verb: string): void {
  if (rollout.phase === wanted) return;
  if (rollout.phase === 'paused') {
    throw new DomainError(
      'rollout-paused',
      `rollout ${rollout.id} is paused; resume it before you ${verb} it`,
    );
  }
  throw new DomainError(
    'invalid-action',
    `cannot ${verb} rollout ${rollout.id} while it is ${rollout.phase}`,
  );
}
